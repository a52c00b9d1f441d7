import { Router } from 'express';
import { AppError } from '../../errors/app-error.js';
import type { DeliveryApi } from '../../delivery/delivery-setup.js';
import type { LedgerEntry } from '../../delivery/ledger.js';
import type { JobStore } from '../../jobs/job-store.js';
import { principalOf } from '../../security/principal.js';
import { assertTenantAccess } from '../../security/tenant-access.js';

/** The public view of a ledger entry: state and trace, without the delivered values. */
export function deliveryView(e: LedgerEntry) {
  return {
    key: e.key,
    jobId: e.jobId,
    connector: e.connector,
    kind: e.kind,
    fact: e.fact,
    subject: e.subject,
    state: e.state,
    attempts: e.attempts,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    ...(e.deliveredAt === undefined ? {} : { deliveredAt: e.deliveredAt }),
    ...(e.detail === undefined ? {} : { detail: e.detail }),
    ...(e.code === undefined ? {} : { code: e.code }),
    ...(e.reference === undefined ? {} : { reference: e.reference }),
  };
}

/** GET /v1/jobs/{id}/deliveries: each delivery of a job (facts to registers, notifications) with its state. */
export function deliveriesRouter(store: JobStore, delivery: DeliveryApi): Router {
  const router = Router();
  router.get('/v1/jobs/:id/deliveries', async (req, res) => {
    const id = String(req.params.id);
    const record = await store.get(id);
    if (record === undefined)
      throw new AppError('XGW_REQ_NOT_FOUND', {
        detail: `No job ${id} (unknown, or expired after the retention period).`,
      });
    assertTenantAccess(principalOf(res), record);
    const entries = await delivery.ledger.listForJob(id);
    res.json({ jobId: id, state: record.state, deliveries: entries.map(deliveryView) });
  });
  return router;
}
