import { Router } from 'express';

/** One readiness check: name → async probe that answers ok or why not. */
export type ReadinessCheck = () => Promise<{ ok: boolean; detail?: string }>;

/** How long one readiness check may take before it counts as failed: a probe must answer, not hang. */
const CHECK_TIMEOUT_MS = 2_000;

function withTimeout(check: ReadinessCheck): Promise<{ ok: boolean; detail?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<{ ok: boolean; detail?: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: 'no answer' }), CHECK_TIMEOUT_MS);
  });
  return Promise.race([check(), timedOut]).finally(() => clearTimeout(timer));
}

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
    const results: Record<string, { ok: boolean; detail?: string }> = {};
    await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          results[name] = await withTimeout(check);
        } catch {
          results[name] = { ok: false, detail: 'no answer' };
        }
      }),
    );
    const ready = Object.values(results).every((r) => r.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks: results });
  });
  return router;
}
