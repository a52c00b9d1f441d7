import { Router } from 'express';
import { queryInt } from './query.js';
import { AppError } from '../../errors/app-error.js';
import type { DeliveryApi } from '../../delivery/delivery-setup.js';
import { hasRole, principalOf } from '../../security/principal.js';
import { assertTenantAccess } from '../../security/tenant-access.js';
import { deliveryView } from './deliveries.router.js';

/**
 * GET /v1/dead-letters: deliveries that failed their last attempt, of all tenants (the contract
 * admits admins only; the tenant filter is the second lock should that ever change).
 * POST /v1/dead-letters/{key}/replay: back on the deliver queue, once more with all attempts.
 */
export function deadLettersRouter(delivery: DeliveryApi): Router {
  const router = Router();
  router.get('/v1/dead-letters', async (req, res) => {
    const principal = principalOf(res);
    const limit = queryInt(req, 'limit', 100);
    const entries = await delivery.ledger.deadLetters(
      limit,
      hasRole(principal, 'admin') ? undefined : principal.tenant,
    );
    res.json({ deadLetters: entries.map(deliveryView) });
  });
  router.post('/v1/dead-letters/:key/replay', async (req, res) => {
    const key = String(req.params.key);
    const entry = await delivery.ledger.get(key);
    if (entry === undefined) throw new AppError('XGW_REQ_NOT_FOUND', { detail: `No delivery ${key}.` });
    assertTenantAccess(principalOf(res), { tenant: entry.tenant });
    if (!(await delivery.replay(entry)))
      throw new AppError('XGW_REQ_CONFLICT', { detail: `Delivery ${key} is ${entry.state}, not a dead letter.` });
    res.status(202).json(deliveryView({ ...entry, state: 'pending' }));
  });
  return router;
}
