import { readFileSync } from 'node:fs';
import type * as OpenApiValidator from 'express-openapi-validator';
import { parse } from 'yaml';
import { fromRoot } from '../config/paths.js';
import { AppError } from '../errors/app-error.js';
import { readOperations, type ProtectedOperation } from '../security/operation-table.js';

export const OPENAPI_FILE = 'openapi/gateway.yaml';

/** The document express-openapi-validator takes. */
export type ApiSpec = Exclude<Parameters<typeof OpenApiValidator.middleware>[0]['apiSpec'], string>;

/** The REST contract, read and parsed once at start-up, and what the API derives from it. */
export interface ApiContract {
  /** The parsed document, for the validator (which checks it in full when it starts), the fast path and its response check. */
  readonly spec: ApiSpec;
  /** The contract as JSON, served at /openapi.json. */
  readonly json: string;
  /** Path templates (`/v1/jobs/{id}`), for metrics labels. */
  readonly paths: readonly string[];
  /** Every operation with its `x-roles`, for the authorizer. */
  readonly operations: readonly ProtectedOperation[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The top of an OpenAPI 3.1 document: enough to hand it on. express-openapi-validator validates the
 * whole document against the OpenAPI schema when it starts, and the operation table reads its part.
 */
function isApiSpec(value: unknown): value is ApiSpec {
  return (
    isRecord(value) &&
    typeof value['openapi'] === 'string' &&
    value['openapi'].startsWith('3.1.') &&
    isRecord(value['info']) &&
    isRecord(value['paths'])
  );
}

/** Reads the contract once (openapi/gateway.yaml); throws XGW_CONFIG_INVALID when it is not an OpenAPI 3.1 document. */
export function loadContract(file = fromRoot(OPENAPI_FILE)): ApiContract {
  const spec: unknown = parse(readFileSync(file, 'utf8'));
  if (!isApiSpec(spec))
    throw new AppError('XGW_CONFIG_INVALID', {
      detail: `${file} is not an OpenAPI 3.1 document`,
      extensions: { file },
    });
  return Object.freeze({
    spec,
    json: JSON.stringify(spec),
    paths: Object.keys(spec.paths ?? {}),
    operations: readOperations(spec),
  });
}
