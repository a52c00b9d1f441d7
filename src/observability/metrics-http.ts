import type { RequestHandler } from 'express';
import type { GatewayMetrics } from './metrics.js';

/** Turns a URL path into the route template it matched, for bounded label cardinality. */
export type RouteNamer = (path: string) => string;

/**
 * Builds a namer from OpenAPI path templates (`/v1/jobs/{id}`) plus fixed prefixes served outside
 * the contract (`/docs`, `/admin/queues`). Anything else is `unmatched`: raw URLs as labels would
 * let any caller create unbounded time series.
 */
export function routeNamer(templates: readonly string[], prefixes: readonly string[] = []): RouteNamer {
  const compiled = templates.map((template) => ({
    template,
    regex: new RegExp(`^${template.split(/\{[^}]+\}/).map(escapeRegex).join('[^/]+')}/?$`),
  }));
  return (path) => {
    for (const { template, regex } of compiled) if (regex.test(path)) return template;
    for (const prefix of prefixes) if (path === prefix || path.startsWith(`${prefix}/`)) return prefix;
    return 'unmatched';
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Express middleware counting every answer and its latency; runs first so it sees every request. */
export function httpMetrics(metrics: GatewayMetrics, nameRoute: RouteNamer): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const labels = { method: req.method, route: nameRoute(req.path), status: String(res.statusCode) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, seconds);
    });
    next();
  };
}
