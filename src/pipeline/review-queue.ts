import type { RedisClient } from '../jobs/redis-connection.js';
import type { ProposalEdit, UseCases } from '../usecases/use-cases.js';
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors/app-error.js';
import type { ExtractedValue, Finding, Label } from '../jobs/finding.js';
import { checkCorrection } from '../analysis/correction-check.js';
import { plannedTaskOf, type JobRecord, type JobResult, type PlannedTask } from '../jobs/job-record.js';
import type { JobStore } from '../jobs/job-store.js';
import type { Actor, JobEvents } from '../jobs/job-events.js';
import type { FinishJob } from './job-finisher.js';
import { moveAndAnnounce } from '../jobs/job-transition.js';
import { RedisKeys } from '../jobs/redis-keys.js';

/** A person's decision on a job in review. */
export type ReviewDecision =
  | { decision: 'accept'; comment?: string }
  | { decision: 'correct'; corrections?: Correction[]; proposal?: ProposalEdit[]; comment?: string }
  | { decision: 'reject'; reason: string };

/** A corrected finding: the labels (classify) or the data (extract) the person holds to be right. */
export interface Correction {
  partId: string;
  task: 'classify' | 'extract';
  labels?: string[];
  data?: Record<string, unknown>;
  /**
   * extract: where in the part's text a corrected (single) value stands, by field: the reviewer
   * re-points the evidence by selecting the text; the quote is cut from the text here.
   */
  evidence?: Record<string, { start: number; end: number }>;
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
  /** Whose reviews; without it (admins only) every tenant's. */
  tenant?: string;
  standard?: string;
  /** Only items waiting at least this many seconds. */
  minAgeSeconds?: number;
  limit: number;
  /** Where the previous page ended (its `next`). */
  cursor?: string;
  /** Oldest first (the default: the queue's order) or newest first. */
  order?: 'oldest' | 'newest';
}

/** One page of the review queue, oldest first; `next` continues it. */
export interface ReviewPage {
  items: { record: JobRecord; since: string }[];
  next?: string;
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
  /** The task the finding answers (labels offered, or the schema), so an example can be run again (`xoev-gw eval`). */
  spec?: PlannedTask['task'];
  reviewer: string;
  decidedAt: string;
}

/** An entry of a review index: the job and when it entered review (ms). */
interface IndexEntry {
  id: string;
  score: number;
}

/**
 * One shard's review index read in order from a cursor, a page at a time as it is consumed.
 * Entries with the cursor's own score sort by member: those up to its member were read already.
 */
class IndexStream {
  private buffer: IndexEntry[] = [];
  private done = false;
  private offset = 0;

  constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
    private readonly newest: boolean,
    private readonly maxScore: string,
    private after: IndexEntry | undefined,
  ) {}

  async peek(): Promise<IndexEntry | undefined> {
    while (this.buffer.length === 0 && !this.done) await this.fill();
    return this.buffer[0];
  }

  take(): IndexEntry | undefined {
    return this.buffer.shift();
  }

  private async fill(): Promise<void> {
    const page = 200;
    const after = this.after;
    const from = after === undefined ? undefined : String(after.score);
    const raw = this.newest
      ? await this.redis.zrevrangebyscore(
          this.key,
          from ?? this.maxScore,
          '-inf',
          'WITHSCORES',
          'LIMIT',
          this.offset,
          page,
        )
      : await this.redis.zrangebyscore(
          this.key,
          from ?? '-inf',
          this.maxScore,
          'WITHSCORES',
          'LIMIT',
          this.offset,
          page,
        );
    const entries: IndexEntry[] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) entries.push({ id: raw[i] ?? '', score: Number(raw[i + 1]) });
    this.buffer.push(
      ...entries.filter(
        (e) =>
          after === undefined ||
          (this.newest ? e.score < after.score || e.id < after.id : e.score > after.score || e.id > after.id),
      ),
    );
    const tail = entries[entries.length - 1];
    if (entries.length < page || tail === undefined) this.done = true;
    // More than a page at one score: step over them by count; otherwise go on after the tail.
    else if (after !== undefined && tail.score === after.score) this.offset += page;
    else {
      this.after = tail;
      this.offset = 0;
    }
  }
}

/** How long a claimed decision holds a job before another decision may take it (its process died). */
const DECISION_LEASE_MS = 60_000;

