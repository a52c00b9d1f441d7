import { DEFAULT_LIMITS } from '../xoev/xml-limits.js';
import { messageIdOf } from '../documents/readers/eml.reader.js';
import { sniff } from '../documents/sniff.js';
import { createHash, randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { TaskSpec } from '../jobs/finding.js';
import type { MessagePart } from '../jobs/message.js';
import { AppError } from '../errors/app-error.js';
import type { CheckedMessage } from '../xoev/catalog.js';
import { jobIdFor } from './job-id.js';
import type { AnalyseJobData, JobRecord, PlannedTask, TaskDocument } from '../jobs/job-record.js';
import { berlinDate } from '../usecases/deadline.js';
import type { JobStore } from '../jobs/job-store.js';
import type { Actor, JobEvents } from '../jobs/job-events.js';
import type { Attributes } from '@opentelemetry/api';
import { inSpan } from '../observability/tracing.js';

/**
 * What intake needs from the XÖV layer: bytes in, a checked message (detected, XSD-valid, message
 * id read) or an AppError out. Synchronous and fast: the header and parts are read later by the worker.
 */
export interface MessageChecker {
  check(body: Buffer): CheckedMessage;
}

export interface SubmitContext {
  tenant: string;
  /** The caller (API key name, token subject); recorded in the audit trail. */
  actor: Actor;
  idempotencyKey?: string;
  /** The channel the message came by (an inbound connector), recorded with the job. */
  source?: { channel: string; ids: Record<string, string> };
}

/** A request profile to run (Posteingang) instead of one task, and the request's day of receipt if the caller knows it. */
export interface UseCaseInput {
  name: string;
  /** ISO date the request reached the authority (a letter scanned days later); default: the day of the call. */
  eingang?: string;
}

/** A task job as a machine client submits it (POST /v1/jobs), already validated: one task, or a use case's. */
export interface TaskInput {
  task?: TaskSpec;
  useCase?: UseCaseInput;
  text?: string;
  document?: TaskDocument;
  callbackUrl?: string;
  reference?: string;
}

/** A request profile as intake needs it: the named tasks it runs on a request. */
export interface RequestProfile {
  tasks(): { name: string; task: TaskSpec }[];
}

/** Limits intake enforces on task jobs. */
export interface IntakeLimits {
  /** Largest decoded document in bytes (`MAX_ATTACHMENT_BYTES`). */
  maxAttachmentBytes: number;
  /** Largest sum of a message's attachments in bytes (`MAX_ATTACHMENTS_TOTAL_BYTES`). @defaultValue 16 MiB */
  maxAttachmentsTotalBytes?: number;
  /** Longest `text` in characters (`PART_MAX_CHARS`). */
  maxPartChars: number;
}

export interface SubmitOutcome {
  record: JobRecord;
  /** False when the message (or Idempotency-Key) was seen before and the existing job is returned. */
  created: boolean;
}

/** The Message-ID of a document that is an e-mail (declared or by its header block), else undefined. */
function mailMessageId(document: { contentBase64: string; mimeType?: string }): string | undefined {
  const head = Buffer.from(document.contentBase64.slice(0, 90_000), 'base64');
  const type = sniff(head, document.mimeType);
  return type.format === 'eml' ? messageIdOf(head) : undefined;
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
    private readonly limits: IntakeLimits = { maxAttachmentBytes: 8 * 1024 * 1024, maxPartChars: 200_000 },
    private readonly profiles: ReadonlyMap<string, RequestProfile> = new Map(),
  ) {}

  /** Whether a request profile of this name is loaded (e-mails get `posteingang` when it is). */
  hasProfile(name: string): boolean {
    return this.profiles.has(name);
  }

  /** Accepts an XÖV message (with attachments sent beside it): a `receive message` span when tracing runs. */
  submitMessage(
    body: Buffer,
    ctx: SubmitContext,
    beside: readonly { fileName: string; mimeType?: string; bytes: Buffer }[] = [],
  ): Promise<SubmitOutcome> {
    return inSpan('receive message', {}, async (span) => {
      const outcome = await this.acceptMessage(body, ctx, beside);
      if (span.isRecording()) span.setAttributes(receivedAttributes(outcome, ctx));
      return outcome;
    });
  }

  /** Accepts a task job (text, document, form, use case): a `receive task` span when tracing runs. */
  submitTask(input: TaskInput, ctx: SubmitContext): Promise<SubmitOutcome> {
    return inSpan('receive task', {}, async (span) => {
      const outcome = await this.acceptTask(input, ctx);
      if (span.isRecording()) span.setAttributes(receivedAttributes(outcome, ctx));
      return outcome;
    });
  }

  private async acceptMessage(
    body: Buffer,
    ctx: SubmitContext,
    beside: readonly { fileName: string; mimeType?: string; bytes: Buffer }[],
  ): Promise<SubmitOutcome> {
    this.checkBeside(beside);
    const message = this.checker.check(body);
    const id = jobIdFor({
      tenant: ctx.tenant,
      idempotencyKey: ctx.idempotencyKey,
      standard: message.standard,
      messageId: message.messageId,
    });
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
      messageId: message.messageId,
      client: ctx.actor.id,
      ...(ctx.idempotencyKey !== undefined ? { idempotencyKey: ctx.idempotencyKey } : {}),
      ...(ctx.source === undefined ? {} : { source: ctx.source }),
    };
    const data: AnalyseJobData = {
      jobId: id,
      tenant: ctx.tenant,
      client: ctx.actor.id,
      kind: 'message',
      xmlBase64: body.toString('base64'),
      ...(beside.length === 0
        ? {}
        : {
            attachments: beside.map((a) => ({
              fileName: a.fileName,
              ...(a.mimeType === undefined ? {} : { mimeType: a.mimeType }),
              contentBase64: a.bytes.toString('base64'),
            })),
          }),
      receivedAt: now,
    };
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
      messageId: message.messageId,
      duplicate: !outcome.created,
    });
    return outcome;
  }

  /** Attachments beside a message: each within its limit, all within theirs, names unique (the message refers to them by name). */
  private checkBeside(beside: readonly { fileName: string; bytes: Buffer }[]): void {
    // The message's own attachment limit counts the files beside it too: refused now, not failed later.
    if (beside.length > DEFAULT_LIMITS.maxAttachments)
      throw new AppError('XGW_ATTACHMENT_LIMIT', {
        detail: `${beside.length} files beside the message; the limit is ${DEFAULT_LIMITS.maxAttachments}.`,
        extensions: { limit: 'maxAttachments' },
      });
    let total = 0;
    const names = new Set<string>();
    for (const [i, a] of beside.entries()) {
      const where = `/attachments/${i}`;
      if (a.bytes.length > this.limits.maxAttachmentBytes)
        throw new AppError('XGW_ATTACHMENT_LIMIT', {
          detail: `Attachment ${a.fileName} has ${a.bytes.length} bytes; the limit is ${this.limits.maxAttachmentBytes}.`,
          errors: [{ message: 'attachment too large', path: where }],
          extensions: { limit: 'maxAttachmentBytes' },
        });
      total += a.bytes.length;
      if (total > (this.limits.maxAttachmentsTotalBytes ?? 16 * 1024 * 1024))
        throw new AppError('XGW_ATTACHMENT_LIMIT', {
          detail: `The attachments exceed ${this.limits.maxAttachmentsTotalBytes ?? 16 * 1024 * 1024} bytes in total.`,
          extensions: { limit: 'maxAttachmentsTotalBytes' },
        });
      if (names.has(a.fileName))
        throw new AppError('XGW_REQ_VALIDATION', {
          detail: `Two attachments are named ${a.fileName}; the message refers to attachments by file name.`,
          errors: [{ message: 'duplicate file name', path: where }],
        });
      names.add(a.fileName);
    }
  }

  /**
   * Accepts a task from a machine client without an XÖV message (RPA bots): one part (text, or the
   * text of a base64 document), one task. Without an Idempotency-Key every call is a new job.
   */
  private async acceptTask(input: TaskInput, ctx: SubmitContext): Promise<SubmitOutcome> {
    const profile = input.useCase === undefined ? undefined : this.profiles.get(input.useCase.name);
    if (input.useCase !== undefined && profile === undefined)
      throw new AppError('XGW_REQ_VALIDATION', {
        detail: `No request profile ${input.useCase.name}; loaded: ${[...this.profiles.keys()].join(', ') || 'none'}.`,
        errors: [{ message: 'unknown profile', path: '/profile' }],
      });
    // An e-mail's Message-ID makes it once-only, as a message's id does (the same mail twice is one job).
    const mailId = input.document === undefined ? undefined : mailMessageId(input.document);
    // Keyed by the task too (the same mail classified and extracted are two jobs), in a key space no
    // client's Idempotency-Key can name (it cannot hold a NUL).
    const key =
      ctx.idempotencyKey ??
      (mailId === undefined
        ? undefined
        : `mail\u0000${mailId}\u0000${createHash('sha256')
            .update(JSON.stringify(input.useCase?.name ?? input.task))
            .digest('hex')
            .slice(0, 16)}`);
    const id =
      key !== undefined
        ? jobIdFor({ tenant: ctx.tenant, idempotencyKey: key })
        : `t${randomUUID().replaceAll('-', '')}`;
    const now = new Date().toISOString();
    const part: MessagePart = {
      id: 'p1',
      kind: input.document === undefined ? 'text' : 'attachment',
      path: input.document === undefined ? '/text' : '/document',
      element: input.document === undefined ? 'text' : 'document',
    };
    if (input.document !== undefined) {
      // Only the size is checked here: the document is read by the worker, in a child process within
      // the document limits, as a message's attachments are. The API answers in milliseconds
      // whatever the document holds; one that cannot be read fails its job with the reason.
      const bytes = Buffer.byteLength(input.document.contentBase64, 'base64');
      if (bytes > this.limits.maxAttachmentBytes) {
        throw new AppError('XGW_ATTACHMENT_LIMIT', {
          detail: `The document has ${bytes} bytes; the limit is ${this.limits.maxAttachmentBytes}.`,
        });
      }
      part.sizeBytes = bytes;
      if (input.document.mimeType !== undefined) part.mimeType = input.document.mimeType;
      if (input.document.fileName !== undefined) part.fileName = input.document.fileName;
    } else {
      const text = input.text ?? '';
      if (text.length > this.limits.maxPartChars) {
        throw new AppError('XGW_PART_TOO_LONG', {
          detail: `The text has ${text.length} characters; PART_MAX_CHARS is ${this.limits.maxPartChars}. Split it into several jobs.`,
          errors: [{ message: 'text too long', path: '/text' }],
        });
      }
      part.text = text;
    }
    const record: JobRecord = {
      id,
      tenant: ctx.tenant,
      kind: 'task',
      state: 'queued',
      createdAt: now,
      updatedAt: now,
      attempts: 0,
      client: ctx.actor.id,
      ...(key !== undefined ? { idempotencyKey: key } : {}),
      ...(ctx.source === undefined ? {} : { source: ctx.source }),
      ...(input.callbackUrl !== undefined ? { callbackUrl: input.callbackUrl } : {}),
      ...(input.reference !== undefined ? { reference: input.reference } : {}),
    };
    const data: AnalyseJobData = {
      jobId: id,
      tenant: ctx.tenant,
      client: ctx.actor.id,
      kind: 'task',
      parts: [part],
      plan: planOf(input, part.id, profile),
      ...(input.useCase === undefined
        ? {}
        : { useCase: { name: input.useCase.name, eingang: input.useCase.eingang ?? berlinDate(new Date(now)) } }),
      receivedAt: now,
      ...(input.document === undefined ? {} : { document: input.document }),
    };
    const outcome = await this.enqueue(record, data);
    await this.events.emit({
      type: 'received',
      jobId: outcome.record.id,
      tenant: ctx.tenant,
      actor: ctx.actor,
      at: now,
      kind: 'task',
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
      throw new AppError('XGW_REDIS_UNAVAILABLE', {
        detail: 'The job could not be queued; nothing was accepted. Retry later.',
        retryAfterSeconds: 5,
        cause: error,
      });
    }
    return { record, created: true };
  }
}

