import type { Queue } from 'bullmq';
import { AppError } from '../errors/app-error.js';
import type { InspectedMessage } from '../xoev/message.types.js';
import { jobIdFor } from './job-id.js';
import type { AnalyseJobData, JobRecord } from './job-record.js';
import type { JobStore } from './job-store.js';
import type { Actor, JobEvents } from './job-events.js';

/**
 * What intake needs from the XÖV layer: bytes in, a checked message (detected, XSD-valid, header
 * read) or an AppError out. Synchronous and fast: parts are read later by the worker.
 */
export interface MessageChecker {
  check(body: Buffer): Omit<InspectedMessage, 'parts'>;
}

export interface SubmitContext {
  tenant: string;
  /** The caller (API key name, token subject); recorded in the audit trail. */
  actor: Actor;
  idempotencyKey?: string;
}

export interface SubmitOutcome {
  record: JobRecord;
  /** False when the message (or Idempotency-Key) was seen before and the existing job is returned. */
  created: boolean;
}

/**
 * Accepts work: validates and inspects it, derives a stable job id, records the job and enqueues
 * it. A 202 is only ever given after the job is in Redis, so nothing accepted is lost.
 */
export class Intake {
  constructor(
    private readonly queue: Queue<AnalyseJobData>,
    private readonly store: JobStore,
    private readonly checker: MessageChecker,
    private readonly events: JobEvents,
  ) {}

  async submitMessage(body: Buffer, ctx: SubmitContext): Promise<SubmitOutcome> {
    const message = this.checker.check(body);
    const id = jobIdFor({ tenant: ctx.tenant, idempotencyKey: ctx.idempotencyKey, standard: message.standard, messageId: message.header.messageId });
    const now = new Date().toISOString();
    const record: JobRecord = {
      id,
      tenant: ctx.tenant,
      kind: 'message',
      state: 'queued',
      createdAt: now,
      updatedAt: now,
      attempts: 0,
      standard: message.standard,
      version: message.version,
      messageType: message.messageType,
      messageId: message.header.messageId,
      idempotencyKey: ctx.idempotencyKey,
    };
    const data: AnalyseJobData = { jobId: id, tenant: ctx.tenant, kind: 'message', message, xmlBase64: body.toString('base64'), receivedAt: now };
    const outcome = await this.enqueue(record, data);
    await this.events.emit({
      type: 'received',
      jobId: outcome.record.id,
      tenant: ctx.tenant,
      actor: ctx.actor,
      at: now,
      kind: 'message',
      standard: message.standard,
      version: message.version,
      messageType: message.messageType,
      messageId: message.header.messageId,
      duplicate: !outcome.created,
    });
    return outcome;
  }

  private async enqueue(record: JobRecord, data: AnalyseJobData): Promise<SubmitOutcome> {
    const created = await guard(() => this.store.createIfAbsent(record));
    if (!created) {
      const existing = await guard(() => this.store.get(record.id));
      if (existing === undefined) return this.enqueue(record, data); // expired between the two calls
      if (existing.state === 'queued' && (await guard(() => this.queue.getJobState(record.id))) === 'unknown') {
        // An earlier intake recorded the job but died before enqueueing it: finish its work now.
        await guard(() => this.queue.add('analyse', data, { jobId: record.id }));
      }
      return { record: existing, created: false };
    }
    try {
      await this.queue.add('analyse', data, { jobId: record.id });
    } catch (error) {
      await this.store.delete(record.id).catch(() => undefined);
      throw new AppError('XGW_REDIS_UNAVAILABLE', { detail: 'The job could not be queued; nothing was accepted. Retry later.', retryAfterSeconds: 5, cause: error });
    }
    return { record, created: true };
  }
}

async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('XGW_REDIS_UNAVAILABLE', { detail: 'The queue store is unavailable; nothing was accepted. Retry later.', retryAfterSeconds: 5, cause: error });
  }
}