/** A page cursor: score and member of the last item, so a page continues exactly after it. */
function encodeCursor(score: number, id: string): string {
  return Buffer.from(JSON.stringify([score, id])).toString('base64url');
}

function decodeCursor(cursor: string): { score: number; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'string')
      return { score: value[0], id: value[1] };
  } catch {
    // fall through
  }
  throw new AppError('XGW_REQ_VALIDATION', {
    detail: 'The cursor is not one this API gave out.',
    errors: [{ message: 'invalid cursor', path: '/cursor' }],
  });
}

/**
 * The review queue: AI proposes, a person decides. Jobs whose findings are uncertain wait here
 * (sorted sets by time of entry: one per tenant, which a reviewer's list reads, and one of all,
 * for admins and the pending gauge); a decision records reviewer and time, takes editorial
 * responsibility for accepted or corrected values (`aiGenerated: false`) and lets the job go on.
 */
export class ReviewQueue {
  private readonly keys: RedisKeys;
  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    private readonly store: JobStore,
    private readonly events: JobEvents,
    private readonly finish: FinishJob,
    private readonly retentionSeconds: number,
    private readonly useCases?: UseCases,
  ) {
    this.keys = new RedisKeys(prefix);
  }

  private examplesKey(tenant: string): string {
    return this.keys.reviewExamples(tenant);
  }

  /**
   * Puts a job into review (idempotent), with the tasks its findings answer. With `attemptToken`
   * (the analysis attempt that found the doubt) only while that attempt still holds the job.
   */
  async enter(
    job: { id: string; tenant: string },
    result: JobResult,
    plan: readonly PlannedTask[],
    attemptToken?: string,
  ): Promise<boolean> {
    // The job joins the indexes in the same write as its state: a crash in between left a job in
    // `review` that no reviewer's list showed.
    return this.store.move(
      job.id,
      'doubt',
      { result, plan: [...plan] },
      attemptToken === undefined ? {} : { owner: attemptToken },
      { index: { keys: [this.keys.reviews(job.id), this.keys.reviews(job.id, job.tenant)], score: Date.now() } },
    );
  }

  /**
   * One page of jobs waiting for a person, oldest first (or newest), from the tenant's own index
   * (a reviewer's list costs what that tenant has waiting, not what all have), one sorted set per
   * shard, merged by entry time. Entries whose job was decided or expired meanwhile are dropped
   * from the indexes as they are met.
   */
  async list(filter: ReviewFilter): Promise<ReviewPage> {
    const newest = filter.order === 'newest';
    const maxScore = filter.minAgeSeconds === undefined ? '+inf' : String(Date.now() - filter.minAgeSeconds * 1000);
    const after = filter.cursor === undefined ? undefined : decodeCursor(filter.cursor);
    const streams = this.keys
      .reviewShards(filter.tenant)
      .map((key) => new IndexStream(this.redis, key, newest, maxScore, after));
    const first = (a: IndexEntry, b: IndexEntry): boolean =>
      newest
        ? a.score > b.score || (a.score === b.score && a.id > b.id)
        : a.score < b.score || (a.score === b.score && a.id < b.id);
    const items: ReviewPage['items'] = [];
    for (;;) {
      // The next entries in merged order, as many as the page still needs; then their records at once.
      const batch: IndexEntry[] = [];
      while (batch.length < filter.limit - items.length) {
        const heads = await Promise.all(streams.map((st) => st.peek()));
        let best: number | undefined;
        for (const [i, head] of heads.entries()) {
          const current = best === undefined ? undefined : heads[best];
          if (head !== undefined && (current === undefined || first(head, current))) best = i;
        }
        const taken = best === undefined ? undefined : streams[best]?.take();
        if (taken === undefined) break;
        batch.push(taken);
      }
      if (batch.length === 0) return { items };
      const records = await Promise.all(batch.map((e) => this.store.get(e.id)));
      for (const [i, e] of batch.entries()) {
        const record = records[i];
        if (record === undefined || record.state !== 'review') {
          await this.redis.zrem(this.keys.reviews(e.id), e.id);
          await this.redis.zrem(this.keys.reviews(e.id, record?.tenant ?? filter.tenant), e.id);
          continue;
        }
        if (filter.standard !== undefined && record.standard !== filter.standard) continue;
        items.push({ record, since: new Date(e.score).toISOString() });
        if (items.length >= filter.limit) return { items, next: encodeCursor(e.score, e.id) };
      }
    }
  }

  /** Jobs waiting for a person: of every tenant, or of one. */
  async pending(tenant?: string): Promise<number> {
    const counts = await Promise.all(this.keys.reviewShards(tenant).map((key) => this.redis.zcard(key)));
    return counts.reduce((a, b) => a + b, 0);
  }

  /**
   * Applies a decision. Exactly one decision on a job wins, in every interleaving: each first claims
   * the job in one script (state `review` and no other claim, see JobStore.claimReview), and every
   * later write of the decision is fenced on its claim. Others get 409. Corrections are checked
   * against their tasks before anything is claimed (422).
   */
  async decide(record: JobRecord, decision: ReviewDecision, reviewer: Actor): Promise<JobRecord> {
    const result = record.result;
    if (record.state !== 'review' || result === undefined)
      throw new AppError('XGW_REQ_CONFLICT', { detail: `Job ${record.id} is ${record.state}, not in review.` });
    const decidedAt = new Date().toISOString();
    const review: ReviewRecord = {
      decision: decision.decision,
      reviewer: reviewer.id,
      decidedAt,
      reasonsAtReview: result.reviewReasons,
    };
    if (decision.decision !== 'reject' && decision.comment !== undefined) review.comment = decision.comment;
    if (decision.decision === 'reject') review.reason = decision.reason;

    const examples: ReviewExample[] = [];
    let findings = result.findings;
    const corrections = decision.decision === 'correct' ? (decision.corrections ?? []) : [];
    let replyProposal = result.proposal;
    if (decision.decision === 'correct' && decision.proposal !== undefined && decision.proposal.length > 0) {
      if (replyProposal === undefined || this.useCases === undefined)
        throw new AppError('XGW_REVIEW_CORRECTION_INVALID', {
          detail: `Job ${record.id} proposes no reply; there is nothing to change.`,
          errors: [{ message: 'no proposed reply', path: '/proposal' }],
        });
      replyProposal = this.useCases.edit(replyProposal, decision.proposal);
    }
    if (decision.decision === 'correct') {
      checkCorrections(record, corrections);
      findings = findings.map((f) => {
        const correction = corrections.find((c) => c.partId === f.partId && c.task === f.task);
        if (correction === undefined) return f;
        const task = taskOf(record, f);
        const text = result.parts.find((p) => p.id === f.partId)?.text ?? '';
        const corrected = applyCorrection(f, correction, task?.labels ?? [], text);
        examples.push({
          jobId: record.id,
          tenant: record.tenant,
          partId: f.partId,
          task: correction.task,
          inputHash: f.inputHash,
          text,
          model: f.model,
          promptVersion: f.promptVersion,
          proposed: proposal(f),
          corrected: proposal(corrected),
          ...(task === undefined ? {} : { spec: task.spec }),
          reviewer: reviewer.id,
          decidedAt,
        });
        return corrected;
      });
    }
    if (decision.decision !== 'reject') {
      // A person took editorial responsibility: the values are no longer only AI-generated.
      findings = findings.map((f) => ({ ...f, aiGenerated: false, acceptedBy: reviewer.id }));
    }
    // A person accepted the proposal: its drafts are no longer only AI-generated (EU AI Act Art. 50).
    if (replyProposal !== undefined && decision.decision !== 'reject')
      replyProposal = {
        ...replyProposal,
        items: replyProposal.items.map((i) => (i.aiGenerated === undefined ? i : { ...i, aiGenerated: false })),
      };
    const decided: JobResult & { review: ReviewRecord } = {
      ...result,
      findings,
      review,
      ...(replyProposal === undefined ? {} : { proposal: replyProposal }),
    };
    // The reply in the standard's message type is built and XSD-checked before anything moves: a
    // reply that does not validate ends the job with its coded reason, it is never offered.
    let replyError: AppError | undefined;
    if (decision.decision !== 'reject' && replyProposal !== undefined && this.useCases !== undefined) {
      try {
        const reply = this.useCases.reply(record.id, decided);
        if (reply !== undefined) decided.reply = reply;
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        // The reviewer's own changes broke it: their correction is refused, the job stays in review.
        if (decision.decision === 'correct' && (decision.proposal?.length ?? 0) > 0)
          throw new AppError('XGW_REVIEW_CORRECTION_INVALID', {
            detail: `The changed proposal does not make a valid ${result.proposal?.replyType ?? 'reply'}: ${error.detail ?? error.message}`,
            errors: error.errors,
          });
        replyError = error;
      }
    }
    const token = randomUUID();
    if (!(await this.store.claimReview(record.id, token, DECISION_LEASE_MS))) {
      throw new AppError('XGW_REQ_CONFLICT', {
        detail: `Job ${record.id} was decided, or is being decided, by someone else.`,
      });
    }
    if (decision.decision === 'reject' || replyError !== undefined) {
      // The end is announced like any other (webhooks and the job's callbackUrl hear of `failed`).
      const reason =
        replyError === undefined
          ? { code: 'XGW_REVIEW_REJECTED', detail: decision.decision === 'reject' ? decision.reason : '' }
          : { code: replyError.code, detail: replyError.detail ?? replyError.message };
      const failed = {
        type: 'failed',
        jobId: record.id,
        tenant: record.tenant,
        actor: reviewer,
        at: decidedAt,
        code: reason.code,
        final: true,
      } as const;
      const moved = await moveAndAnnounce(
        this.store,
        this.events,
        {
          move: 'reject',
          patch: { result: decided, failedReason: reason },
          fence: { owner: token },
        },
        failed,
      );
      if (!moved) throw new AppError('XGW_REQ_CONFLICT', { detail: `Job ${record.id} was decided meanwhile.` });
    } else if (!(await this.finish({ id: record.id, tenant: record.tenant }, decided, 'review', token))) {
      throw new AppError('XGW_REQ_CONFLICT', { detail: `Job ${record.id} was decided meanwhile.` });
    }
    await this.redis.zrem(this.keys.reviews(record.id), record.id);
    await this.redis.zrem(this.keys.reviews(record.id, record.tenant), record.id);
    if (examples.length > 0 && replyError === undefined) await this.keepExamples(record.tenant, examples);
    await this.events.emit({
      type: 'reviewed',
      jobId: record.id,
      tenant: record.tenant,
      actor: reviewer,
      at: decidedAt,
      decision: decision.decision,
    });
    // The job ended without a reply: out of the review index, the decision on record, then the reviewer hears why.
    if (replyError !== undefined) throw replyError;
    const after = await this.store.get(record.id);
    if (after === undefined) throw new AppError('XGW_REQ_NOT_FOUND', { detail: `Job ${record.id} expired.` });
    return after;
  }

  /**
   * Corrections are kept per tenant, scored by when they were made, and never longer than the jobs
   * they come from (JOB_RETENTION_SECONDS): each example carries the part's text.
   */
  private async keepExamples(tenant: string, examples: readonly ReviewExample[]): Promise<void> {
    const key = this.examplesKey(tenant);
    const now = Date.now();
    const multi = this.redis.multi();
    for (const [i, e] of examples.entries())
      multi.zadd(key, now, `${now}:${i}:${e.jobId}:${e.partId}:${JSON.stringify(e)}`);
    multi.zremrangebyscore(key, '-inf', String(now - this.retentionSeconds * 1000));
    multi.expire(key, this.retentionSeconds);
    await multi.exec();
  }

  /** A tenant's corrections, oldest first, one page at a time (`next` continues after the last). */
  async examples(
    tenant: string,
    limit: number,
    cursor?: string,
  ): Promise<{ examples: ReviewExample[]; next?: string }> {
    const key = this.examplesKey(tenant);
    await this.redis.zremrangebyscore(key, '-inf', String(Date.now() - this.retentionSeconds * 1000));
    const start = cursor === undefined ? 0 : Number.parseInt(cursor, 10);
    if (!Number.isSafeInteger(start) || start < 0)
      throw new AppError('XGW_REQ_VALIDATION', {
        detail: 'The cursor is not one this API gave out.',
        errors: [{ message: 'invalid cursor', path: '/cursor' }],
      });
    const members = await this.redis.zrange(key, String(start), String(start + limit));
    // Members are written only by keepExamples above: a unique prefix, then the typed example as JSON.
    const examples = members.slice(0, limit).map((m) => JSON.parse(m.slice(m.indexOf('{'))) as ReviewExample);
    return members.length > limit ? { examples, next: String(start + limit) } : { examples };
  }
}

