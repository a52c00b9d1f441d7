import type { RedisClient } from '../jobs/redis-connection.js';

/** Limits of one provider from config. */
export interface ProviderLimits {
  /** Calls in flight at once in this process. */
  concurrency: number;
  /** Requests per minute across all gateway processes (0 = unlimited). */
  requestsPerMinute: number;
  /** Tokens per minute across all gateway processes (0 = unlimited). */
  tokensPerMinute: number;
}

/**
 * Enforces a provider's limits. Concurrency is a local semaphore; requests and tokens per minute
 * are fixed one-minute windows in Redis so that every worker process shares them. When a window is
 * full, `acquire` answers with the milliseconds until it resets instead of waiting: the caller falls
 * back to another provider or parks the queue, and no worker sleeps.
 */
export class ProviderLimiter {
  private inFlight = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
    private readonly limits: ProviderLimits,
  ) {}

  private window(now: number): { key: string; resetInMs: number } {
    const minute = Math.floor(now / 60_000);
    return { key: `${this.keyPrefix}:${minute}`, resetInMs: (minute + 1) * 60_000 - now };
  }

  /** Reserves a request slot; returns `{ ok: false, retryInMs }` when the minute's budget is spent. */
  async acquire(): Promise<
    { ok: true; release: (tokens: number) => Promise<void> } | { ok: false; retryInMs: number }
  > {
    const { key, resetInMs } = this.window(Date.now());
    if (this.limits.requestsPerMinute > 0 || this.limits.tokensPerMinute > 0) {
      const [requests, tokens] = await this.redis
        .multi()
        .hincrby(key, 'requests', 1)
        .hget(key, 'tokens')
        .expire(key, 120)
        .exec()
        .then((replies) => [Number(replies?.[0]?.[1] ?? 0), Number(replies?.[1]?.[1] ?? 0)]);
      const overRequests = this.limits.requestsPerMinute > 0 && (requests ?? 0) > this.limits.requestsPerMinute;
      const overTokens = this.limits.tokensPerMinute > 0 && (tokens ?? 0) >= this.limits.tokensPerMinute;
      if (overRequests || overTokens) return { ok: false, retryInMs: resetInMs };
    }
    if (this.inFlight >= this.limits.concurrency) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.inFlight += 1;
    let released = false;
    return {
      ok: true,
      release: async (usedTokens: number) => {
        if (released) return;
        released = true;
        this.inFlight -= 1;
        this.waiters.shift()?.();
        if (this.limits.tokensPerMinute > 0 && usedTokens > 0)
          await this.redis.hincrby(key, 'tokens', usedTokens).catch(() => undefined);
      },
    };
  }
}
