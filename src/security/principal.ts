import type { Response } from 'express';
import type { Actor } from '../jobs/job-events.js';

/** The roles the API knows. Each operation in openapi/gateway.yaml names the roles it admits (`x-roles`). */
export const ROLES = ['submitter', 'rpa', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Who is calling, once authenticated. Every job, review item and delivery belongs to the
 * `tenant` of the principal that created it; `admin` sees all tenants.
 */
export interface Principal {
  /** How the caller proved who it is. `anonymous` only exists in AUTH_MODE=open. */
  readonly kind: 'api-key' | 'oidc' | 'anonymous';
  /** Stable id: the API key id, the token's `sub`, or `anonymous`. Rate limits and audit use it. */
  readonly id: string;
  /** Human-readable name: the API key's name, the token's `preferred_username`, or `anonymous`. */
  readonly name: string;
  readonly roles: readonly Role[];
  readonly tenant: string;
}

/** The principal of AUTH_MODE=open: an anonymous admin of tenant `default`, for a first local try. */
export const ANONYMOUS_ADMIN: Principal = Object.freeze({
  kind: 'anonymous',
  id: 'anonymous',
  name: 'anonymous',
  roles: Object.freeze(['admin'] as Role[]),
  tenant: 'default',
});

export function hasRole(principal: Principal, role: Role): boolean {
  return principal.roles.includes(role);
}

/** The audit-trail actor for a principal: machine clients by key id, people by token subject. */
export function actorOf(principal: Principal): Actor {
  if (principal.kind === 'oidc') return { kind: 'person', id: principal.id };
  return { kind: 'client', id: principal.kind === 'api-key' ? `apikey:${principal.id}` : principal.id };
}

function isPrincipal(value: unknown): value is Principal {
  if (typeof value !== 'object' || value === null) return false;
  const kind: unknown = Reflect.get(value, 'kind');
  const roles: unknown = Reflect.get(value, 'roles');
  return (
    (kind === 'api-key' || kind === 'oidc' || kind === 'anonymous') &&
    typeof Reflect.get(value, 'id') === 'string' &&
    typeof Reflect.get(value, 'tenant') === 'string' &&
    Array.isArray(roles) &&
    roles.every(isRole)
  );
}

/** Attaches the authenticated principal to the response (express `res.locals`). */
export function setPrincipal(res: Response, principal: Principal): void {
  res.locals['principal'] = principal;
}

/**
 * The authenticated principal of this request. Routers call it; it never returns undefined because
 * the authorize middleware runs before every router and refuses requests without one.
 */
export function principalOf(res: Response): Principal {
  const value: unknown = res.locals['principal'];
  if (!isPrincipal(value))
    throw new Error(
      'principalOf: no principal on this request (is the authorize middleware mounted before the router?)',
    );
  return value;
}
