import type { JobResult } from './job-record.js';
import type { AttemptFence, JobStore } from './job-store.js';
import { SYSTEM, type JobEvents } from './job-events.js';
import { moveAndAnnounce } from './job-transition.js';

/**
 * What happens to a job once its findings are final: analysed without doubt, or decided by a
 * person in review. Delivery plugs in here (enqueue deliveries, state `delivering`); without
 * delivery the job is `done`. `attemptToken` is set when an analysis attempt finishes the job: the
 * job then moves only while that attempt still holds it (a review decision has none).
 */
export type FinishJob = (job: { id: string; tenant: string }, result: JobResult, fromStates: readonly ('analysing' | 'review')[], attemptToken?: string) => Promise<void>;

/** The write fence of a finisher: the finishing attempt's token, if an attempt finishes the job. */
export function fenceOf(attemptToken: string | undefined): AttemptFence {
  return attemptToken === undefined ? {} : { owner: attemptToken };
}

/** The finisher without delivery: the job is done. */
export function markDone(store: JobStore, events: JobEvents): FinishJob {
  return async (job, result, fromStates, attemptToken) => {
    await moveAndAnnounce(store, events, { patch: { state: 'done', result }, from: fromStates, fence: fenceOf(attemptToken) }, { type: 'done', jobId: job.id, tenant: job.tenant, actor: SYSTEM, at: new Date().toISOString() });
  };
}
