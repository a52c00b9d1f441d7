import { listReviews, type ReviewQuery } from './operations.js';
import { Router } from 'express';
import { AppError } from '../../errors/app-error.js';
import type { JobStore } from '../../jobs/job-store.js';
import type { Correction, ReviewDecision, ReviewQueue } from '../../pipeline/review-queue.js';
import { actorOf, hasRole, principalOf, type Principal } from '../../security/principal.js';
import { canAccessTenant } from '../../security/tenant-access.js';
import { jobBody } from '../../jobs/job-view.js';
import type { ProposalEdit } from '../../usecases/use-cases.js';
import { queryInt, queryString } from './query.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toCorrection(value: unknown, i: number): Correction {
  if (!isRecord(value) || typeof value.partId !== 'string' || (value.task !== 'classify' && value.task !== 'extract')) {
    throw new AppError('XGW_REQ_VALIDATION', {
      detail: 'a correction needs partId and task',
      errors: [{ message: 'partId and task required', path: `/corrections/${i}` }],
    });
  }
  const c: Correction = { partId: value.partId, task: value.task };
  if (Array.isArray(value.labels)) {
    const labels = value.labels;
    if (!labels.every((l): l is string => typeof l === 'string'))
      throw new AppError('XGW_REQ_VALIDATION', {
        detail: 'labels are codes (strings)',
        errors: [{ message: 'string expected', path: `/corrections/${i}/labels` }],
      });
    c.labels = labels;
  }
  if (isRecord(value.data)) c.data = value.data;
  if (isRecord(value.evidence)) {
    const evidence: Record<string, { start: number; end: number }> = {};
    for (const [field, span] of Object.entries(value.evidence)) {
      if (!isRecord(span) || typeof span.start !== 'number' || typeof span.end !== 'number')
        throw new AppError('XGW_REQ_VALIDATION', {
          detail: 'evidence is a span {start, end} per field',
          errors: [{ message: 'start and end required', path: `/corrections/${i}/evidence/${field}` }],
        });
      evidence[field] = { start: span.start, end: span.end };
    }
    c.evidence = evidence;
  }
  return c;
}

function toProposalEdit(value: unknown, i: number): ProposalEdit {
  if (!isRecord(value) || typeof value.item !== 'string')
    throw new AppError('XGW_REQ_VALIDATION', {
      detail: 'a change of the proposed reply names its item',
      errors: [{ message: 'item required', path: `/proposal/${i}` }],
    });
  return {
    item: value.item,
    ...(value.drop === true ? { drop: true } : {}),
    ...(typeof value.code === 'string' ? { code: value.code } : {}),
    ...(typeof value.text === 'string' ? { text: value.text } : {}),
  };
}

/** The decision body, already shape-checked by the OpenAPI validator. */
function toDecision(body: unknown): ReviewDecision {
  if (!isRecord(body)) throw new AppError('XGW_REQ_VALIDATION', { detail: 'the body must be a JSON object' });
  const comment = typeof body.comment === 'string' ? { comment: body.comment } : {};
  switch (body.decision) {
    case 'accept':
      return { decision: 'accept', ...comment };
    case 'correct': {
      const corrections = Array.isArray(body.corrections) ? body.corrections.map(toCorrection) : [];
      const proposal = Array.isArray(body.proposal) ? body.proposal.map(toProposalEdit) : [];
      if (corrections.length === 0 && proposal.length === 0)
        throw new AppError('XGW_REQ_VALIDATION', {
          detail: 'correct needs corrections of findings or changes of the proposed reply',
          errors: [{ message: 'corrections or proposal required', path: '/corrections' }],
        });
      return { decision: 'correct', corrections, proposal, ...comment };
    }
    case 'reject':
      if (typeof body.reason !== 'string' || body.reason.trim() === '')
        throw new AppError('XGW_REQ_VALIDATION', {
          detail: 'reject needs a reason',
          errors: [{ message: 'reason required', path: '/reason' }],
        });
      return { decision: 'reject', reason: body.reason };
    default:
      throw new AppError('XGW_REQ_VALIDATION', {
        detail: 'decision must be accept, correct or reject',
        errors: [{ message: 'unknown decision', path: '/decision' }],
      });
  }
}

/**
 * The review queue over HTTP: reviewers list the jobs waiting for a person, read the part text
 * with the findings and their evidence offsets, and decide.
 */
export function reviewsRouter(reviews: ReviewQueue, store: JobStore): Router {
  const router = Router();
  /**
   * The job of this id, if the caller may see it: one answer for unknown, expired and another
   * tenant's (no oracle of what exists elsewhere). `inReview`: a job of the caller's own that is
   * not (or no longer) in review is no review either.
   */
  const reviewOf = async (id: string, principal: Principal, inReview: boolean) => {
    const record = await store.get(id);
    if (
      record === undefined ||
      !canAccessTenant(principal, record.tenant) ||
      (inReview && (record.state !== 'review' || record.result === undefined))
    ) {
      throw new AppError('XGW_REQ_NOT_FOUND', {
        detail: `No review ${id} (unknown, decided, or expired after the retention period).`,
      });
    }
    return record;
  };
  router.get('/v1/reviews', async (req, res) => {
    const minAgeSeconds = queryInt(req, 'minAgeSeconds', -1);
    const query: ReviewQuery = { limit: queryInt(req, 'limit', 50) };
    for (const name of ['tenant', 'standard', 'cursor'] as const) {
      const value = queryString(req, name);
      if (value !== undefined) query[name] = value;
    }
    if (minAgeSeconds >= 0) query.minAgeSeconds = minAgeSeconds;
    if (queryString(req, 'order') === 'newest') query.order = 'newest';
    res.json(await listReviews(reviews, principalOf(res), query));
  });
  router.get('/v1/reviews/:id', async (req, res) => {
    const record = await reviewOf(String(req.params.id), principalOf(res), true);
    res.json({ id: record.id, reasons: record.result?.reviewReasons ?? [], job: jobBody(record) });
  });
  router.post('/v1/reviews/:id/decision', async (req, res) => {
    const principal = principalOf(res);
    // A job of the caller's own that was decided already gets 409 from decide(), not 404.
    const record = await reviewOf(String(req.params.id), principal, false);
    const after = await reviews.decide(record, toDecision(req.body), actorOf(principal));
    res.json(jobBody(after));
  });
  router.get('/v1/review-examples', async (req, res) => {
    const principal = principalOf(res);
    const requested = queryString(req, 'tenant');
    const tenant = hasRole(principal, 'admin') && requested !== undefined ? requested : principal.tenant;
    const limit = queryInt(req, 'limit', 1000);
    const page = await reviews.examples(tenant, limit, queryString(req, 'cursor'));
    if (page.next !== undefined) {
      const next = new URLSearchParams({
        limit: String(limit),
        cursor: page.next,
        ...(requested === undefined ? {} : { tenant }),
      });
      res.setHeader('Link', `</v1/review-examples?${next.toString()}>; rel="next"`);
    }
    res
      .type('application/x-ndjson')
      .send(page.examples.map((e) => JSON.stringify(e)).join('\n') + (page.examples.length > 0 ? '\n' : ''));
  });
  return router;
}
