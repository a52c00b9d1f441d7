import { Router } from 'express';
import { AppError } from '../../errors/app-error.js';
import { actorOf, principalOf } from '../../security/principal.js';
import { assertTenantAccess } from '../../security/tenant-access.js';
import type { OutboundPolicy } from '../../security/outbound-policy.js';
import type { Intake } from '../../pipeline/intake.js';
import type { JobStore } from '../../jobs/job-store.js';
import { acceptedBody, jobBody } from '../../jobs/job-view.js';
import { toTaskInput } from './task-input.js';
import { jobXml } from './job-xml.js';

/** POST /v1/jobs (machine clients, RPA bots) and GET /v1/jobs/{id}. */
export function jobsRouter(store: JobStore, intake: Intake, outbound: OutboundPolicy): Router {
  const router = Router();
  router.post('/v1/jobs', async (req, res) => {
    const input = toTaskInput(req.body, outbound);
    const principal = principalOf(res);
    const idempotencyKey = req.get('Idempotency-Key');
    const outcome = await intake.submitTask(input, {
      tenant: principal.tenant,
      actor: actorOf(principal),
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
    const view = acceptedBody(outcome.record, !outcome.created);
    res
      .status(outcome.created ? 202 : 200)
      .location(view.location)
      .json(view);
  });
  router.get('/v1/jobs/:id', async (req, res) => {
    const id = String(req.params.id);
    let record;
    try {
      record = await store.get(id);
    } catch (error) {
      throw new AppError('XGW_REDIS_UNAVAILABLE', {
        detail: 'The job store is unavailable. Retry later.',
        retryAfterSeconds: 5,
        cause: error,
      });
    }
    if (record === undefined)
      throw new AppError('XGW_REQ_NOT_FOUND', {
        detail: `No job ${id} (unknown, or expired after the retention period).`,
      });
    assertTenantAccess(principalOf(res), record);
    // Fachverfahren that speak XML only get the XÖV-style reply; JSON stays the default.
    if (req.accepts(['application/json', 'application/xml']) === 'application/xml')
      res.type('application/xml').send(jobXml(record));
    else res.json(jobBody(record));
  });
  return router;
}
