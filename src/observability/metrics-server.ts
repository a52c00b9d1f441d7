import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toProblem } from '../errors/problem.js';
import type { GatewayMetrics } from './metrics.js';
import { metricsAccessAllowed, metricsAccessDenied } from './metrics-access.js';
import { runReadiness } from './readiness.js';

/**
 * A bare listener for processes without the API (ROLE=worker): `/metrics` for Prometheus, which
 * scrapes every process, and `/healthz` / `/readyz` for an orchestrator's probes (ready: Redis
 * answers). A worker has no other port; nothing else is served here.
 */
export async function startMetricsServer(
  metrics: GatewayMetrics,
  port: number,
  host: string,
  token?: string,
  ready: () => Promise<boolean> = async () => true,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (req.method === 'GET' && path === '/readyz') {
      void runReadiness({ redis: async () => ({ ok: await ready() }) }).then(({ ready: ok }) =>
        res
          .writeHead(ok ? 200 : 503, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status: ok ? 'ready' : 'not_ready' })),
      );
      return;
    }
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (!metricsAccessAllowed(req.headers.authorization, token)) {
      const problem = toProblem(metricsAccessDenied(), '/metrics');
      res
        .writeHead(problem.status, { 'content-type': 'application/problem+json', 'www-authenticate': 'Bearer' })
        .end(JSON.stringify(problem));
      return;
    }
    metrics.scrape().then(
      ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('scrape failed\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/metrics`,
  };
}
