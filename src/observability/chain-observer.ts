/** What the provider chain reports as it works (metrics implement it): cache lookups and model calls. */
export interface ChainObserver {
  cache?(hit: boolean): void;
  call?(
    provider: string,
    outcome: 'ok' | 'error' | 'rate_limited' | 'skipped',
    durationMs: number,
    tokens: number,
    errorCode?: string,
  ): void;
}
