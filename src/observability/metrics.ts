import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ChainObserver } from './chain-observer.js';
import type { JobEvent, JobEventSink } from '../jobs/job-events.js';
import { ScrapedReading } from './scraped-reading.js';

/** Answers a job's standard for labels when this process did not see it arrive (ROLE=worker). */
/** What a process that did not receive a job reads from its record: its standard and when it was received. */
export type JobLookup = (jobId: string) => Promise<{ standard?: string; receivedAt?: number } | undefined>;

/** A count read on scrape (e.g. reviews pending from the review index). */
export type CountCollector = () => Promise<number>;

/** Seconds buckets for HTTP answers: the receive path answers in ms, a slow Redis in seconds. */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds buckets for model calls and whole jobs: hundreds of ms to minutes. */
const SLOW_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
/** Jobs whose standard we remember between `received` and their end, per process (bounded). */
const MAX_REMEMBERED = 10_000;

/**
 * The gateway's Prometheus metrics, one registry per process (not prom-client's global one, so
 * several gateways in one test process do not collide). Each process exposes what it saw:
 * an `api` process counts requests and receptions, a `worker` process analyses, model calls and
 * finished jobs; Prometheus sums them across processes. Queue gauges are read from Redis on
 * scrape and are the same in every process, so dashboards take `max` of them, not `sum`.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'xgw_http_requests_total',
    help: 'HTTP requests by OpenAPI route template, method and status.',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'xgw_http_request_duration_seconds',
    help: 'HTTP answer time by route template, method and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });
  readonly jobsReceived = new Counter({
    name: 'xgw_jobs_received_total',
    help: 'Submissions by standard; duplicate="true" returned an existing job.',
    labelNames: ['standard', 'duplicate'],
    registers: [this.registry],
  });
  readonly jobTransitions = new Counter({
    name: 'xgw_job_transitions_total',
    help: 'Jobs entering a state (analysing, review, done, failed, retry) by standard.',
    labelNames: ['state', 'standard'],
    registers: [this.registry],
  });
  readonly jobFailures = new Counter({
    name: 'xgw_job_failures_total',
    help: 'Failed attempts by error code; final="true" ended the job.',
    labelNames: ['code', 'final'],
    registers: [this.registry],
  });
  readonly jobDuration = new Histogram({
    name: 'xgw_job_duration_seconds',
    help: 'Time from receipt to the end state, by end state.',
    labelNames: ['state'],
    buckets: SLOW_BUCKETS,
    registers: [this.registry],
  });
  readonly inboundSubmissions = new Counter({
    name: 'xgw_inbound_submissions_total',
    help: 'Inbound messages (FIT-Connect submissions) by connector and outcome (accepted, rejected, waiting, held) and reason.',
    labelNames: ['connector', 'outcome', 'reason'],
    registers: [this.registry],
  });
  readonly llmCalls = new Counter({
    name: 'xgw_llm_calls_total',
    help: 'Model calls by provider and outcome (ok, error, rate_limited, skipped).',
    labelNames: ['provider', 'outcome'],
    registers: [this.registry],
  });
  readonly llmDuration = new Histogram({
    name: 'xgw_llm_call_duration_seconds',
    help: 'Model call latency by provider and outcome.',
    labelNames: ['provider', 'outcome'],
    buckets: SLOW_BUCKETS,
    registers: [this.registry],
  });
  readonly llmTokens = new Counter({
    name: 'xgw_llm_tokens_total',
    help: 'Tokens used by provider.',
    labelNames: ['provider'],
    registers: [this.registry],
  });
  readonly llmErrors = new Counter({
    name: 'xgw_llm_errors_total',
    help: 'Model call errors by provider and error code.',
    labelNames: ['provider', 'code'],
    registers: [this.registry],
  });
  readonly queueParks = new Counter({
    name: 'xgw_queue_parked_total',
    help: 'Times a worker parked the analyse queue instead of failing a job, by reason (rate_limited: every provider rate-limited; circuit_open: no provider triable, circuits open after repeated failures).',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly queueParkedSeconds = new Counter({
    name: 'xgw_queue_parked_seconds_total',
    help: 'Seconds the analyse queue was parked for, by reason (parks of several workers may overlap).',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly cacheLookups = new Counter({
    name: 'xgw_cache_lookups_total',
    help: 'Finding cache lookups by result (hit, miss).',
    labelNames: ['result'],
    registers: [this.registry],
  });
  readonly deliveries = new Counter({
    name: 'xgw_deliveries_total',
    help: 'Deliveries by connector and outcome (delivered, skipped, dead_letter).',
    labelNames: ['connector', 'outcome'],
    registers: [this.registry],
  });
  readonly deadLetters = new Counter({
    name: 'xgw_dead_letters_total',
    help: 'Deliveries given up and parked as dead letters, by connector.',
    labelNames: ['connector'],
    registers: [this.registry],
  });
  /** Values read from Redis on scrape, by name; `xgw_scrape_stale` reports each one's freshness. */
  private readonly readings = new Map<string, ScrapedReading<unknown>>();
  readonly scrapeStale: Gauge<'reading'> = new Gauge({
    name: 'xgw_scrape_stale',
    help: 'Whether a gauge read from Redis on scrape serves its last value because Redis did not answer within 1 s (1) or is fresh (0), by reading.',
    labelNames: ['reading'],
    registers: [this.registry],
    // Collects run concurrently in one scrape: asking the readings here joins the same reads the
    // gauges wait for, so this reports the freshness of the values in this very scrape.
    collect: async () => {
      await Promise.all(
        [...this.readings].map(async ([name, reading]) =>
          this.scrapeStale.set({ reading: name }, (await reading.current()).stale ? 1 : 0),
        ),
      );
    },
  });
  readonly outboxReplays = new Counter({
    name: 'xgw_outbox_replays_total',
    help: 'State-change announcements (delivering, done, failed) made again by the outbox relay because their first announcement did not finish (process died, a sink failed), by event.',
    labelNames: ['event'],
    registers: [this.registry],
  });

  private readonly standards = new Map<string, { standard: string; at: number }>();
  private reviewCollector: CountCollector | undefined;
  private outboxCollector: CountCollector | undefined;

  constructor(options: { defaultMetrics?: boolean; lookupJob?: JobLookup } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.lookupJob = options.lookupJob;
    // The gauges exist from the start so dashboards see 0 rather than "no data" before the index
    // behind them is wired in; their values come from the collector hooks at scrape time.
    this.scrapedGauge(
      'xgw_reviews_pending',
      'Jobs waiting for a person in the review queue.',
      () => this.reviewCollector,
    );
    this.scrapedGauge(
      'xgw_outbox_pending',
      'State-change announcements written but not yet taken by every sink (normally 0; stays up while a sink such as the deliver queue fails).',
      () => this.outboxCollector,
    );
  }

  /** A value read from Redis on scrape at bounded cost (see ScrapedReading), reported in `xgw_scrape_stale` under `name`. */
  reading<T>(name: string, read: () => Promise<T>): ScrapedReading<T> {
    const reading = new ScrapedReading(read);
    this.readings.set(name, reading);
    return reading;
  }

  /** A gauge read from Redis on scrape through the collector `current()` returns. */
  private scrapedGauge(name: string, help: string, current: () => CountCollector | undefined): void {
    const reading = this.reading(name, async () => (await current()?.()) ?? 0);
    const gauge: Gauge = new Gauge({
      name,
      help,
      registers: [this.registry],
      collect: async () => {
        // Redis away: keep the last value (marked stale) rather than fail or hold up the scrape.
        const { value } = await reading.current();
        if (value !== undefined) gauge.set(value);
      },
    });
  }

  private lookupJob: JobLookup | undefined;

  /**
   * Sets how a process without the `received` event (a worker, with the API in another process)
   * finds a job's standard and receipt time: a record read, so that `xgw_job_duration_seconds` is
   * observed whichever process ends the job.
   */
  setJobLookup(lookup: JobLookup): void {
    this.lookupJob = lookup;
  }

  /** Hook for the review index: the count of jobs in review, read on every scrape. */
  setReviewCollector(collector: CountCollector): void {
    this.reviewCollector = collector;
  }

  /** Hook for the outbox index: announcements not yet taken by every sink, read on every scrape. */
  setOutboxCollector(collector: CountCollector): void {
    this.outboxCollector = collector;
  }

  /** The ChainObserver wired into the ProviderChain: calls, latency, tokens, errors, cache. */
  chainObserver(): ChainObserver {
    return {
      cache: (hit) => this.cacheLookups.inc({ result: hit ? 'hit' : 'miss' }),
      call: (provider, outcome, durationMs, tokens, errorCode) => {
        this.llmCalls.inc({ provider, outcome });
        // A skipped member (open circuit, spent local budget) made no call: no latency sample.
        if (outcome !== 'skipped') this.llmDuration.observe({ provider, outcome }, durationMs / 1000);
        if (tokens > 0) this.llmTokens.inc({ provider }, tokens);
        if (outcome === 'error') this.llmErrors.inc({ provider, code: errorCode ?? 'unknown' });
      },
    };
  }

  /** The analyse worker's park hook: why and for how long it parked the queue. */
  queueParked(reason: 'rate_limited' | 'circuit_open', waitMs: number): void {
    this.queueParks.inc({ reason });
    this.queueParkedSeconds.inc({ reason }, waitMs / 1000);
  }

  /** The JobEvents sink: counters for receptions, state changes, failures and deliveries. */
  jobEventSink(): JobEventSink {
    // A replayed announcement was counted when first made, unless its process died before; the
    // relay counts replays on their own (xgw_outbox_replays_total) rather than risk counting twice.
    return async (event, context) => {
      if (context.replay !== true) await this.record(event);
    };
  }

  /** Prometheus text exposition of everything in this process. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private async record(event: JobEvent): Promise<void> {
    switch (event.type) {
      case 'received':
        this.jobsReceived.inc({ standard: label(event.standard), duplicate: String(event.duplicate) });
        if (!event.duplicate && event.standard !== undefined)
          this.remember(event.jobId, event.standard, Date.parse(event.at));
        return;
      case 'analysing':
        this.jobTransitions.inc({ state: 'analysing', standard: await this.standardOf(event.jobId) });
        return;
      case 'analysed':
        if (event.review) this.jobTransitions.inc({ state: 'review', standard: await this.standardOf(event.jobId) });
        return;
      case 'delivered':
        this.deliveries.inc({ connector: event.connector, outcome: event.outcome });
        if (event.outcome === 'dead_letter') this.deadLetters.inc({ connector: event.connector });
        return;
      case 'done':
        await this.finished(event.jobId, 'done', event.at);
        return;
      case 'failed':
        this.jobFailures.inc({ code: event.code, final: String(event.final) });
        if (event.final) await this.finished(event.jobId, 'failed', event.at);
        else this.jobTransitions.inc({ state: 'retry', standard: await this.standardOf(event.jobId) });
        return;
      default:
        return;
    }
  }

  private async finished(jobId: string, state: 'done' | 'failed', at: string): Promise<void> {
    const seen = this.standards.get(jobId);
    this.standards.delete(jobId);
    const job =
      seen !== undefined
        ? { standard: seen.standard, receivedAt: seen.at }
        : await this.lookupJob?.(jobId).catch(() => undefined);
    this.jobTransitions.inc({ state, standard: label(job?.standard) });
    if (job?.receivedAt !== undefined)
      this.jobDuration.observe({ state }, Math.max(0, (Date.parse(at) - job.receivedAt) / 1000));
  }

  private async standardOf(jobId: string): Promise<string> {
    const seen = this.standards.get(jobId);
    if (seen !== undefined) return seen.standard;
    const looked = await this.lookupJob?.(jobId).catch(() => undefined);
    return label(looked?.standard);
  }

  private remember(jobId: string, standard: string, at: number): void {
    if (this.standards.size >= MAX_REMEMBERED) {
      // Maps iterate in insertion order: drop the oldest (a job that never finished here).
      const oldest = this.standards.keys().next();
      if (oldest.done !== true) this.standards.delete(oldest.value);
    }
    this.standards.set(jobId, { standard, at: Number.isFinite(at) ? at : Date.now() });
  }
}

function label(value: string | undefined): string {
  return value === undefined || value === '' ? 'unknown' : value;
}
