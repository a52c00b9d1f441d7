import { Router } from 'express';
import { AppError } from '../../errors/app-error.js';
import type { JobStore } from '../../pipeline/job-store.js';
import type { Correction, ReviewDecision, ReviewQueue } from '../../pipeline/review-queue.js';
import { actorOf, hasRole, principalOf } from '../../security/principal.js';
import { assertTenantAccess } from '../../security/tenant-access.js';
import { jobBody } from './job-view.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toCorrection(value: unknown, i: number): Correction {
  if (!isRecord(value) || typeof value.partId !== 'string' || (value.task !== 'classify' && value.task !== 'extract')) {
    throw new AppError('XGW_REQ_VALIDATION', { detail: 'a correction needs partId and task', errors: [{ message: 'partId and task required', path: `/corrections/${i}` }] });
  }
  const c: Correction = { partId: value.partId, task: value.task };
  if (Array.isArray(value.labels)) c.labels = value.labels.filter((l): l is string => typeof l === 'string');
  if (isRecord(value.data)) c.data = value.data;
  return c;
}

/** The decision body, already shape-checked by the OpenAPI validator. */
function toDecision(body: unknown): ReviewDecision {
  if (!isRecord(body)) throw new AppError('XGW_REQ_VALIDATION', { detail: 'the body must be a JSON object' });
  const comment = typeof body.comment === 'string' ? { comment: body.comment } : {};
  switch (body.decision) {
    case 'accept':
      return { decision: 'accept', ...comment };
    case 'correct':
      if (!Array.isArray(body.corrections) || body.corrections.length === 0) throw new AppError('XGW_REQ_VALIDATION', { detail: 'correct needs corrections', errors: [{ message: 'corrections required', path: '/corrections' }] });
      return { decision: 'correct', corrections: body.corrections.map(toCorrection), ...comment };
    case 'reject':
      if (typeof body.reason !== 'string' || body.reason.trim() === '') throw new AppError('XGW_REQ_VALIDATION', { detail: 'reject needs a reason', errors: [{ message: 'reason required', path: '/reason' }] });
      return { decision: 'reject', reason: body.reason };
    default:
      throw new AppError('XGW_REQ_VALIDATION', { detail: 'decision must be accept, correct or reject', errors: [{ message: 'unknown decision', path: '/decision' }] });
  }
}

/**
 * The review queue over HTTP: reviewers list the jobs waiting for a person, read the part text
 * with the findings and their evidence offsets, and decide.
 */
export function reviewsRouter(reviews: ReviewQueue, store: JobStore): Router {
  const router = Router();
  router.get('/v1/reviews', async (req, res) => {
    const principal = principalOf(res);
    const requested = typeof req.query.tenant === 'string' ? req.query.tenant : undefined;
    // Reviewers see their own tenant; only admins may look at another (or all).
    const tenant = hasRole(principal, 'admin') ? requested : principal.tenant;
    const items = await reviews.list({
      ...(tenant === undefined ? {} : { tenant }),
      ...(typeof req.query.standard === 'string' ? { standard: req.query.standard } : {}),
      ...(typeof req.query.minAgeSeconds === 'string' ? { minAgeSeconds: Number(req.query.minAgeSeconds) } : {}),
      limit: typeof req.query.limit === 'string' ? Number(req.query.limit) : 50,
    });
    res.json({
      reviews: items.map(({ record, since }) => ({
        id: record.id,
        since,
        kind: record.kind,
        reasons: record.result?.reviewReasons ?? [],
        ...(record.standard === undefined ? {} : { standard: record.standard }),
        ...(record.messageType === undefined ? {} : { messageType: record.messageType }),
        ...(record.messageId === undefined ? {} : { messageId: record.messageId }),
      })),
    });
  });
  router.get('/v1/reviews/:id', async (req, res) => {
    const record = await store.get(String(req.params.id));
    if (record === undefined || record.result === undefined || record.state !== 'review') throw new AppError('XGW_REQ_NOT_FOUND', { detail: `No review ${String(req.params.id)}.` });
    assertTenantAccess(principalOf(res), record);
    res.json({ id: record.id, reasons: record.result.reviewReasons, job: jobBody(record) });
  });
  router.post('/v1/reviews/:id/decision', async (req, res) => {
    const record = await store.get(String(req.params.id));
    if (record === undefined) throw new AppError('XGW_REQ_NOT_FOUND', { detail: `No review ${String(req.params.id)}.` });
    const principal = principalOf(res);
    assertTenantAccess(principal, record);
    const after = await reviews.decide(record, toDecision(req.body), actorOf(principal));
    res.json(jobBody(after));
  });
  router.get('/v1/review-examples', async (req, res) => {
    const principal = principalOf(res);
    const tenant = hasRole(principal, 'admin') ? undefined : principal.tenant;
    const limit = typeof req.query.limit === 'string' ? Number(req.query.limit) : 1000;
    const examples = await reviews.examples(tenant, limit);
    res.type('application/x-ndjson').send(examples.map((e) => JSON.stringify(e)).join('\n') + (examples.length > 0 ? '\n' : ''));
  });
  return router;
}
