import { Router } from 'express';
import { type ReadinessCheck, runReadiness } from '../../observability/readiness.js';

/**
 * GET /healthz (process alive) and GET /readyz (dependencies usable) for orchestrators. A failing
 * check says only `no answer`: what a client library says (addresses, ports, hosts) is for the
 * log, not for an unauthenticated probe.
 */
export function healthRouter(checks: Readonly<Record<string, ReadinessCheck>>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const { ready, checks: results } = await runReadiness(checks);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks: results });
  });
  return router;
}
