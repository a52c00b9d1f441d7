import { Router } from 'express';
import { AppError } from '../../errors/app-error.js';
import { actorOf, principalOf } from '../../security/principal.js';
import type { Intake } from '../../pipeline/intake.js';
import { acceptedBody } from './job-view.js';

/** POST /v1/messages: XÖV message in, 202 + job location out (200 for a message seen before). */
export function messagesRouter(intake: Intake): Router {
  const router = Router();
  router.post('/v1/messages', async (req, res) => {
    const body: unknown = req.body;
    if (!Buffer.isBuffer(body) || body.length === 0) throw new AppError('XGW_REQ_VALIDATION', { detail: 'The request body must be an XÖV message (application/xml).' });
    const principal = principalOf(res);
    const idempotencyKey = req.get('Idempotency-Key');
    const outcome = await intake.submitMessage(body, { tenant: principal.tenant, actor: actorOf(principal), ...(idempotencyKey ? { idempotencyKey } : {}) });
    const view = acceptedBody(outcome.record, !outcome.created);
    res.status(outcome.created ? 202 : 200).location(view.location).json(view);
  });
  return router;
}