/** The tasks of a task job on its one part: the caller's task, or the use case's. */
function planOf(input: TaskInput, partId: string, profile: RequestProfile | undefined): PlannedTask[] {
  if (profile !== undefined) return profile.tasks().map((t) => ({ partId, task: t.task, name: t.name }));
  if (input.task === undefined) throw new AppError('XGW_INTERNAL', { detail: 'a task job without a task' });
  return [{ partId, task: input.task, name: input.task.kind }];
}

/** What a receive span records: which job, which message, by which channel; no content. */
function receivedAttributes(outcome: SubmitOutcome, ctx: SubmitContext): Attributes {
  const r = outcome.record;
  return {
    'xgw.job.id': r.id,
    'xgw.job.kind': r.kind,
    'xgw.job.duplicate': !outcome.created,
    ...(r.messageId === undefined ? {} : { 'xgw.message.id': r.messageId }),
    ...(r.standard === undefined ? {} : { 'xoev.standard': r.standard }),
    ...(r.messageType === undefined ? {} : { 'xoev.message_type': r.messageType }),
    ...(ctx.source === undefined ? {} : { 'xgw.channel': ctx.source.channel }),
  };
}

async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('XGW_REDIS_UNAVAILABLE', {
      detail: 'The queue store is unavailable; nothing was accepted. Retry later.',
      retryAfterSeconds: 5,
      cause: error,
    });
  }
}
