import { IncomingMessage, ServerResponse, type OutgoingHttpHeaders } from 'node:http';
import { Socket } from 'node:net';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** helmet as the API answers need it: they are JSON, XML and problem documents, so CSP forbids everything. */
const apiHelmet = helmet({
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
});

/**
 * The headers `apiHelmet` sets, read once by running it on a response that is never sent. They
 * depend on no request (no nonces), so writing them from this list gives the same answer as
 * running helmet's dozen middleware functions on every request, at a fraction of the cost.
 */
function capture(middleware: typeof apiHelmet): Readonly<OutgoingHttpHeaders> {
  const res = new ServerResponse(new IncomingMessage(new Socket()));
  let failed: unknown;
  middleware(res.req, res, (error?: unknown) => {
    failed = error;
  });
  if (failed !== undefined) throw new Error('helmet refused its own configuration');
  return Object.freeze(res.getHeaders());
}

/** The security headers of every API answer (what helmet sets), for writers outside express. */
export const API_SECURITY_HEADERS: Readonly<OutgoingHttpHeaders> = capture(apiHelmet);

/**
 * helmet's headers on every answer. The HTML pages under `uiPaths` (API docs, queue dashboard)
 * load their own scripts and styles and get helmet's defaults without CSP instead.
 */
export function securityHeaders(uiPaths: readonly string[]): RequestHandler {
  const ui = helmet({ contentSecurityPolicy: false });
  return (req, res, next) => {
    const isUi = uiPaths.some((p) => req.path === p || req.path.startsWith(`${p}/`));
    if (isUi) return ui(req, res, next);
    for (const [name, value] of Object.entries(API_SECURITY_HEADERS))
      if (value !== undefined) res.setHeader(name, value);
    next();
  };
}
