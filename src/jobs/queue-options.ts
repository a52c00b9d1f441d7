import type { DefaultJobOptions, WorkerOptions } from 'bullmq';

/** Retry and retention settings shared by the gateway's queues (analyse, deliver). */
export interface RetrySettings {
  attempts: number;
  backoffMs: number;
  retentionSeconds: number;
}

/**
 * Job defaults of every gateway queue: retries with exponential backoff (the one retry layer),
 * completed jobs removed at once (records and ledger keep the outcome), failed ones kept for the
 * retention period for operators.
 */
export function retryingJobOptions(settings: RetrySettings): DefaultJobOptions {
  return {
    attempts: settings.attempts,
    backoff: { type: 'exponential', delay: settings.backoffMs },
    removeOnComplete: true,
    removeOnFail: { age: settings.retentionSeconds },
  };
}

/** Lock settings of every gateway worker: a killed worker's job is taken over once its lock lapses. */
export function takeoverLockOptions(
  lockDurationMs: number,
): Pick<WorkerOptions, 'lockDuration' | 'stalledInterval' | 'maxStalledCount'> {
  return {
    lockDuration: lockDurationMs,
    stalledInterval: Math.max(500, Math.floor(lockDurationMs / 2)),
    maxStalledCount: 2,
  };
}
