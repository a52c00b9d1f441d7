import { Router } from 'express';
import type { GatewayMetrics } from '../../observability/metrics.js';
import { metricsAccessAllowed, metricsAccessDenied } from '../../observability/metrics-access.js';

/**
 * GET /metrics: Prometheus text exposition of this process. Served beside the API (not behind the
 * OpenAPI validator), like the probes. With METRICS_TOKEN set it needs that bearer token;
 * without, restrict it at the network or ingress.
 */
export function metricsRouter(metrics: GatewayMetrics, token?: string): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    if (!metricsAccessAllowed(req.headers.authorization, token)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw metricsAccessDenied();
    }
    const { contentType, body } = await metrics.scrape();
    res.type(contentType).send(body);
  });
  return router;
}
