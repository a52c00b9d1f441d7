import { createHash } from 'node:crypto';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { canonicalJson } from './canonical-json.js';

/**
 * The gateway's one JSON Schema set-up: draft 2020-12 with formats, every error reported, unknown
 * keywords (annotations in profiles and clients' schemas) tolerated. Everything the gateway
 * validates with a JSON Schema — standard descriptors, profiles and their extract schemas, the
 * providers and connectors files, clients' extract schemas, models' answers, reviewers'
 * corrections — is compiled here. (Connectors check their config with the contract's own ajv in
 * connectors/connector.ts: a connector sees only its contract.)
 */
export function createAjv(options: { useDefaults?: boolean } = {}): Ajv2020 {
  const ajv = new Ajv2020({
    strict: false,
    allErrors: true,
    addUsedSchema: false,
    useDefaults: options.useDefaults ?? false,
  });
  addFormats.default(ajv);
  return ajv;
}

// Nothing registers by `$id` (addUsedSchema: false, and client schemas carry none); a compiled schema
// leaves ajv's cache when it leaves ours.
const ajv = createAjv();
// Configuration files fill their defaults in (`useDefaults`): a separate instance, so that no other
// validation ever changes the data it checks.
const withDefaults = createAjv({ useDefaults: true });

/** Compiled schemas are kept per content; equal schemas (a profile's, a bot's repeated one) compile once. */
const MAX_CACHED = 256;
const cache = new Map<string, { schema: object; validate: ValidateFunction }>();

/**
 * Compiles a JSON Schema into a validator, cached by content in a bounded cache: a new schema per
 * request costs one compile and is forgotten after 256 others, where a shared ajv instance keeps
 * every compiled schema for good (+111 MiB per 1,000 schemas, issue #11). Throws ajv's error for a
 * schema that does not compile.
 */
export function compileSchema<T = unknown>(schema: object): ValidateFunction<T> {
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

/** Compiles the schema of a configuration file, whose validation also fills in its defaults. Compiled once per file kind, at start. */
export function compileConfigSchema<T>(schema: object): ValidateFunction<T> {
  return withDefaults.compile<T>(schema);
}

/** How many compiled schemas are held (tests prove the bound). */
export function compiledSchemaCount(): number {
  return cache.size;
}