/** The task a finding answers, from the plan stored with the job in review. */
function taskOf(record: JobRecord, f: Finding): { labels?: Label[]; spec: PlannedTask['task'] } | undefined {
  const planned = plannedTaskOf(record, f);
  if (planned === undefined) return undefined;
  return planned.task.kind === 'classify'
    ? { labels: planned.task.labels, spec: planned.task }
    : { spec: planned.task };
}

/** Every correction must name a finding of the job and fit the task that finding answers. */
function checkCorrections(record: JobRecord, corrections: readonly Correction[]): void {
  const findings = record.result?.findings ?? [];
  for (const [i, c] of corrections.entries()) {
    const where = `/corrections/${i}`;
    const finding = findings.find((f) => f.partId === c.partId && f.task === c.task);
    if (finding === undefined)
      throw new AppError('XGW_REVIEW_CORRECTION_INVALID', {
        detail: 'A correction names a finding the job does not have.',
        errors: [{ message: `no ${c.task} finding for part ${c.partId}`, path: where }],
      });
    const task = taskOf(record, finding);
    if (task === undefined) {
      throw new AppError('XGW_REQ_CONFLICT', {
        detail: `Job ${record.id} went to review before its tasks were kept with it; its corrections cannot be checked. Accept or reject it.`,
      });
    }
    checkCorrection(task.spec, c, where);
    checkEvidence(record, c, where);
  }
}

