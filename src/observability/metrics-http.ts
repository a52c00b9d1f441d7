import type { RequestHandler } from 'express';
import type { GatewayMetrics } from './metrics.js';
import { nameTracedRoute } from './tracing.js';

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
    regex: new RegExp(
      `^${template
        .split(/\{[^}]+\}/)
        .map(escapeRegex)
        .join('[^/]+')}/?$`,
    ),
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

/** Counts one answer and its latency (since `startedNs`, from process.hrtime.bigint()). */
export type HttpObserver = (method: string, path: string, status: number, startedNs: bigint) => void;

/** The one way answers are counted, by express (httpMetrics) and by the fast path alike. */
export function httpObserver(metrics: GatewayMetrics, nameRoute: RouteNamer): HttpObserver {
  return (method, path, status, startedNs) => {
    const seconds = Number(process.hrtime.bigint() - startedNs) / 1e9;
    const labels = { method, route: nameRoute(path), status: String(status) };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, seconds);
  };
}

/** Express middleware counting every answer and its latency; runs first so it sees every request. */
export function httpMetrics(observe: HttpObserver): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => observe(req.method, req.path, res.statusCode, started));
    next();
  };
}

/** Express middleware giving the request's HTTP server span its route template (only used while tracing runs). */
export function traceRoutes(nameRoute: RouteNamer): RequestHandler {
  return (req, _res, next) => {
    nameTracedRoute(nameRoute(req.path));
    next();
  };
}
