import { RedisKeys } from '../jobs/redis-keys.js';
import { Queue, type ConnectionOptions } from 'bullmq';
import type { AnalyseJobData } from '../jobs/job-record.js';
import { retryingJobOptions } from '../jobs/queue-options.js';
import { withTelemetry } from '../observability/tracing.js';

export const ANALYSE_QUEUE = 'analyse';

export interface QueueSettings {
  prefix: string;
  attempts: number;
  backoffMs: number;
  retentionSeconds: number;
  keepCompleted?: { count: number; ageSeconds: number };
}

/** The analyse queue with the gateway's job defaults: retries with exponential backoff, bounded retention. */
export function createAnalyseQueue(connection: ConnectionOptions, settings: QueueSettings): Queue<AnalyseJobData> {
  return new Queue<AnalyseJobData>(ANALYSE_QUEUE, {
    connection,
    prefix: new RedisKeys(settings.prefix).bullmq(),
    // Producer spans on add, the trace context carried in the job (only while tracing runs).
    ...withTelemetry(),
    // The job record (JobStore) keeps the result; the BullMQ job is only the mechanism.
    defaultJobOptions: retryingJobOptions(settings),
  });
}
