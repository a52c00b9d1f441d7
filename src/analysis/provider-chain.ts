import { AppError } from '../errors/app-error.js';
import type { Analyser, AnalysisRequest } from './analysis.types.js';
import type { Finding } from '../jobs/finding.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { AnalyserIdentity, FindingCache } from './finding-cache.js';
import type { ProviderLimiter } from './provider-limits.js';
import type { ChainObserver } from '../observability/chain-observer.js';

/** One provider in the chain, already wrapped (pseudonymised if external). */
export interface ChainMember {
  identity: AnalyserIdentity;
  /** Whether the provider is outside the authority (then the analyser pseudonymises). */
  external: boolean;
  analyser: Analyser;
  breaker: CircuitBreaker;
  limiter?: ProviderLimiter;
}

/**
 * The provider chain: cache first (once-only), then each provider in order, falling back on
 * failure, skipping providers whose circuit is open or whose rate budget is spent.
 *
 * When no provider could be tried at all — each one was skipped for an open circuit or a rate
 * limit (its 429 or its budget), none actually failed — the task did not fail: it throws
 * XGW_LLM_RATE_LIMITED (only rate limits) or XGW_LLM_CIRCUIT_OPEN (at least one open circuit) with
 * the wait until the first provider can be tried again, and the worker parks the queue for that
 * long without using an attempt. Only a provider that was called and failed makes the task fail
 * (its last error), so the queue's attempts count genuine failures only.
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
      const hit = await this.cache.lookup(
        request,
        this.members.map((m) => m.identity),
      );
      this.observer.cache?.(hit !== undefined);
      if (hit !== undefined) return hit;
    }
    let lastError: AppError | undefined;
    // Providers skipped without a call: the earliest time (ms from now) one of them can be tried
    // again, and whether an open circuit was among the reasons (for the error code, logs, metrics).
    let waitMs: number | undefined;
    let circuitOpen = false;
    for (const member of this.members) {
      signal?.throwIfAborted();
      const provider = member.identity.provider;
      if (!member.breaker.allow()) {
        this.observer.call?.(provider, 'skipped', 0, 0, 'circuit_open');
        waitMs = Math.min(waitMs ?? Infinity, member.breaker.retryInMs());
        circuitOpen = true;
        continue;
      }
      const slot = member.limiter === undefined ? undefined : await member.limiter.acquire();
      if (slot !== undefined && !slot.ok) {
        this.observer.call?.(provider, 'rate_limited', 0, 0, 'local_limit');
        waitMs = Math.min(waitMs ?? Infinity, slot.retryInMs);
        member.breaker.release(); // a spent budget says nothing about the provider's health
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
        const appError =
          error instanceof AppError
            ? error
            : new AppError('XGW_LLM_UNAVAILABLE', { detail: `provider ${provider} failed`, cause: error });
        if (appError.code === 'XGW_LLM_RATE_LIMITED') {
          waitMs = Math.min(waitMs ?? Infinity, (appError.retryAfterSeconds ?? 1) * 1000);
          // A 429 is the provider alive and asking us to wait; it neither opens nor closes the circuit.
          member.breaker.release();
          this.observer.call?.(provider, 'rate_limited', performance.now() - started, 0, appError.code);
          continue;
        }
        member.breaker.failure();
        this.observer.call?.(provider, 'error', performance.now() - started, 0, appError.code);
        lastError = appError;
        if (!appError.retryable) throw appError;
      } finally {
        if (slot?.ok) await slot.release(tokens);
      }
    }
    if (lastError !== undefined) throw lastError;
    if (waitMs !== undefined) {
      const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
      if (circuitOpen) {
        throw new AppError('XGW_LLM_CIRCUIT_OPEN', {
          detail:
            'no provider can be tried: each circuit is open after repeated failures, or the provider is rate-limited',
          retryAfterSeconds,
        });
      }
      throw new AppError('XGW_LLM_RATE_LIMITED', { detail: 'every provider is rate-limited', retryAfterSeconds });
    }
    throw new AppError('XGW_LLM_UNAVAILABLE', { detail: 'no provider could run the task' });
  }
}
