import type { Queue } from 'bullmq';
import { SYSTEM, type JobEvents } from '../pipeline/job-events.js';
import { fenceOf, type FinishJob } from '../pipeline/job-finisher.js';
import { moveAndAnnounce } from '../pipeline/job-transition.js';
import type { JobResult } from '../pipeline/job-record.js';
import type { JobStore } from '../pipeline/job-store.js';
import type { LoadedProfile } from '../xoev/profile.js';
import type { ConnectorSet } from './connector-set.js';
import { deliverJobId, type DeliverJobData } from './deliver-queue.js';
import { planDeliveries } from './delivery-plan.js';

/** Looks up the profile of a message type (the XÖV catalog). */
export type ProfileLookup = (standard: string, version: string, messageType: string) => LoadedProfile | undefined;

/** The person who decided in review: the review queue passes its decision along with the result. */
function reviewerOf(result: JobResult): string | undefined {
  if (!('review' in result)) return undefined;
  const review: unknown = result.review;
  return typeof review === 'object' && review !== null && 'reviewer' in review && typeof review.reviewer === 'string' ? review.reviewer : undefined;
}

/**
 * The finisher with delivery: plans the job's deliveries and hands them to the deliver queue, then
 * marks the job `delivering`. Enqueueing comes first, so a crash in between leaves work queued
 * rather than a job stuck in `delivering`; the deliver worker moves the job itself if it runs first.
 * A job with nothing to deliver is `done` at once, as without delivery. When an analysis attempt
 * finishes the job, every write is fenced on its token and the deliver job carries it, so the
 * deliveries of an attempt that lost the job are never made.
 */
export function deliveringFinisher(deps: { store: JobStore; events: JobEvents; queue: Queue<DeliverJobData>; connectors: ConnectorSet; profile: ProfileLookup }): FinishJob {
  const { store, events, queue, connectors } = deps;
  return async (job, result, fromStates, attemptToken) => {
    const fence = fenceOf(attemptToken);
    const record = await store.get(job.id);
    if (record === undefined) return;
    const profile = result.standard !== undefined && result.version !== undefined && result.messageType !== undefined ? deps.profile(result.standard, result.version, result.messageType) : undefined;
    const reviewer = reviewerOf(result);
    const deliveries = planDeliveries(
      { jobId: job.id, tenant: job.tenant, ...(record.messageId === undefined ? {} : { messageId: record.messageId }), ...(reviewer === undefined ? {} : { reviewer }) },
      result,
      profile,
      connectors.defaultConnector,
    );
    const at = new Date().toISOString();
    if (deliveries.length === 0) {
      await moveAndAnnounce(store, events, { patch: { state: 'done', result }, from: fromStates, fence }, { type: 'done', jobId: job.id, tenant: job.tenant, actor: SYSTEM, at });
      return;
    }
    await queue.add('deliver', { kind: 'job', jobId: job.id, tenant: job.tenant, result, deliveries, ...(attemptToken === undefined ? {} : { attemptToken }) }, { jobId: deliverJobId(job.id, attemptToken) });
    await moveAndAnnounce(store, events, { patch: { state: 'delivering', result }, from: fromStates, fence }, { type: 'delivering', jobId: job.id, tenant: job.tenant, actor: SYSTEM, at, deliveries: deliveries.length });
  };
}
