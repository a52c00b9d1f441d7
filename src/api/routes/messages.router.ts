import { Router } from 'express';
import { AppError } from '../../errors/app-error.js';
import { actorOf, principalOf, type Principal } from '../../security/principal.js';
import type { Intake } from '../../pipeline/intake.js';
import { acceptedBody } from '../../jobs/job-view.js';

/** What POST /v1/messages answers: 202 for a new job, 200 for a message seen before. */
export interface SubmissionAnswer {
  status: 202 | 200;
  location: string;
  body: ReturnType<typeof acceptedBody>;
}

/** The operation itself, for the router below and the fast path (same code, two servers). */
export async function submitMessage(
  intake: Intake,
  body: Buffer,
  principal: Principal,
  idempotencyKey: string | undefined,
): Promise<SubmissionAnswer> {
  if (body.length === 0)
    throw new AppError('XGW_REQ_VALIDATION', { detail: 'The request body must be an XÖV message (application/xml).' });
  const outcome = await intake.submitMessage(body, {
    tenant: principal.tenant,
    actor: actorOf(principal),
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });
  const view = acceptedBody(outcome.record, !outcome.created);
  return { status: outcome.created ? 202 : 200, location: view.location, body: view };
}

/** POST /v1/messages: XÖV message in, 202 + job location out (200 for a message seen before). */
export function messagesRouter(intake: Intake): Router {
  const router = Router();
  router.post('/v1/messages', async (req, res) => {
    const body: unknown = req.body;
    if (!Buffer.isBuffer(body))
      throw new AppError('XGW_REQ_VALIDATION', {
        detail: 'The request body must be an XÖV message (application/xml).',
      });
    const answer = await submitMessage(intake, body, principalOf(res), req.get('Idempotency-Key'));
    res.status(answer.status).location(answer.location).json(answer.body);
  });
  return router;
}
