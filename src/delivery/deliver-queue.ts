import { RedisKeys } from '../jobs/redis-keys.js';
import { Queue, type ConnectionOptions } from 'bullmq';
import type { PlannedDelivery } from './delivery-plan.js';
import { retryingJobOptions } from '../jobs/queue-options.js';
import { withTelemetry } from '../observability/tracing.js';

export const DELIVER_QUEUE = 'deliver';

/**
 * A deliver job. `job`: all fact deliveries of one finished job (the job becomes `done` when each
 * is delivered, skipped or dead-lettered). `single`: one notification or one replayed dead letter.
 */
export type DeliverJobData =
  /** `attemptToken`: the analysis attempt (or review decision) that holds the job in `delivering`. */
  | { kind: 'job'; jobId: string; tenant: string; deliveries: PlannedDelivery[]; attemptToken?: string }
  | { kind: 'single'; jobId: string; tenant: string; delivery: PlannedDelivery };

export interface DeliverQueueSettings {
  prefix: string;
  attempts: number;
  backoffMs: number;
  retentionSeconds: number;
  keepCompleted?: { count: number; ageSeconds: number };
}

/** The deliver queue: retries with exponential backoff; the ledger, not the queue, keeps outcomes. */
export function createDeliverQueue(
  connection: ConnectionOptions,
  settings: DeliverQueueSettings,
): Queue<DeliverJobData> {
  return new Queue<DeliverJobData>(DELIVER_QUEUE, {
    connection,
    prefix: new RedisKeys(settings.prefix).bullmq(),
    // Producer spans on add, the trace context carried in the job (only while tracing runs).
    ...withTelemetry(),
    defaultJobOptions: retryingJobOptions(settings),
  });
}

/**
 * BullMQ job id of a job's fact deliveries (stable: enqueueing twice adds one job). Per analysis
 * attempt when an attempt finishes the job: a deliver job left by an attempt that lost the job is
 * dropped by the deliver worker, and must not stand in for the deliveries of the attempt that took
 * it over (same id = the second add would be a no-op).
 */
export function deliverJobId(jobId: string, attemptToken?: string): string {
  return attemptToken === undefined ? `job-${jobId}` : `job-${jobId}-${attemptToken}`;
}
