import type { Request, RequestHandler } from 'express';
import { AppError } from '../errors/app-error.js';
import type { AuthMode } from './auth-mode.js';
import { authenticate, type Authenticators } from './authenticate.js';
import { matchOperation, PUBLIC, type ProtectedOperation } from './operation-table.js';
import { ANONYMOUS_ADMIN, setPrincipal, type Principal, type Role } from './principal.js';
import type { RateLimiter } from './rate-limiter.js';

/** A route outside the OpenAPI file (e.g. an admin UI) and who may use it. */
export interface ExtraRoute {
  /** Path prefix, e.g. `/admin/queues`. */
  readonly prefix: string;
  readonly roles: typeof PUBLIC | readonly Role[];
}

export interface AuthorizeOptions {
  readonly mode: AuthMode;
  /** The operations of openapi/gateway.yaml with their `x-roles` (see operation-table.ts). */
  readonly operations: readonly ProtectedOperation[];
  readonly auth: Authenticators;
  readonly limiter: RateLimiter;
  /** Routes that are not in the OpenAPI file; everything else not in it is answered 404. */
  readonly extraRoutes?: readonly ExtraRoute[];
}

function clientAddress(req: Request): string {
  return `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`;
}

function rateKey(principal: Principal, req: Request): string {
  return principal.kind === 'anonymous' ? clientAddress(req) : `${principal.kind}:${principal.id}`;
}

/**
 * The one place that decides who may do what. For every request it finds the operation in the
 * OpenAPI file, and
 * - lets `x-roles: [public]` operations through without credentials;
 * - authenticates (API key or OIDC token; 401 for bad credentials, also in open mode);
 * - counts the request against the caller's rate limit (429);
 * - admits the caller only with one of the operation's `x-roles` (403), and
 * - denies operations without `x-roles` and paths outside the spec (deny by default).
 * The principal is attached to `res.locals` for the routers (see principalOf).
 */
export function authorize(options: AuthorizeOptions): RequestHandler {
  return async (req, res, next) => {
    const extra = options.extraRoutes?.find((r) => req.path === r.prefix || req.path.startsWith(`${r.prefix}/`));
    const { operation, pathKnown } = matchOperation(options.operations, req.method, req.path);
    const roles = extra?.roles ?? operation?.roles;
    if (extra === undefined && operation === undefined) {
      // A known path with another method: the validator answers 405; no router runs for it.
      if (pathKnown) return next();
      throw new AppError('XGW_REQ_NOT_FOUND', { detail: `No route for ${req.method} ${req.path}` });
    }
    if (roles === PUBLIC) return next();

    let principal: Principal | undefined;
    try {
      principal = await authenticate(req, options.auth);
    } catch (error) {
      // Failed attempts count against the caller's address, which slows down key guessing.
      if (error instanceof AppError && error.code === 'XGW_AUTH_UNAUTHENTICATED') await options.limiter.hit(clientAddress(req));
      throw error;
    }
    if (principal === undefined) {
      if (options.mode === 'required') {
        res.setHeader('WWW-Authenticate', 'ApiKey, Bearer');
        await options.limiter.hit(clientAddress(req));
        throw new AppError('XGW_AUTH_UNAUTHENTICATED', { detail: 'Send an API key (Authorization: ApiKey <key>, or X-API-Key) or an OIDC bearer token.' });
      }
      principal = ANONYMOUS_ADMIN;
    }
    await options.limiter.hit(rateKey(principal, req));
    if (roles === undefined) throw new AppError('XGW_AUTH_FORBIDDEN', { detail: `${operation?.operationId ?? req.path} declares no x-roles in the OpenAPI file; denied by default.` });
    if (!roles.some((r) => principal.roles.includes(r))) {
      throw new AppError('XGW_AUTH_FORBIDDEN', { detail: `${operation?.operationId ?? req.path} needs one of the roles ${roles.join(', ')}.` });
    }
    setPrincipal(res, principal);
    next();
  };
}
