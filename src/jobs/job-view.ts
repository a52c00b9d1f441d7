import type { JobRecord } from './job-record.js';

export function jobLocation(id: string): string {
  return `/v1/jobs/${encodeURIComponent(id)}`;
}

/** The body of 202/200 answers to a submission. */
export function acceptedBody(record: JobRecord, duplicate: boolean) {
  return {
    id: record.id,
    state: record.state,
    location: jobLocation(record.id),
    duplicate,
    ...(record.standard !== undefined ? { standard: record.standard } : {}),
    ...(record.version !== undefined ? { version: record.version } : {}),
    ...(record.messageType !== undefined ? { messageType: record.messageType } : {}),
    ...(record.messageId !== undefined ? { messageId: record.messageId } : {}),
    ...(record.reference !== undefined ? { reference: record.reference } : {}),
  };
}

/** The public view of a job: the record without internal fields (tenant, idempotency key, task plan). */
export function jobBody(record: JobRecord) {
  const { tenant: _tenant, idempotencyKey: _key, plan: _plan, ...view } = record;
  return view;
}
