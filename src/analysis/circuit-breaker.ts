/**
 * A per-provider circuit breaker: after `threshold` consecutive failures the provider is skipped
 * for `cooldownMs`; then one trial call is let through (half-open). Keeps a failing provider from
 * eating every job's time budget while the chain falls back to the next one.
 *
 * The state lives in the process that made the calls (each worker process learns from its own
 * calls). When a process finds every provider's circuit open, the chain asks the worker to park the
 * queue until `retryInMs()` has passed, so jobs wait for the provider instead of using up attempts.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;

  constructor(
    private readonly threshold: number,
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): 'closed' | 'open' | 'half-open' {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.cooldownMs ? 'half-open' : 'open';
  }

  /** Whether a call may go to the provider now. */
  allow(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  /**
   * Milliseconds until `allow()` can answer true again: the rest of the cooldown while open, 0 when
   * closed or half-open (a half-open circuit whose trial is in flight is decided by that trial, so
   * the caller waits as briefly as it can).
   */
  retryInMs(): number {
    if (this.openedAt === undefined) return 0;
    return Math.max(0, this.cooldownMs - (this.now() - this.openedAt));
  }

  success(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.trialInFlight = false;
  }

  failure(): void {
    this.trialInFlight = false;
    this.failures += 1;
    if (this.failures >= this.threshold) this.openedAt = this.now();
  }

  /**
   * The call `allow()` admitted ended without saying whether the provider works (it answered 429,
   * or its rate budget was spent before the call): neither a success nor a failure. Without this a
   * half-open circuit whose trial was rate-limited would keep `trialInFlight` forever and never let
   * another call through.
   */
  release(): void {
    this.trialInFlight = false;
  }
}
