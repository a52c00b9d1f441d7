import type { JobResult } from './job-record.js';
import type { JobStore } from './job-store.js';
import { SYSTEM, type JobEvents } from './job-events.js';

/**
 * What happens to a job once its findings are final: analysed without doubt, or decided by a
 * person in review. Delivery plugs in here (enqueue deliveries, state `delivering`); without
 * delivery the job is `done`.
 */
export type FinishJob = (job: { id: string; tenant: string }, result: JobResult, fromStates: readonly ('analysing' | 'review')[]) => Promise<void>;

/** The finisher without delivery: the job is done. */
export function markDone(store: JobStore, events: JobEvents): FinishJob {
  return async (job, result, fromStates) => {
    if (await store.update(job.id, { state: 'done', result }, fromStates)) {
      await events.emit({ type: 'done', jobId: job.id, tenant: job.tenant, actor: SYSTEM, at: new Date().toISOString() });
    }
  };
}
