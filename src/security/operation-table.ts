import { isRole, type Role } from './principal.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

/** `x-roles: [public]` marks an operation that needs no credentials (probes). */
export const PUBLIC = 'public';

/** One operation of the OpenAPI file with the roles its `x-roles` extension admits. */
export interface ProtectedOperation {
  readonly method: string;
  /** Path template as in the spec, e.g. `/v1/jobs/{id}`. */
  readonly path: string;
  readonly operationId: string;
  /** `public`, the admitted roles, or undefined when the spec declares none (denied by default). */
  readonly roles: typeof PUBLIC | readonly Role[] | undefined;
  readonly pattern: RegExp;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function templateToRegExp(path: string): RegExp {
  const escaped = path.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('[^/]+')}/?$`);
}

function readRoles(value: unknown, where: string): ProtectedOperation['roles'] {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) throw new Error(`${where}: x-roles must be a non-empty list`);
  if (value.length === 1 && value[0] === PUBLIC) return PUBLIC;
  const unknown = value.filter((r) => !isRole(r));
  if (unknown.length > 0) throw new Error(`${where}: unknown roles in x-roles: ${unknown.map(String).join(', ')}`);
  return value.filter(isRole);
}

/** Every operation of an OpenAPI document, with its `x-roles`. Throws on a malformed `x-roles`. */
export function readOperations(spec: unknown): ProtectedOperation[] {
  const paths = isRecord(spec) && isRecord(spec['paths']) ? spec['paths'] : {};
  const out: ProtectedOperation[] = [];
  for (const [path, item] of Object.entries(paths)) {
    if (!isRecord(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isRecord(op)) continue;
      const operationId = typeof op['operationId'] === 'string' ? op['operationId'] : `${method.toUpperCase()} ${path}`;
      out.push({
        method: method.toUpperCase(),
        path,
        operationId,
        roles: readRoles(op['x-roles'], operationId),
        pattern: templateToRegExp(path),
      });
    }
  }
  return out;
}

/**
 * Finds the operation a request addresses. Literal segments win over templates (`/v1/jobs/stats`
 * before `/v1/jobs/{id}`), as in express-openapi-validator. `pathKnown` tells a 405 from a 404.
 */
export function matchOperation(
  operations: readonly ProtectedOperation[],
  method: string,
  path: string,
): { operation?: ProtectedOperation; pathKnown: boolean } {
  const candidates = operations
    .filter((o) => o.pattern.test(path))
    .sort((a, b) => countParams(a.path) - countParams(b.path));
  const m = method.toUpperCase() === 'HEAD' ? ['HEAD', 'GET'] : [method.toUpperCase()];
  for (const wanted of m) {
    const operation = candidates.find((o) => o.method === wanted);
    if (operation !== undefined) return { operation, pathKnown: true };
  }
  return { pathKnown: candidates.length > 0 };
}

function countParams(path: string): number {
  return (path.match(/\{/g) ?? []).length;
}

/** The methods a path has in the contract (HEAD with GET), for the `Allow` header of a 405. */
export function allowedMethods(operations: readonly ProtectedOperation[], path: string): string[] {
  const methods = new Set(operations.filter((o) => o.pattern.test(path)).map((o) => o.method));
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}
