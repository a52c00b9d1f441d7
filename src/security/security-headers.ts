import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * helmet's headers on every answer. The API only returns JSON, XML and problem documents, so its
 * CSP forbids everything; the HTML pages under `uiPaths` (API docs, queue dashboard) load their own
 * scripts and styles and get helmet's defaults without CSP instead.
 */
export function securityHeaders(uiPaths: readonly string[]): RequestHandler {
  const api = helmet({ contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } });
  const ui = helmet({ contentSecurityPolicy: false });
  return (req, res, next) => {
    const isUi = uiPaths.some((p) => req.path === p || req.path.startsWith(`${p}/`));
    (isUi ? ui : api)(req, res, next);
  };
}
