import { SYSTEM, type JobEvent, type JobEvents } from '../jobs/job-events.js';
import { finishingMove } from '../jobs/job-moves.js';
import type { JobRecord, JobResult } from '../jobs/job-record.js';
import type { AttemptFence, JobStore } from '../jobs/job-store.js';
import { moveAndAnnounce } from '../jobs/job-transition.js';

/**
 * What happens to a job once its findings are final: analysed without doubt (`analysis`), or
 * decided by a person in review (`review`). With deliveries planned the job moves to `delivering`
 * (and the `delivering` announcement has the deliver job enqueued, see delivery-setup.ts);
 * without, it is `done`. `token` is the attempt (or decision) that holds the job: the move is
 * fenced on it. Returns whether the move took place.
 */
export type FinishJob = (
  job: { id: string; tenant: string },
  result: JobResult,
  origin: 'analysis' | 'review',
  token?: string,
) => Promise<boolean>;

/** How many deliveries a finished job has (delivery's plan); none when delivery is off. */
export type CountDeliveries = (record: JobRecord, result: JobResult) => number;

/** The write fence of a finisher: the finishing attempt's token, if an attempt finishes the job. */
export function fenceOf(token: string | undefined): AttemptFence {
  return token === undefined ? {} : { owner: token };
}

/** The finisher: one move of the state table, chosen by origin and whether there is anything to deliver. */
export function createFinisher(deps: {
  store: JobStore;
  events: JobEvents;
  countDeliveries?: CountDeliveries;
}): FinishJob {
  const { store, events, countDeliveries } = deps;
  return async (job, result, origin, token) => {
    let deliveries = 0;
    if (countDeliveries !== undefined) {
      const record = await store.get(job.id);
      if (record === undefined) return false;
      deliveries = countDeliveries(record, result);
    }
    const at = new Date().toISOString();
    const event: JobEvent =
      deliveries > 0
        ? { type: 'delivering', jobId: job.id, tenant: job.tenant, actor: SYSTEM, at, deliveries }
        : { type: 'done', jobId: job.id, tenant: job.tenant, actor: SYSTEM, at };
    return moveAndAnnounce(
      store,
      events,
      { move: finishingMove(origin, deliveries), patch: { result }, fence: fenceOf(token) },
      event,
    );
  };
}
