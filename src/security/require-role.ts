import type { RequestHandler } from 'express';
import { AppError } from '../errors/app-error.js';
import { principalOf, type Role } from './principal.js';

/**
 * A second lock for routes outside the OpenAPI file (admin UIs): the authorize middleware already
 * checks them by `extraRoutes`; this guard fails closed if a route is ever mounted without that.
 */
export function requireRole(...roles: readonly Role[]): RequestHandler {
  return (_req, res, next) => {
    let allowed = false;
    try {
      allowed = roles.some((r) => principalOf(res).roles.includes(r));
    } catch {
      allowed = false;
    }
    if (!allowed) throw new AppError('XGW_AUTH_FORBIDDEN', { detail: `Needs one of the roles ${roles.join(', ')}.` });
    next();
  };
}
