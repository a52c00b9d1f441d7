import { Router } from 'express';

/** One readiness check: name → async probe that answers ok or why not. */
export type ReadinessCheck = () => Promise<{ ok: boolean; detail?: string }>;

/** GET /healthz (process alive) and GET /readyz (dependencies usable) for orchestrators. */
export function healthRouter(checks: Readonly<Record<string, ReadinessCheck>>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results: Record<string, { ok: boolean; detail?: string }> = {};
    await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          results[name] = await check();
        } catch (error) {
          results[name] = { ok: false, detail: error instanceof Error ? error.message : 'check failed' };
        }
      }),
    );
    const ready = Object.values(results).every((r) => r.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks: results });
  });
  return router;
}
