import type { RedisClient } from '../jobs/redis-connection.js';
import { AppError } from '../errors/app-error.js';
import { RedisKeys } from '../jobs/redis-keys.js';

const WINDOW_SECONDS = 60;

/**
 * Requests per client and minute, counted in Redis so that all API processes share one limit.
 * A fixed window (one counter per client and minute) is exact enough for abuse protection and
 * costs one round trip. When Redis does not answer the request is let through: the limiter must
 * not turn a Redis hiccup into an outage of every endpoint (the request then meets the real
 * dependency and gets its own 503).
 */
export class RateLimiter {
  private readonly keys: RedisKeys;
  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    /** Allowed requests per minute and client; 0 switches the limiter off. */
    private readonly perMinute: number,
  ) {
    this.keys = new RedisKeys(prefix);
  }

  /** Counts one request of `client`; throws XGW_RATE_LIMITED (429 + Retry-After) beyond the limit. */
  async hit(client: string): Promise<void> {
    if (this.perMinute <= 0) return;
    const nowS = Date.now() / 1000;
    const window = Math.floor(nowS / WINDOW_SECONDS);
    const key = this.keys.rateLimit(client, window);
    let count: number;
    try {
      const replies = await this.redis
        .multi()
        .incr(key)
        .expire(key, WINDOW_SECONDS + 1)
        .exec();
      const first = replies?.[0]?.[1];
      if (typeof first !== 'number') return;
      count = first;
    } catch {
      return;
    }
    if (count > this.perMinute) {
      const retryAfterSeconds = Math.max(1, Math.ceil((window + 1) * WINDOW_SECONDS - nowS));
      throw new AppError('XGW_RATE_LIMITED', {
        detail: `More than ${this.perMinute} requests per minute (RATE_LIMIT_PER_MINUTE). Retry after ${retryAfterSeconds} s.`,
        retryAfterSeconds,
      });
    }
  }
}
