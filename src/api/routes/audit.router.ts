import { readAuditTrail } from './operations.js';
import { Router } from 'express';
import type { AuditTrail } from '../../observability/audit-trail.js';
import type { JobStore } from '../../jobs/job-store.js';
import { principalOf } from '../../security/principal.js';

/** GET /v1/jobs/{id}/audit: the job's audit trail (who, what, when) and whether its hash chain holds. */
export function auditRouter(trail: AuditTrail, store: JobStore): Router {
  const router = Router();
  router.get('/v1/jobs/:id/audit', async (req, res) => {
    res.json(await readAuditTrail(trail, store, String(req.params.id), principalOf(res)));
  });
  return router;
}
