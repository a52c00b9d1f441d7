import type { DefaultJobOptions, WorkerOptions } from 'bullmq';

/** Retry and retention settings shared by the gateway's queues (analyse, deliver). */
export interface RetrySettings {
  attempts: number;
  backoffMs: number;
  retentionSeconds: number;
  /**
   * Completed BullMQ jobs kept for the queue dashboard: the newest `count`, none older than
   * `ageSeconds` (QUEUE_KEEP_COMPLETED, QUEUE_KEEP_COMPLETED_SECONDS). The job record and the ledger
   * keep the outcome either way. @defaultValue none kept
   */
  keepCompleted?: { count: number; ageSeconds: number };
}

/**
 * Job defaults of every gateway queue: retries with exponential backoff (the one retry layer),
 * completed jobs kept only as many and as long as the dashboard should show them (records and
 * ledger keep the outcome), failed ones kept for the retention period for operators.
 */
export function retryingJobOptions(settings: RetrySettings): DefaultJobOptions {
  return {
    attempts: settings.attempts,
    backoff: { type: 'exponential', delay: settings.backoffMs },
    removeOnComplete:
      settings.keepCompleted === undefined || settings.keepCompleted.count === 0
        ? true
        : { count: settings.keepCompleted.count, age: settings.keepCompleted.ageSeconds },
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
