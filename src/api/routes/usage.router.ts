import { Router } from 'express';
import type { TokenAccounting } from '../../analysis/token-accounting.js';
import { hasRole, principalOf } from '../../security/principal.js';

/** GET /v1/usage: tokens per client of the caller's tenant (admins: every tenant). */
export function usageRouter(accounting: TokenAccounting): Router {
  const router = Router();
  router.get('/v1/usage', async (_req, res) => {
    const principal = principalOf(res);
    res.json({ clients: await accounting.list(hasRole(principal, 'admin') ? undefined : principal.tenant) });
  });
  return router;
}
