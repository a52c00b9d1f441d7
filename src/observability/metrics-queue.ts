import { Gauge, type Registry } from 'prom-client';

type QueueState = 'waiting' | 'active' | 'delayed' | 'failed' | 'prioritized' | 'waiting-children';

/** The part of a BullMQ queue the collector reads; a small interface so tests can pass any queue. */
export interface ObservedQueue {
  readonly name: string;
  getJobCounts(...types: QueueState[]): Promise<Record<string, number>>;
  getJobs(types: 'waiting'[], start: number, end: number, asc: boolean): Promise<({ timestamp: number } | undefined)[]>;
}

const STATES: readonly QueueState[] = ['waiting', 'active', 'delayed', 'failed', 'prioritized', 'waiting-children'];

/**
 * Queue depth and the age of the oldest waiting job, read from Redis on every scrape (two small
 * commands per queue) rather than counted from events: a count kept in memory would be wrong after
 * a restart, and every process sees the same Redis. Dashboards take `max` across processes.
 */
export function registerQueueCollector(registry: Registry, queues: readonly ObservedQueue[]): void {
  const depth: Gauge = new Gauge({
    name: 'xgw_queue_jobs',
    help: 'BullMQ jobs per queue and state, read on scrape (the same in every process: aggregate with max).',
    labelNames: ['queue', 'state'],
    registers: [registry],
    collect: async () => {
      await Promise.all(
        queues.map(async (q) => {
          const counts = await q.getJobCounts(...STATES).catch(() => undefined);
          if (counts === undefined) return; // Redis away: keep the last values rather than fail the scrape
          for (const state of STATES) depth.set({ queue: q.name, state }, counts[state] ?? 0);
        }),
      );
    },
  });
  const oldest: Gauge = new Gauge({
    name: 'xgw_queue_oldest_waiting_age_seconds',
    help: 'Age of the oldest job waiting in the queue (0 when none waits), read on scrape.',
    labelNames: ['queue'],
    registers: [registry],
    collect: async () => {
      await Promise.all(
        queues.map(async (q) => {
          const jobs = await q.getJobs(['waiting'], 0, 0, true).catch(() => undefined);
          if (jobs === undefined) return;
          const first = jobs[0];
          oldest.set({ queue: q.name }, first === undefined ? 0 : Math.max(0, (Date.now() - first.timestamp) / 1000));
        }),
      );
    },
  });
}
