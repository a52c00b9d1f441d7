import { AppError } from '../errors/app-error.js';
import type { Analyser, AnalysisRequest, Finding } from './analysis.types.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { AnalyserIdentity, FindingCache } from './finding-cache.js';
import type { ProviderLimiter } from './provider-limits.js';

/** One provider in the chain, already wrapped (pseudonymised if external). */
export interface ChainMember {
  identity: AnalyserIdentity;
  /** Whether the provider is outside the authority (then the analyser pseudonymises). */
  external: boolean;
  analyser: Analyser;
  breaker: CircuitBreaker;
  limiter?: ProviderLimiter;
}

/** Observes chain events (metrics). */
export interface ChainObserver {
  cache?(hit: boolean): void;
  call?(provider: string, outcome: 'ok' | 'error' | 'rate_limited' | 'skipped', durationMs: number, tokens: number, errorCode?: string): void;
}

/**
 * The provider chain: cache first (once-only), then each provider in order, falling back on
 * failure, skipping providers whose circuit is open or whose rate budget is spent. When every
 * provider is rate-limited it throws XGW_LLM_RATE_LIMITED with the shortest wait, so the worker
 * parks the queue instead of sleeping; other failures throw the last error for the queue to retry.
 */
export class ProviderChain implements Analyser {
  readonly name: Analyser['name'];

  constructor(
    private readonly members: readonly ChainMember[],
    private readonly cache: FindingCache | undefined,
    private readonly observer: ChainObserver = {},
  ) {
    const first = members[0];
    if (first === undefined) throw new AppError('XGW_CONFIG_INVALID', { detail: 'the provider chain is empty' });
    this.name = first.analyser.name;
  }

  async analyse(request: AnalysisRequest, signal?: AbortSignal): Promise<Finding> {
    if (this.cache !== undefined) {
      const hit = await this.cache.lookup(request, this.members.map((m) => m.identity));
      this.observer.cache?.(hit !== undefined);
      if (hit !== undefined) return hit;
    }
    let lastError: AppError | undefined;
    let shortestWaitMs: number | undefined;
    let allRateLimited = true;
    for (const member of this.members) {
      signal?.throwIfAborted();
      const provider = member.identity.provider;
      if (!member.breaker.allow()) {
        this.observer.call?.(provider, 'skipped', 0, 0, 'circuit_open');
        allRateLimited = false;
        lastError = new AppError('XGW_LLM_UNAVAILABLE', { detail: `provider ${provider}: circuit open after repeated failures` });
        continue;
      }
      const slot = member.limiter === undefined ? undefined : await member.limiter.acquire();
      if (slot !== undefined && !slot.ok) {
        this.observer.call?.(provider, 'rate_limited', 0, 0, 'local_limit');
        shortestWaitMs = Math.min(shortestWaitMs ?? Infinity, slot.retryInMs);
        member.breaker.success(); // a spent budget is not a failure of the provider
        continue;
      }
      const started = performance.now();
      let tokens = 0;
      try {
        const finding = await member.analyser.analyse(request, signal);
        tokens = finding.usage?.totalTokens ?? 0;
        member.breaker.success();
        this.observer.call?.(provider, 'ok', performance.now() - started, tokens);
        if (this.cache !== undefined && !finding.reviewReasons.includes('invalid_output')) {
          await this.cache.store(request, member.identity, finding).catch(() => undefined);
        }
        return { ...finding, cached: false };
      } catch (error) {
        const appError = error instanceof AppError ? error : new AppError('XGW_LLM_UNAVAILABLE', { detail: `provider ${provider} failed`, cause: error });
        if (appError.code === 'XGW_LLM_RATE_LIMITED') {
          shortestWaitMs = Math.min(shortestWaitMs ?? Infinity, (appError.retryAfterSeconds ?? 1) * 1000);
          this.observer.call?.(provider, 'rate_limited', performance.now() - started, 0, appError.code);
        } else {
          allRateLimited = false;
          member.breaker.failure();
          this.observer.call?.(provider, 'error', performance.now() - started, 0, appError.code);
        }
        lastError = appError;
        if (!appError.retryable) throw appError;
      } finally {
        if (slot?.ok) await slot.release(tokens);
      }
    }
    if (allRateLimited && shortestWaitMs !== undefined) {
      throw new AppError('XGW_LLM_RATE_LIMITED', { detail: 'every provider is rate-limited', retryAfterSeconds: Math.max(1, Math.ceil(shortestWaitMs / 1000)) });
    }
    throw lastError ?? new AppError('XGW_LLM_UNAVAILABLE', { detail: 'no provider could run the task' });
  }
}
