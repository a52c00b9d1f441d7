import { Router } from 'express';
import type { GatewayMetrics } from '../../observability/metrics.js';

/**
 * GET /metrics: Prometheus text exposition of this process. Served beside the API (not behind the
 * OpenAPI validator), like the probes; restrict it at the network or ingress in production.
 */
export function metricsRouter(metrics: GatewayMetrics): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    const { contentType, body } = await metrics.scrape();
    res.type(contentType).send(body);
  });
  return router;
}
