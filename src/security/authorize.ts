import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import { AppError } from '../errors/app-error.js';
import type { AuthMode } from './auth-mode.js';
import { authenticate, type Authenticators } from './authenticate.js';
import { allowedMethods, matchOperation, PUBLIC, type ProtectedOperation } from './operation-table.js';
import { ANONYMOUS_ADMIN, setPrincipal, type Principal, type Role } from './principal.js';
import type { RateLimiter } from './rate-limiter.js';

/** A route outside the OpenAPI file (e.g. an admin UI) and who may use it. */
export interface ExtraRoute {
  /** Path prefix, e.g. `/admin/queues`. */
  readonly prefix: string;
  readonly roles: typeof PUBLIC | readonly Role[];
  /**
   * A page people reach in a browser (the queue dashboard): a request without API credentials
   * passes to the route, whose guard checks the workspace sign-in; credentials are checked here.
   */
  readonly signIn?: boolean;
}

export interface AuthorizeOptions {
  readonly mode: AuthMode;
  /** The operations of openapi/gateway.yaml with their `x-roles` (see operation-table.ts). */
  readonly operations: readonly ProtectedOperation[];
  readonly auth: Authenticators;
  readonly limiter: RateLimiter;
  /** Routes that are not in the OpenAPI file; everything else not in it is answered 404. */
  readonly extraRoutes?: readonly ExtraRoute[];
  /**
   * The `WWW-Authenticate` challenge of a 401 for a call, where it differs from `ApiKey, Bearer`
   * (the MCP endpoint names its protected resource metadata, RFC 9728).
   */
  readonly challenge?: (call: CallToAuthorize) => string | undefined;
}

/** What the decision needs of a request, whichever server read it (express, the fast path). */
export interface CallToAuthorize {
  readonly method: string;
  /** The path without query string. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The caller's address (express' `req.ip`; without `trust proxy` the socket's peer). */
  readonly ip: string | undefined;
  /** Sets a header on the answer (the `WWW-Authenticate` challenge of a 401). */
  setHeader(name: string, value: string): void;
}

/**
 * The decision for one call: `pass` lets it through without a principal (a public operation);
 * otherwise the caller's principal. Throws AppError 401, 403, 404, 405 or 429.
 */
export type Authorizer = (call: CallToAuthorize) => Promise<'pass' | Principal>;

function clientAddress(call: CallToAuthorize): string {
  return `ip:${call.ip ?? 'unknown'}`;
}

function rateKey(principal: Principal, call: CallToAuthorize): string {
  return principal.kind === 'anonymous' ? clientAddress(call) : `${principal.kind}:${principal.id}`;
}

/**
 * The one place that decides who may do what. For every request it finds the operation in the
 * OpenAPI file, and
 * - lets `x-roles: [public]` operations through without credentials;
 * - authenticates (API key or OIDC token; 401 for bad credentials, also in open mode);
 * - counts the request against the caller's rate limit (429);
 * - admits the caller only with one of the operation's `x-roles` (403), and
 * - denies operations without `x-roles` and paths outside the spec (deny by default), and answers
 *   a known path with another method 405 with `Allow` — all before a body is read.
 * The principal is attached to `res.locals` for the routers (see principalOf).
 */
export function authorizer(options: AuthorizeOptions): Authorizer {
  return async (call) => {
    const extra = options.extraRoutes?.find((r) => call.path === r.prefix || call.path.startsWith(`${r.prefix}/`));
    const { operation, pathKnown } = matchOperation(options.operations, call.method, call.path);
    const roles = extra?.roles ?? operation?.roles;
    if (extra === undefined && operation === undefined) {
      // Refused here, before any body is read (a 9.9 MB body on a method the path does not have was
      // parsed, 120 at a time, before the validator said 405). Misses count against the address.
      await options.limiter.hit(clientAddress(call));
      if (pathKnown) {
        const allowed = allowedMethods(options.operations, call.path);
        call.setHeader('Allow', allowed.join(', '));
        throw new AppError('XGW_REQ_METHOD', {
          detail: `${call.method} is not allowed on ${call.path}; allowed: ${allowed.join(', ')}.`,
        });
      }
      throw new AppError('XGW_REQ_NOT_FOUND', { detail: `No route for ${call.method} ${call.path}` });
    }
    if (roles === PUBLIC) return 'pass';

    let principal: Principal | undefined;
    try {
      principal = await authenticate(call.headers, options.auth);
    } catch (error) {
      // Failed attempts count against the caller's address, which slows down key guessing.
      if (error instanceof AppError && error.code === 'XGW_AUTH_UNAUTHENTICATED')
        await options.limiter.hit(clientAddress(call));
      throw error;
    }
    if (principal === undefined) {
      if (extra?.signIn === true) return 'pass';
      if (options.mode === 'required') {
        call.setHeader('WWW-Authenticate', options.challenge?.(call) ?? 'ApiKey, Bearer');
        await options.limiter.hit(clientAddress(call));
        throw new AppError('XGW_AUTH_UNAUTHENTICATED', {
          detail: 'Send an API key (Authorization: ApiKey <key>, or X-API-Key) or an OIDC bearer token.',
        });
      }
      principal = ANONYMOUS_ADMIN;
    }
    await options.limiter.hit(rateKey(principal, call));
    if (roles === undefined)
      throw new AppError('XGW_AUTH_FORBIDDEN', {
        detail: `${operation?.operationId ?? call.path} declares no x-roles in the OpenAPI file; denied by default.`,
      });
    if (!roles.some((r) => principal.roles.includes(r))) {
      throw new AppError('XGW_AUTH_FORBIDDEN', {
        detail: `${operation?.operationId ?? call.path} needs one of the roles ${roles.join(', ')}.`,
      });
    }
    return principal;
  };
}

/** The authorizer as express middleware (the app and the fast path share one authorizer): the principal goes to `res.locals` (see principalOf). */
export function authorizeWith(decide: Authorizer): RequestHandler {
  return async (req, res, next) => {
    const decision = await decide({
      method: req.method,
      path: req.path,
      headers: req.headers,
      ip: req.ip ?? req.socket.remoteAddress,
      setHeader: (name, value) => res.setHeader(name, value),
    });
    if (decision !== 'pass') setPrincipal(res, decision);
    next();
  };
}
