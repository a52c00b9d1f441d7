import type { Redis } from 'ioredis';
import { AppError } from '../errors/app-error.js';
import type { ExtractedValue, Finding, Label } from '../analysis/analysis.types.js';
import type { JobRecord, JobResult } from './job-record.js';
import type { JobStore } from './job-store.js';
import type { Actor, JobEvents } from './job-events.js';
import type { FinishJob } from './job-finisher.js';
import { moveAndAnnounce } from './job-transition.js';

/** A person's decision on a job in review. */
export type ReviewDecision =
  | { decision: 'accept'; comment?: string }
  | { decision: 'correct'; corrections: Correction[]; comment?: string }
  | { decision: 'reject'; reason: string };

/** A corrected finding: the labels (classify) or the data (extract) the person holds to be right. */
export interface Correction {
  partId: string;
  task: 'classify' | 'extract';
  labels?: string[];
  data?: Record<string, unknown>;
}

/** What a decision did, stored in the result so that auditors see who decided what. */
export interface ReviewRecord {
  decision: ReviewDecision['decision'];
  reviewer: string;
  decidedAt: string;
  comment?: string;
  reason?: string;
  reasonsAtReview: string[];
}

export interface ReviewFilter {
  tenant?: string;
  standard?: string;
  /** Only items waiting at least this many seconds. */
  minAgeSeconds?: number;
  limit: number;
}

/** A correction kept as an example for evaluating prompts and models later. */
export interface ReviewExample {
  jobId: string;
  tenant: string;
  partId: string;
  task: 'classify' | 'extract';
  inputHash: string;
  text: string;
  model: string;
  promptVersion: string;
  proposed: unknown;
  corrected: unknown;
  reviewer: string;
  decidedAt: string;
}

/**
 * The review queue: AI proposes, a person decides. Jobs whose findings are uncertain wait here
 * (a sorted set by time of entry); a decision records reviewer and time, takes editorial
 * responsibility for accepted or corrected values (`aiGenerated: false`) and lets the job go on.
 */
