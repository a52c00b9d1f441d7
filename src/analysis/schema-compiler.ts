import { createHash } from 'node:crypto';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { AppError } from '../errors/app-error.js';
import { canonicalJson } from '../observability/canonical-json.js';
import type { JsonSchema } from '../jobs/finding.js';

/** Limits on a JSON Schema a client sends with an extract task. */
export const USER_SCHEMA_LIMITS = Object.freeze({
  /** Serialised size in bytes. */
  maxBytes: 64 * 1024,
  /** Nesting of objects and arrays. */
  maxDepth: 16,
  /** Objects, arrays and values together. */
  maxNodes: 4_000,
  /** Properties of the extracted object (each becomes one field). */
  maxProperties: 200,
  /** Length of a `pattern`. */
  maxPatternLength: 256,
});

/** Keywords that name or reach schemas outside the one sent: refused, so no request sees another's. */
const FOREIGN_KEYWORDS = new Set([
  '$id',
  '$anchor',
  '$dynamicAnchor',
  '$dynamicRef',
  '$recursiveRef',
  '$recursiveAnchor',
  'id',
]);
/** A group that repeats and holds a repeat itself (`(a+)+`, `(\w*x)*`): the shape of catastrophic backtracking. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)(?:[+*]|\{\d*,)/;
const DRAFT_2020 = 'https://json-schema.org/draft/2020-12/schema';

function problem(code: 'XGW_REQ_VALIDATION' | 'XGW_REQ_TOO_COMPLEX', detail: string, path: string): AppError {
  return new AppError(code, { detail, errors: [{ message: detail, path }] });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a client's JSON Schema before anything compiles it: size, depth and node count bounded (a
 * 1.1 MB schema took ajv 13–22 s), no `$id` or anchors (ajv registered them for the whole process,
 * so one tenant's schema answered another's `$ref`), `$ref` only into the schema itself (no remote
 * fetch, no other schema), no `pattern` shaped for catastrophic backtracking. Iterative, so a schema
 * nested 10,000 deep is refused rather than overflowing the stack. Throws XGW_REQ_TOO_COMPLEX (sizes)
 * or XGW_REQ_VALIDATION (keywords) naming the JSON pointer.
 */
export function checkUserSchema(schema: unknown, where = '/schema'): void {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: schema, path: where, depth: 1 }];
  let nodes = 0;
  while (stack.length > 0) {
    const top = stack.pop();
    if (top === undefined) break;
    const { value, path, depth } = top;
    if (++nodes > USER_SCHEMA_LIMITS.maxNodes)
      throw problem('XGW_REQ_TOO_COMPLEX', `The schema has more than ${USER_SCHEMA_LIMITS.maxNodes} nodes.`, where);
    if (typeof value !== 'object' || value === null) continue;
    if (depth > USER_SCHEMA_LIMITS.maxDepth)
      throw problem(
        'XGW_REQ_TOO_COMPLEX',
        `The schema is nested deeper than ${USER_SCHEMA_LIMITS.maxDepth} levels.`,
        path,
      );
    if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) stack.push({ value: item, path: `${path}/${i}`, depth: depth + 1 });
      continue;
    }
    for (const [key, member] of Object.entries(value)) {
      const at = `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if (FOREIGN_KEYWORDS.has(key) && typeof member === 'string')
        throw problem(
          'XGW_REQ_VALIDATION',
          `"${key}" is not allowed in a task's schema: it would name the schema beyond this request.`,
          at,
        );
      if ((key === '$ref' || key === '$schema') && typeof member === 'string') {
        if (key === '$ref' && !member.startsWith('#'))
          throw problem('XGW_REQ_VALIDATION', 'Only references into the schema itself ("#/…") are allowed.', at);
        if (key === '$schema' && member.replace(/#$/, '') !== DRAFT_2020)
          throw problem('XGW_REQ_VALIDATION', `Only JSON Schema draft 2020-12 (${DRAFT_2020}) is supported.`, at);
      }
      if (key === 'pattern' && typeof member === 'string') {
        if (member.length > USER_SCHEMA_LIMITS.maxPatternLength)
          throw problem(
            'XGW_REQ_TOO_COMPLEX',
            `A pattern is longer than ${USER_SCHEMA_LIMITS.maxPatternLength} characters.`,
            at,
          );
        if (NESTED_QUANTIFIER.test(member))
          throw problem(
            'XGW_REQ_VALIDATION',
            'A pattern repeats a group that repeats itself (like (a+)+), which can take exponential time.',
            at,
          );
      }
      stack.push({ value: member, path: at, depth: depth + 1 });
    }
  }
  const properties = isRecord(schema) ? schema['properties'] : undefined;
  if (isRecord(properties) && Object.keys(properties).length > USER_SCHEMA_LIMITS.maxProperties) {
    throw problem(
      'XGW_REQ_TOO_COMPLEX',
      `The schema has more than ${USER_SCHEMA_LIMITS.maxProperties} properties.`,
      `${where}/properties`,
    );
  }
  if (Buffer.byteLength(JSON.stringify(schema)) > USER_SCHEMA_LIMITS.maxBytes)
    throw problem('XGW_REQ_TOO_COMPLEX', `The schema is larger than ${USER_SCHEMA_LIMITS.maxBytes} bytes.`, where);
}

// One ajv for every schema the gateway compiles. Nothing registers by `$id` (addUsedSchema: false,
// and client schemas carry none); a compiled schema leaves ajv's cache when it leaves ours.
const ajv = new Ajv2020({ strict: false, allErrors: true, addUsedSchema: false });
addFormats.default(ajv);

/** Compiled schemas are kept per content; equal schemas (a profile's, a bot's repeated one) compile once. */
const MAX_CACHED = 256;
const cache = new Map<string, { schema: JsonSchema; validate: ValidateFunction }>();

/**
 * Compiles a JSON Schema (draft 2020-12) into a validator, cached by content in a bounded cache:
 * a new schema per request costs one compile and is forgotten after 256 others, where the shared
 * ajv instance before kept every compiled schema for good (+111 MiB per 1,000 schemas).
 * Throws ajv's error for a schema that does not compile.
 */
export function compileSchema<T = unknown>(schema: JsonSchema): ValidateFunction<T> {
  const key = createHash('sha256').update(canonicalJson(schema)).digest('hex');
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit); // most recently used last
    return hit.validate as ValidateFunction<T>; // same key ⇒ same schema ⇒ same T
  }
  const validate = ajv.compile<T>(schema);
  if (cache.size >= MAX_CACHED) {
    const [oldestKey, oldest] = cache.entries().next().value ?? [];
    if (oldestKey !== undefined && oldest !== undefined) {
      cache.delete(oldestKey);
      ajv.removeSchema(oldest.schema);
    }
  }
  cache.set(key, { schema, validate });
  return validate;
}

/** How many compiled schemas are held (tests prove the bound). */
export function compiledSchemaCount(): number {
  return cache.size;
}
