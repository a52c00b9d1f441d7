import type { RedisClient } from '../jobs/redis-connection.js';
import type { JobEvents } from '../jobs/job-events.js';
import type { GatewayMetrics } from './metrics.js';
import { registerQueueCollector, type ObservedQueue } from './metrics-queue.js';

export interface MetricsWiring {
  metrics: GatewayMetrics;
  events: JobEvents;
  queues: readonly ObservedQueue[];
  /** A connection to read a job's standard and receipt time from its record (`<prefix>:job:<id>`). */
  redis: RedisClient;
  recordKey: (jobId: string) => string;
}

/**
 * Connects one process's metrics to the pipeline: the JobEvents sink, queue gauges read on scrape,
 * and the record lookup that labels jobs by standard in processes that did not receive them.
 */
export function wireMetrics(w: MetricsWiring): void {
  w.events.subscribe(w.metrics.jobEventSink());
  registerQueueCollector(w.metrics.registry, w.queues, (name, read) => w.metrics.reading(name, read));
  w.metrics.setJobLookup(async (jobId) => {
    const [standard, createdAt] = await w.redis.hmget(w.recordKey(jobId), 'standard', 'createdAt');
    const receivedAt = createdAt === null || createdAt === undefined ? Number.NaN : Date.parse(createdAt);
    return {
      ...(standard === null || standard === undefined ? {} : { standard }),
      ...(Number.isNaN(receivedAt) ? {} : { receivedAt }),
    };
  });
}
