import { Gauge, type Registry } from 'prom-client';
import type { ScrapedReading } from './scraped-reading.js';

/** Makes a reading that `xgw_scrape_stale` reports (GatewayMetrics.reading). */
export type ReadingFactory = <T>(name: string, read: () => Promise<T>) => ScrapedReading<T>;

type QueueState = 'waiting' | 'active' | 'delayed' | 'failed' | 'prioritized' | 'waiting-children';

/** The part of a BullMQ queue the collector reads; a small interface so tests can pass any queue. */
export interface ObservedQueue {
  readonly name: string;
  getJobCounts(...types: QueueState[]): Promise<Record<string, number>>;
  getJobs(types: 'waiting'[], start: number, end: number, asc: boolean): Promise<({ timestamp: number } | undefined)[]>;
}

const STATES: readonly QueueState[] = ['waiting', 'active', 'delayed', 'failed', 'prioritized', 'waiting-children'];

/**
 * Queue depth and the age of the oldest waiting job, read from Redis on scrape rather than counted
 * from events: a count kept in memory would be wrong after a restart, and every process sees the
 * same Redis. Dashboards take `max` across processes. Each queue's figures are one ScrapedReading:
 * read at most every 5 s, never waited for longer than 1 s (`xgw_scrape_stale{reading="queue:<name>"}`).
 */
export function registerQueueCollector(
  registry: Registry,
  queues: readonly ObservedQueue[],
  reading: ReadingFactory,
): void {
  const readings = queues.map((q) => ({
    queue: q,
    reading: reading(`queue:${q.name}`, async () => {
      const [counts, waiting] = await Promise.all([q.getJobCounts(...STATES), q.getJobs(['waiting'], 0, 0, true)]);
      return { counts, oldestAt: waiting[0]?.timestamp };
    }),
  }));
  const current = async (): Promise<
    { name: string; value: { counts: Record<string, number>; oldestAt: number | undefined } | undefined }[]
  > =>
    Promise.all(
      readings.map(async ({ queue, reading: r }) => ({ name: queue.name, value: (await r.current()).value })),
    );
  const depth: Gauge = new Gauge({
    name: 'xgw_queue_jobs',
    help: 'BullMQ jobs per queue and state, read on scrape (the same in every process: aggregate with max).',
    labelNames: ['queue', 'state'],
    registers: [registry],
    collect: async () => {
      for (const { name, value } of await current()) {
        if (value !== undefined)
          for (const state of STATES) depth.set({ queue: name, state }, value.counts[state] ?? 0);
      }
    },
  });
  const oldest: Gauge = new Gauge({
    name: 'xgw_queue_oldest_waiting_age_seconds',
    help: 'Age of the oldest job waiting in the queue (0 when none waits), read on scrape.',
    labelNames: ['queue'],
    registers: [registry],
    collect: async () => {
      for (const { name, value } of await current()) {
        if (value !== undefined)
          oldest.set(
            { queue: name },
            value.oldestAt === undefined ? 0 : Math.max(0, (Date.now() - value.oldestAt) / 1000),
          );
      }
    },
  });
}
