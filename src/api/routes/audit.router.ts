import { Router } from 'express';
import { AppError } from '../../errors/app-error.js';
import type { AuditTrail } from '../../observability/audit-trail.js';
import type { JobStore } from '../../jobs/job-store.js';
import { principalOf } from '../../security/principal.js';
import { assertTenantAccess } from '../../security/tenant-access.js';

/** GET /v1/jobs/{id}/audit: the job's audit trail (who, what, when) and whether its hash chain holds. */
export function auditRouter(trail: AuditTrail, store: JobStore): Router {
  const router = Router();
  router.get('/v1/jobs/:id/audit', async (req, res) => {
    const id = String(req.params.id);
    let report;
    let record;
    try {
      [report, record] = await Promise.all([trail.read(id), store.get(id)]);
    } catch (error) {
      throw new AppError('XGW_REDIS_UNAVAILABLE', {
        detail: 'The audit trail is unavailable. Retry later.',
        retryAfterSeconds: 5,
        cause: error,
      });
    }
    // The trail may outlive the job record (AUDIT_RETENTION_SECONDS > JOB_RETENTION_SECONDS); its entries name the tenant.
    const tenant = record?.tenant ?? report.entries[0]?.entry.tenant;
    if (tenant === undefined)
      throw new AppError('XGW_REQ_NOT_FOUND', {
        detail: `No job ${id} (unknown, or expired after the retention period).`,
      });
    assertTenantAccess(principalOf(res), { id, tenant });
    res.json({
      jobId: id,
      verified: report.verified,
      ...(report.brokenAt === undefined ? {} : { brokenAt: report.brokenAt }),
      entries: report.entries.map(({ id: streamId, entry, hash }) => ({ ...entry, id: streamId, hash })),
    });
  });
  return router;
}