/** The longest span a re-pointed evidence may cover: a value's source, not a page. */
const MAX_EVIDENCE_CHARS = 2000;

/** Re-pointed evidence lies within its part's text and belongs to a single corrected value. */
function checkEvidence(record: JobRecord, c: Correction, where: string): void {
  const text = record.result?.parts.find((p) => p.id === c.partId)?.text ?? '';
  for (const [field, span] of Object.entries(c.evidence ?? {})) {
    const at = `${where}/evidence/${field}`;
    const value = c.data?.[field];
    const fail = (message: string): never => {
      throw new AppError('XGW_REVIEW_CORRECTION_INVALID', {
        detail: 'Re-pointed evidence does not fit the part or the value.',
        errors: [{ message, path: at }],
      });
    };
    if (value === undefined || Array.isArray(value) || typeof value === 'object')
      fail('evidence belongs to a single value the correction names');
    if (
      !Number.isSafeInteger(span.start) ||
      !Number.isSafeInteger(span.end) ||
      span.start < 0 ||
      span.end <= span.start ||
      span.end > text.length ||
      span.end - span.start > MAX_EVIDENCE_CHARS
    )
      fail(`a span within the part's ${text.length} characters, at most ${MAX_EVIDENCE_CHARS} long`);
  }
}

function proposal(f: Finding): unknown {
  return f.task === 'classify' ? (f.classification?.labels.map((l) => l.code) ?? []) : (f.extraction?.data ?? {});
}

function applyCorrection(f: Finding, c: Correction, labelSet: readonly Label[], text: string): Finding {
  if (f.task === 'classify') {
    const known = new Map(labelSet.map((l) => [l.code, l]));
    const labels: Label[] = (c.labels ?? []).map((code) => known.get(code) ?? { code, name: code });
    return {
      ...f,
      classification: { labels, confidence: 1, rationale: 'corrected by a reviewer' },
      reviewReasons: [],
      corrected: true,
    };
  }
  const data = c.data ?? {};
  const repointed = c.evidence ?? {};
  const values: ExtractedValue[] = (f.extraction?.values ?? []).filter((v) => {
    if (repointed[v.field] !== undefined) return false;
    const corrected = data[v.field];
    return Array.isArray(corrected) ? corrected.includes(v.value) : corrected === v.value;
  });
  // Evidence a reviewer selected in the text: the quote is the text at the span (checked before).
  for (const [field, span] of Object.entries(repointed)) {
    const value = data[field];
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
    const evidence = { quote: text.slice(span.start, span.end), start: span.start, end: span.end };
    values.push({ field, value, evidence, grounded: true, confidence: 1 });
  }
  return { ...f, extraction: { data, values }, reviewReasons: [], corrected: true };
}
