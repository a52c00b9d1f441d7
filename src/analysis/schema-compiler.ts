import { ENTITY_KEYWORD, ENTITY_KINDS, isEntityKind } from '../jobs/entity-kinds.js';
import { AppError } from '../errors/app-error.js';

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
      if (key === ENTITY_KEYWORD && !isEntityKind(member))
        throw problem(
          'XGW_REQ_VALIDATION',
          `"${ENTITY_KEYWORD}" must name a kind the gateway recognises: ${ENTITY_KINDS.join(', ')}.`,
          at,
        );
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
