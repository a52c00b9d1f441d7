import { AppError } from '../errors/app-error.js';
import { hasRole, type Principal } from './principal.js';

/** Whether `principal` may see resources of `tenant`: its own tenant, or any tenant for admins. */
export function canAccessTenant(principal: Principal, tenant: string): boolean {
  return principal.tenant === tenant || hasRole(principal, 'admin');
}

/**
 * Throws 404 (not 403) when the record belongs to another tenant, so a caller cannot even learn
 * that an id exists elsewhere. Call it in every endpoint that reads a job, review item, delivery
 * or audit trail by id, right after loading the record.
 *
 * @example
 *   const record = await store.get(id);
 *   if (record === undefined) throw new AppError('XGW_REQ_NOT_FOUND', …);
 *   assertTenantAccess(principalOf(res), record);
 */
export function assertTenantAccess(
  principal: Principal,
  record: { readonly tenant: string; readonly id?: string },
): void {
  if (canAccessTenant(principal, record.tenant)) return;
  const what = record.id === undefined ? 'No such resource' : `No job ${record.id}`;
  throw new AppError('XGW_REQ_NOT_FOUND', { detail: `${what} (unknown, or expired after the retention period).` });
}
