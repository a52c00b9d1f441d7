import { AppError } from '../errors/app-error.js';
import type { JsonSchema, Label } from '../jobs/finding.js';
import { checkUserSchema } from './schema-compiler.js';
import { compileSchema } from '../config/json-schema.js';

/**
 * Checks a client-supplied extract target before a job is accepted: within the size, depth and
 * keyword limits of {@link checkUserSchema}, a JSON Schema that compiles, describing an object with
 * properties (each property becomes one extracted field).
 */
export function checkExtractSchema(schema: JsonSchema, where = '/schema'): void {
  checkUserSchema(schema, where);
  const properties = schema.properties;
  if (
    schema.type !== 'object' ||
    properties === null ||
    typeof properties !== 'object' ||
    Array.isArray(properties) ||
    Object.keys(properties).length === 0
  ) {
    throw new AppError('XGW_REQ_VALIDATION', {
      detail: 'The extract schema must be an object schema with at least one property.',
      errors: [{ message: 'type object with properties required', path: where }],
    });
  }
  try {
    compileSchema(schema);
  } catch (error) {
    throw new AppError('XGW_REQ_VALIDATION', {
      detail: 'The extract schema is not a valid JSON Schema.',
      errors: [{ message: error instanceof Error ? error.message : 'invalid schema', path: where }],
    });
  }
}

/** Labels must be a closed set with unique codes. */
export function checkLabels(labels: readonly Label[], where = '/labels'): void {
  const seen = new Set<string>();
  for (const [i, label] of labels.entries()) {
    if (seen.has(label.code))
      throw new AppError('XGW_REQ_VALIDATION', {
        detail: `Label code ${label.code} appears twice.`,
        errors: [{ message: 'duplicate code', path: `${where}/${i}/code` }],
      });
    seen.add(label.code);
  }
}
