import type { ValidateFunction } from 'ajv/dist/2020.js';
import { createAjv } from '../../config/json-schema.js';
import { AppError } from '../../errors/app-error.js';

/** Checks a JSON answer of one operation against the OpenAPI file; throws when it does not conform. */
export type ResponseCheck = (status: number, body: unknown) => void;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The fast path's stand-in for express-openapi-validator's `validateResponses` (on in tests): the
 * JSON bodies of `method path` are checked against the response schemas of the OpenAPI file (3.1,
 * i.e. JSON Schema 2020-12), so tests keep proving the answers follow the contract. Like the
 * validator it checks what is sent with `res.json` (problem documents are written by sendProblem),
 * and a non-conforming answer becomes a 500.
 */
export function responseCheck(spec: unknown, method: string, path: string): ResponseCheck {
  // Its own instance of the gateway's set-up: it registers the whole contract by id to resolve its $refs.
  const ajv = createAjv();
  if (!isRecord(spec)) throw new Error('responseCheck: the OpenAPI document is not an object');
  // The whole document under one id, so a response schema is referenced by its JSON pointer and
  // its own `#/components/...` references resolve inside the same document.
  const id = 'openapi:gateway';
  ajv.addSchema({ ...spec, $id: id });
  const paths = spec['paths'];
  const item = isRecord(paths) ? paths[path] : undefined;
  const op = isRecord(item) ? item[method.toLowerCase()] : undefined;
  const responses = isRecord(op) ? op['responses'] : undefined;
  if (!isRecord(responses)) throw new Error(`responseCheck: no responses for ${method} ${path} in the OpenAPI file`);
  const validators = new Map<string, ValidateFunction>();
  for (const [status, response] of Object.entries(responses)) {
    const content = isRecord(response) ? response['content'] : undefined;
    if (!isRecord(content) || !isRecord(content['application/json'])) continue;
    const pointer = ['paths', path, method.toLowerCase(), 'responses', status, 'content', 'application/json', 'schema']
      .map((s) => s.replaceAll('~', '~0').replaceAll('/', '~1'))
      .join('/');
    validators.set(status, ajv.compile({ $ref: `${id}#/${pointer}` }));
  }
  return (status, body) => {
    const validate = validators.get(String(status));
    const problem =
      validate === undefined
        ? `no JSON response ${status} is declared`
        : validate(body)
          ? undefined
          : ajv.errorsText(validate.errors);
    if (problem !== undefined) {
      throw new AppError('XGW_INTERNAL', {
        detail: 'An unexpected error occurred; it has been logged.',
        cause: new Error(`response of ${method} ${path} does not conform to the OpenAPI file: ${problem}`),
      });
    }
  };
}
