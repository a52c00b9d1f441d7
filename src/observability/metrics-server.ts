import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toProblem } from '../errors/problem.js';
import type { GatewayMetrics } from './metrics.js';
import { metricsAccessAllowed, metricsAccessDenied } from './metrics-access.js';

/**
 * A bare /metrics listener for processes without the API (ROLE=worker): Prometheus scrapes every
 * process, and a worker has no other port. Nothing else is served here.
 */
export async function startMetricsServer(
  metrics: GatewayMetrics,
  port: number,
  host: string,
  token?: string,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
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
