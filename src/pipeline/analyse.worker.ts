import { RedisKeys } from '../jobs/redis-keys.js';
import { REPLY_REVIEW_REASON, type UseCases } from '../usecases/use-cases.js';
import { randomUUID } from 'node:crypto';
import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { AppError } from '../errors/app-error.js';
import type { Logger } from '../observability/logger.js';
import type { AnalysisRunner } from '../analysis/analysis-runner.js';
import { ANALYSE_QUEUE } from './analyse-queue.js';
import type { AnalyseJobData, JobResult, PlannedTask, PreparedJob } from '../jobs/job-record.js';
import type { JobPreparer } from './job-preparer.js';
import { SYSTEM, type JobEvents } from '../jobs/job-events.js';
import type { FinishJob } from './job-finisher.js';
import { takeoverLockOptions } from '../jobs/queue-options.js';
import { annotateActiveSpan, withTelemetry } from '../observability/tracing.js';
import { moveAndAnnounce } from '../jobs/job-transition.js';
import type { JobStore } from '../jobs/job-store.js';

export interface AnalyseWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  concurrency: number;
  store: JobStore;
  prepare: JobPreparer;
  runner: AnalysisRunner;
  events: JobEvents;
  /** Called when the analysis needs no review (delivery, or `done`). */
  finish: FinishJob;
  /** Proposes the reply of a profile's use case (issue #15); absent: no proposals. */
  useCases?: UseCases;
  /** Drops tasks whose facts a register already holds (delivery's lookup); absent without delivery. */
  pruneKnownFacts?: (prepared: PreparedJob, jobId: string) => Promise<PreparedJob>;
  /** Called when a person must decide (the review queue); moves the job only while `attemptToken` holds it. */
  review: (
    job: { id: string; tenant: string },
    result: JobResult,
    plan: readonly PlannedTask[],
    attemptToken: string,
  ) => Promise<unknown>;
  logger: Logger;
  /** Job lock in ms; a dead worker's job is taken over after about this long. */
  lockDurationMs: number;
  /** Told each time this worker parks the queue, with why and for how long (metrics). */
  onPark?: (reason: ParkReason, waitMs: number) => void;
}

/** Why a worker parked the queue: every provider rate-limited, or no provider triable (open circuits). */
export type ParkReason = 'rate_limited' | 'circuit_open';

/**
 * Errors that mean "no provider can be tried now, one can in `retryAfterSeconds`" rather than a
 * failure: the job waits (the queue is parked) instead of using up an attempt.
 */
function parkingOf(error: unknown): { reason: ParkReason; waitMs: number } | undefined {
  if (!(error instanceof AppError)) return undefined;
  const waitMs = (error.retryAfterSeconds ?? 1) * 1000;
  if (error.code === 'XGW_LLM_RATE_LIMITED') return { reason: 'rate_limited', waitMs };
  if (error.code === 'XGW_LLM_CIRCUIT_OPEN') return { reason: 'circuit_open', waitMs };
  return undefined;
}

/** Reason recorded on a failed job: stable code plus a detail without message content. */
function reasonOf(error: unknown): { code: string; detail: string } {
  if (error instanceof AppError) return { code: error.code, detail: error.detail ?? error.message };
  return { code: 'XGW_INTERNAL', detail: error instanceof Error ? error.name : 'unknown error' };
}

function isFinalAttempt(job: Job<AnalyseJobData>, error: unknown): boolean {
  const attempts = job.opts.attempts ?? 1;
  const retryable = error instanceof AppError ? error.retryable : true;
  return !retryable || job.attemptsMade + 1 >= attempts;
}

/**
 * The analyse worker: moves the job record through `analysing` to `done`, `review` or `failed`.
 * A worker that dies mid-job leaves a stalled BullMQ job, which another worker picks up. A worker
 * that only lost its lock (CPU starvation, Redis away longer than the lock) keeps running while
 * another takes the job over; each attempt therefore claims the record with a token of its own, and
 * every later write and audit entry of the attempt is fenced on that token, so the attempt that
 * lost the job changes nothing and reports nothing.
 */
