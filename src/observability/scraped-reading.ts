/** Options of {@link ScrapedReading}. */
export interface ScrapedReadingOptions {
  /** A value read this recently is served without asking Redis again. @defaultValue 5000 */
  maxAgeMs?: number;
  /** How long a scrape waits for a read before it serves the last value, marked stale. @defaultValue 1000 */
  timeoutMs?: number;
}

/**
 * A value read from Redis for a Prometheus scrape, at bounded cost: at most one read every
 * `maxAgeMs` whatever the scrape rate, at most one read in flight, and a scrape never waits longer
 * than `timeoutMs` for it. While Redis is away the last good value is served and marked stale;
 * before, a scrape during an outage hung for more than 90 s and each one queued ~24 more commands.
 */
export class ScrapedReading<T> {
  private last: T | undefined;
  private readAt = 0;
  private failed = false;
  private inflight: Promise<void> | undefined;
  private readonly maxAgeMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly read: () => Promise<T>,
    options: ScrapedReadingOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? 5_000;
    this.timeoutMs = options.timeoutMs ?? 1_000;
  }

  /** The value for this scrape and whether it is stale (Redis did not answer in time, or failed). */
  async current(): Promise<{ value: T | undefined; stale: boolean }> {
    if (!this.failed && this.readAt > 0 && Date.now() - this.readAt < this.maxAgeMs)
      return { value: this.last, stale: false };
    this.inflight ??= this.read()
      .then(
        (value) => {
          this.last = value;
          this.readAt = Date.now();
          this.failed = false;
        },
        () => {
          this.failed = true;
        },
      )
      .finally(() => {
        this.inflight = undefined;
      });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      this.inflight.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), this.timeoutMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
    return { value: this.last, stale: timedOut || this.failed };
  }
}
