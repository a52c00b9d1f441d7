import { AppError } from '../../errors/app-error.js';
import type { JobStore } from '../../jobs/job-store.js';
import { acceptedBody } from '../../jobs/job-view.js';
import type { AuditTrail } from '../../observability/audit-trail.js';
import type { Intake } from '../../pipeline/intake.js';
import type { ReviewQueue } from '../../pipeline/review-queue.js';
import type { OutboundPolicy } from '../../security/outbound-policy.js';
import { actorOf, hasRole, type Principal } from '../../security/principal.js';
import { assertTenantAccess } from '../../security/tenant-access.js';
import { toTaskInput } from './task-input.js';

/**
 * The operations of the REST API that another front also offers (the MCP server): one function
 * each, so that both answer alike and check the caller the same way.
 */

/** A job of the caller's tenant (404 for another's, as for an unknown one). */
export async function readJob(store: JobStore, id: string, principal: Principal) {
  let record;
  try {
    record = await store.get(id);
  } catch (error) {
    throw new AppError('XGW_REDIS_UNAVAILABLE', {
      detail: 'The job store is unavailable. Retry later.',
      retryAfterSeconds: 5,
      cause: error,
    });
  }
  if (record === undefined)
    throw new AppError('XGW_REQ_NOT_FOUND', {
      detail: `No job ${id} (unknown, or expired after the retention period).`,
    });
  assertTenantAccess(principal, record);
  return record;
}

/** POST /v1/jobs: a task (or a profile's request) as a job of the caller's tenant. */
export async function submitTask(
  intake: Intake,
  outbound: OutboundPolicy,
  body: unknown,
  principal: Principal,
  idempotencyKey: string | undefined,
) {
  const input = toTaskInput(body, outbound);
  const outcome = await intake.submitTask(input, {
    tenant: principal.tenant,
    actor: actorOf(principal),
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });
  return { created: outcome.created, view: acceptedBody(outcome.record, !outcome.created) };
}

/** GET /v1/jobs/{id}/audit: the trail (it may outlive the record; its entries name the tenant). */
export async function readAuditTrail(trail: AuditTrail, store: JobStore, id: string, principal: Principal) {
  let report;
  let record;
  try {
    [report, record] = await Promise.all([trail.read(id), store.get(id)]);
  } catch (error) {
    throw new AppError('XGW_REDIS_UNAVAILABLE', {
      detail: 'The audit trail is unavailable. Retry later.',
      retryAfterSeconds: 5,
      cause: error,
    });
  }
  const tenant = record?.tenant ?? report.entries[0]?.entry.tenant;
  if (tenant === undefined)
    throw new AppError('XGW_REQ_NOT_FOUND', {
      detail: `No job ${id} (unknown, or expired after the retention period).`,
    });
  assertTenantAccess(principal, { id, tenant });
  return {
    jobId: id,
    verified: report.verified,
    ...(report.brokenAt === undefined ? {} : { brokenAt: report.brokenAt }),
    entries: report.entries.map(({ id: streamId, entry, hash }) => ({ ...entry, id: streamId, hash })),
  };
}

/** What a review list may be asked for. */
export interface ReviewQuery {
  tenant?: string;
  standard?: string;
  cursor?: string;
  minAgeSeconds?: number;
  order?: 'newest';
  limit: number;
}

/** GET /v1/reviews: reviewers see their own tenant; only admins may look at another (or all). */
export async function listReviews(reviews: ReviewQueue, principal: Principal, query: ReviewQuery) {
  const tenant = hasRole(principal, 'admin') ? query.tenant : principal.tenant;
  const page = await reviews.list({
    ...(tenant === undefined ? {} : { tenant }),
    ...(query.standard === undefined ? {} : { standard: query.standard }),
    ...(query.minAgeSeconds === undefined ? {} : { minAgeSeconds: query.minAgeSeconds }),
    ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    ...(query.order === undefined ? {} : { order: query.order }),
    limit: query.limit,
  });
  return {
    reviews: page.items.map(({ record, since }) => ({
      id: record.id,
      since,
      kind: record.kind,
      reasons: record.result?.reviewReasons ?? [],
      ...(record.standard === undefined ? {} : { standard: record.standard }),
      ...(record.messageType === undefined ? {} : { messageType: record.messageType }),
      ...(record.messageId === undefined ? {} : { messageId: record.messageId }),
    })),
    ...(page.next === undefined ? {} : { next: page.next }),
  };
}