export function createAnalyseWorker(options: AnalyseWorkerOptions): Worker<AnalyseJobData> {
  const { store, prepare, runner, events, finish, review: toReview, logger } = options;
  const processor = async (job: Job<AnalyseJobData>, _token?: string, signal?: AbortSignal): Promise<void> => {
    const id = job.data.jobId;
    const tenant = job.data.tenant;
    const attempt = job.attemptsMade + 1;
    // Our own token rather than BullMQ's lock token: it also names this attempt's deliver job, and
    // BullMQ job ids must not contain the ':' of lock tokens.
    const attemptToken = randomUUID();
    const mine = { attemptToken };
    const log = logger.child({ jobId: id, attempt });
    // The consumer span of this job (tracing on): which job and attempt it is.
    annotateActiveSpan({ 'xgw.job.id': id, 'xgw.job.attempt': attempt, 'xgw.job.kind': job.data.kind });
    const started = await store.move(id, 'start', { attempts: attempt }, { claim: attemptToken });
    if (!started) {
      log.warn('job record missing or already finished; skipping');
      return;
    }
    await events.emit(
      { type: 'analysing', jobId: id, tenant, actor: SYSTEM, at: new Date().toISOString(), attempt },
      mine,
    );
    try {
      // Facts a register already holds need not be asked again (delivery's lookup, where a profile
      // marks them `skipExtractionIfKnown`): a step of its own, so what is not analysed is visible.
      const read = await prepare(job.data);
      const prepared = options.pruneKnownFacts === undefined ? read : await options.pruneKnownFacts(read, id);
      if (prepared.message !== undefined)
        annotateActiveSpan({
          'xgw.message.id': prepared.message.header.messageId,
          'xoev.standard': prepared.message.standard,
          'xoev.message_type': prepared.message.messageType,
        });
      log.info({ parts: prepared.parts.length, tasks: prepared.plan.length }, 'analysing');
      const result = await runner.run(prepared, signal);
      // A use case's reply (completeness check, appraisal) is proposed here and always decided by a person.
      const proposal = options.useCases?.propose(prepared, result);
      if (proposal !== undefined) {
        result.proposal = proposal;
        result.reviewReasons.push(REPLY_REVIEW_REASON);
      }
      const review = result.reviewReasons.length > 0;
      // The result counts only if this attempt still holds the job: a conditional write first, and
      // only then the `analysed` entry (itself fenced on the token in the audit script).
      if (!(await store.holds(id, attemptToken, ['analysing']))) {
        log.warn('another attempt took the job over or it ended meanwhile; this result is dropped');
        return;
      }
      await events.emit(
        {
          type: 'analysed',
          jobId: id,
          tenant,
          actor: SYSTEM,
          at: new Date().toISOString(),
          findings: result.findings.map((f) => ({
            partId: f.partId,
            task: f.task,
            analyser: f.analyser,
            provider: f.provider,
            model: f.model,
            promptVersion: f.promptVersion,
            inputHash: f.inputHash,
            cached: f.cached === true,
          })),
          tokens: result.usage.totalTokens,
          usage: result.usage,
          ...(job.data.client === undefined ? {} : { client: job.data.client }),
          review,
        },
        mine,
      );
      if (review) await toReview({ id, tenant }, result, prepared.plan, attemptToken);
      else await finish({ id, tenant }, result, 'analysis', attemptToken);
      log.info({ review, findings: result.findings.length, tokens: result.usage.totalTokens }, 'analysed');
    } catch (error) {
      const park = parkingOf(error);
      if (park !== undefined) {
        // No provider can be tried now (all rate-limited, or their circuits open after repeated
        // failures), but one can after `waitMs`. That is not a failure of this job: park the whole
        // queue for that long instead of sleeping in this worker, and give the job back to the
        // queue without using up an attempt. Only genuine failures count against attempts.
        await store.move(id, 'park', {}, { owner: attemptToken });
        const detail = error instanceof AppError ? error.detail : undefined;
        if (park.reason === 'circuit_open')
          log.warn(
            { waitMs: park.waitMs, reason: park.reason, detail },
            'no provider can be tried (circuits open); parking the queue until the first one half-opens',
          );
        else log.info({ waitMs: park.waitMs, reason: park.reason }, 'providers rate-limited; parking the queue');
        options.onPark?.(park.reason, park.waitMs);
        await worker.rateLimit(park.waitMs);
        throw Worker.RateLimitError();
      }
      const reason = reasonOf(error);
      const final = isFinalAttempt(job, error);
      if (final) {
        // The end is written first and reported only if the write took: an attempt that lost the
        // job must not end it, nor add a `failed` entry after another attempt's `done`.
        const failed = {
          type: 'failed',
          jobId: id,
          tenant,
          actor: SYSTEM,
          at: new Date().toISOString(),
          code: reason.code,
          final,
        } as const;
        if (
          await moveAndAnnounce(
            store,
            events,
            { move: 'fail', patch: { failedReason: reason }, fence: { owner: attemptToken } },
            failed,
          )
        ) {
          log.warn({ reason: reason.code }, 'job failed');
        } else {
          log.warn(
            { reason: reason.code },
            'last attempt failed, but another attempt holds the job or it ended meanwhile; not recorded',
          );
        }
        if (error instanceof AppError && !error.retryable) throw new UnrecoverableError(reason.code);
      } else {
        await events.emit(
          { type: 'failed', jobId: id, tenant, actor: SYSTEM, at: new Date().toISOString(), code: reason.code, final },
          mine,
        );
        log.info({ reason: reason.code }, 'attempt failed; the queue retries');
      }
      throw error;
    }
  };
  const worker: Worker<AnalyseJobData> = new Worker<AnalyseJobData>(ANALYSE_QUEUE, processor, {
    connection: options.connection,
    prefix: new RedisKeys(options.prefix).bullmq(),
    concurrency: options.concurrency,
    ...takeoverLockOptions(options.lockDurationMs),
    ...withTelemetry(),
  });
  return worker;
}
