import type { Queue } from 'bullmq';
import type { JobEventSink } from '../jobs/job-events.js';
import type { JobRecord, JobResult } from '../jobs/job-record.js';
import type { JobStore } from '../jobs/job-store.js';
import type { LoadedProfile } from '../xoev/profile.js';
import type { ConnectorSet } from './connector-set.js';
import { deliverJobId, type DeliverJobData } from './deliver-queue.js';
import { planDeliveries, type PlannedDelivery } from './delivery-plan.js';

/** Looks up the profile of a message type (the XÖV catalog). */
export type ProfileLookup = (standard: string, version: string, messageType: string) => LoadedProfile | undefined;

/** The person who decided in review: the review queue passes its decision along with the result. */
function reviewerOf(result: JobResult): string | undefined {
  if (!('review' in result)) return undefined;
  const review: unknown = result.review;
  return typeof review === 'object' && review !== null && 'reviewer' in review && typeof review.reviewer === 'string'
    ? review.reviewer
    : undefined;
}

/** The fact deliveries of a job with this result: from its profile's `deliveries`, or the default connector. */
export function jobDeliveries(
  record: JobRecord,
  result: JobResult,
  connectors: ConnectorSet,
  profileOf: ProfileLookup,
): PlannedDelivery[] {
  const profile =
    result.standard !== undefined && result.version !== undefined && result.messageType !== undefined
      ? profileOf(result.standard, result.version, result.messageType)
      : undefined;
  const reviewer = reviewerOf(result);
  return planDeliveries(
    {
      jobId: record.id,
      tenant: record.tenant,
      ...(record.messageId === undefined ? {} : { messageId: record.messageId }),
      ...(reviewer === undefined ? {} : { reviewer }),
    },
    result,
    profile,
    connectors.defaultConnector,
  );
}

/**
 * Starts a job's deliveries when it moves to `delivering`: a sink of the `delivering` announcement,
 * which is written with the move itself (outbox), so a process dying after the move cannot strand
 * the job — the outbox relay announces it again and this enqueues then. Enqueueing is idempotent
 * (one deliver job id per job and attempt). The deliver job is fenced on the attempt (or review
 * decision) that holds the job, so deliveries of an attempt that lost the job are never made.
 */
export function deliveryStarter(deps: {
  store: JobStore;
  queue: Queue<DeliverJobData>;
  connectors: ConnectorSet;
  profile: ProfileLookup;
}): JobEventSink {
  return async (event) => {
    if (event.type !== 'delivering') return;
    const record = await deps.store.get(event.jobId);
    if (record === undefined || record.state !== 'delivering' || record.result === undefined) return;
    const deliveries = jobDeliveries(record, record.result, deps.connectors, deps.profile);
    const attemptToken = await deps.store.attemptToken(event.jobId);
    await deps.queue.add(
      'deliver',
      {
        kind: 'job',
        jobId: record.id,
        tenant: record.tenant,
        deliveries,
        ...(attemptToken === undefined ? {} : { attemptToken }),
      },
      { jobId: deliverJobId(record.id, attemptToken) },
    );
  };
}