export class ReviewQueue {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly store: JobStore,
    private readonly events: JobEvents,
    private readonly finish: FinishJob,
    private readonly retentionSeconds: number,
  ) {}

  private get indexKey(): string {
    return `${this.prefix}:reviews`;
  }

  private get examplesKey(): string {
    return `${this.prefix}:review-examples`;
  }

  /**
   * Puts a job into review (idempotent). With `attemptToken` (the analysis attempt that found the
   * doubt) only while that attempt still holds the job.
   */
  async enter(job: { id: string }, result: JobResult, attemptToken?: string): Promise<boolean> {
    // The job joins the index in the same write as its state: a crash in between left a job in
    // `review` that no reviewer's list showed.
    return this.store.update(job.id, { state: 'review', result }, ['analysing'], attemptToken === undefined ? {} : { owner: attemptToken }, { index: { key: this.indexKey, score: Date.now() } });
  }

  async list(filter: ReviewFilter): Promise<{ record: JobRecord; since: string }[]> {
    const maxScore = filter.minAgeSeconds === undefined ? '+inf' : String(Date.now() - filter.minAgeSeconds * 1000);
    const out: { record: JobRecord; since: string }[] = [];
    let offset = 0;
    const page = 200;
    while (out.length < filter.limit) {
      const ids = await this.redis.zrangebyscore(this.indexKey, '-inf', maxScore, 'WITHSCORES', 'LIMIT', offset, page);
      if (ids.length === 0) break;
      for (let i = 0; i < ids.length && out.length < filter.limit; i += 2) {
        const id = ids[i] ?? '';
        const record = await this.store.get(id);
        if (record === undefined || record.state !== 'review') {
          await this.redis.zrem(this.indexKey, id); // expired or decided elsewhere
          continue;
        }
        if (filter.tenant !== undefined && record.tenant !== filter.tenant) continue;
        if (filter.standard !== undefined && record.standard !== filter.standard) continue;
        out.push({ record, since: new Date(Number(ids[i + 1])).toISOString() });
      }
      offset += page;
    }
    return out;
  }

  async pending(): Promise<number> {
    return this.redis.zcard(this.indexKey);
  }

  /** Applies a decision. Throws 409 when the job is not (or no longer) in review. */
  async decide(record: JobRecord, decision: ReviewDecision, reviewer: Actor): Promise<JobRecord> {
    const result = record.result;
    if (record.state !== 'review' || result === undefined) throw new AppError('XGW_REQ_CONFLICT', { detail: `Job ${record.id} is ${record.state}, not in review.` });
    const decidedAt = new Date().toISOString();
    const review: ReviewRecord = { decision: decision.decision, reviewer: reviewer.id, decidedAt, reasonsAtReview: result.reviewReasons };
    if (decision.decision !== 'reject' && decision.comment !== undefined) review.comment = decision.comment;
    if (decision.decision === 'reject') review.reason = decision.reason;

    const examples: ReviewExample[] = [];
    let findings = result.findings;
    if (decision.decision === 'correct') {
      findings = findings.map((f) => {
        const correction = decision.corrections.find((c) => c.partId === f.partId && c.task === f.task);
        if (correction === undefined) return f;
        const corrected = applyCorrection(f, correction);
        const text = result.parts.find((p) => p.id === f.partId)?.text ?? '';
        examples.push({ jobId: record.id, tenant: record.tenant, partId: f.partId, task: f.task, inputHash: f.inputHash, text, model: f.model, promptVersion: f.promptVersion, proposed: proposal(f), corrected: proposal(corrected), reviewer: reviewer.id, decidedAt });
        return corrected;
      });
      const unknown = decision.corrections.filter((c) => !result.findings.some((f) => f.partId === c.partId && f.task === c.task));
      if (unknown.length > 0) throw new AppError('XGW_REQ_VALIDATION', { detail: 'A correction names a finding the job does not have.', errors: unknown.map((c) => ({ message: `no ${c.task} finding for part ${c.partId}`, path: '/corrections' })) });
    }
    if (decision.decision !== 'reject') {
      // A person took editorial responsibility: the values are no longer only AI-generated.
      findings = findings.map((f) => ({ ...f, aiGenerated: false, acceptedBy: reviewer.id }));
    }
    const decided: JobResult & { review: ReviewRecord } = { ...result, findings, review };
    const tenantJob = { id: record.id, tenant: record.tenant };
    if (decision.decision === 'reject') {
      // The end is announced like any other (webhooks and the job's callbackUrl hear of `failed`).
      const failed = { type: 'failed', jobId: record.id, tenant: record.tenant, actor: reviewer, at: decidedAt, code: 'XGW_REVIEW_REJECTED', final: true } as const;
      const ok = await moveAndAnnounce(this.store, this.events, { patch: { state: 'failed', result: decided, failedReason: { code: 'XGW_REVIEW_REJECTED', detail: decision.reason } }, from: ['review'] }, failed);
      if (!ok) throw new AppError('XGW_REQ_CONFLICT', { detail: `Job ${record.id} was decided meanwhile.` });
    } else {
      // Claim the decision first, so two reviewers cannot both continue the job.
      const claimed = await this.redis.set(`${this.prefix}:review-decided:${record.id}`, reviewer.id, 'EX', this.retentionSeconds, 'NX');
      if (claimed === null) throw new AppError('XGW_REQ_CONFLICT', { detail: `Job ${record.id} was decided meanwhile.` });
      await this.finish(tenantJob, decided, ['review']);
    }
    await this.redis.zrem(this.indexKey, record.id);
    if (examples.length > 0) {
      await this.redis.multi().rpush(this.examplesKey, ...examples.map((e) => JSON.stringify(e))).expire(this.examplesKey, this.retentionSeconds).exec();
    }
    await this.events.emit({ type: 'reviewed', jobId: record.id, tenant: record.tenant, actor: reviewer, at: decidedAt, decision: decision.decision });
    const after = await this.store.get(record.id);
    if (after === undefined) throw new AppError('XGW_REQ_NOT_FOUND', { detail: `Job ${record.id} expired.` });
    return after;
  }

  /** Corrections kept as examples, oldest first (for evaluating prompts and models). */
  async examples(tenant: string | undefined, limit: number): Promise<ReviewExample[]> {
    const raw = await this.redis.lrange(this.examplesKey, 0, -1);
    // Entries are written only by decide() above from typed ReviewExamples.
    const all = raw.map((r) => JSON.parse(r) as ReviewExample);
    return all.filter((e) => tenant === undefined || e.tenant === tenant).slice(0, limit);
  }
}

function proposal(f: Finding): unknown {
  return f.task === 'classify' ? (f.classification?.labels.map((l) => l.code) ?? []) : (f.extraction?.data ?? {});
}

function applyCorrection(f: Finding, c: Correction): Finding {
  if (f.task === 'classify') {
    if (c.labels === undefined) throw new AppError('XGW_REQ_VALIDATION', { detail: `Correction of the classify finding of ${f.partId} needs labels.`, errors: [{ message: 'labels required', path: '/corrections' }] });
    const known = new Map((f.classification?.labels ?? []).map((l) => [l.code, l]));
    const labels: Label[] = c.labels.map((code) => known.get(code) ?? { code, name: code });
    return { ...f, classification: { labels, confidence: 1, rationale: 'corrected by a reviewer' }, reviewReasons: [], corrected: true };
  }
  if (c.data === undefined) throw new AppError('XGW_REQ_VALIDATION', { detail: `Correction of the extract finding of ${f.partId} needs data.`, errors: [{ message: 'data required', path: '/corrections' }] });
  const values: ExtractedValue[] = (f.extraction?.values ?? []).filter((v) => {
    const corrected = c.data?.[v.field];
    return Array.isArray(corrected) ? corrected.includes(v.value) : corrected === v.value;
  });
  return { ...f, extraction: { data: c.data, values }, reviewReasons: [], corrected: true };
}
