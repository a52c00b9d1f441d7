import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { MAX_SUMMARY_SENTENCES, type JsonSchema, type Label, type TaskSpec } from '../../jobs/finding.js';
import { compileSchema } from '../../config/json-schema.js';

/**
 * The answer shapes we demand from a model. The same schema object is sent to the provider as
 * `response_format.json_schema` (strict) AND checked with ajv afterwards, because many
 * OpenAI-compatible servers accept `strict` and then do not enforce it. Safety rests on this
 * check, not on the prompt: a label outside the set cannot pass the `enum`, an extra member
 * cannot pass `additionalProperties: false`.
 */

/** What a valid classify answer looks like after validation. */
export interface ClassifyOutput {
  labels: string[];
  confidence: number;
  rationale: string;
}

/** One field of a valid extract answer. */
export interface ExtractField {
  value: string | number | boolean | null;
  quote: string | null;
  confidence: number;
}

/** What a valid extract answer looks like after validation. */
export interface ExtractOutput {
  fields: Record<string, ExtractField>;
}

/** A schema for the provider plus its compiled validator. */
export interface OutputSchema<T> {
  /** `response_format.json_schema.name`. */
  name: string;
  schema: JsonSchema;
  validate: ValidateFunction<T>;
}

// Target schemas come from profiles and clients and may carry annotations ajv does not know: the
// schema compiler is not strict, and keeps compiled schemas in a bounded cache by content.

const CONFIDENCE = { type: 'number', minimum: 0, maximum: 1 } as const;

/** Output schema of a classify task: labels restricted to the codes of the label set. */
export function classifySchema(labels: readonly Label[], multi: boolean): OutputSchema<ClassifyOutput> {
  const codes = [...new Set(labels.map((l) => l.code))];
  const schema: JsonSchema = {
    type: 'object',
    properties: {
      labels: {
        type: 'array',
        items: { type: 'string', enum: codes },
        minItems: 1,
        maxItems: multi ? Math.max(1, codes.length) : 1,
      },
      confidence: CONFIDENCE,
      rationale: { type: 'string' },
    },
    required: ['labels', 'confidence', 'rationale'],
    additionalProperties: false,
  };
  return { name: 'classification', schema, validate: compileSchema<ClassifyOutput>(schema) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const PRIMITIVE = new Set(['string', 'number', 'integer', 'boolean']);

/**
 * The `value` schema for one target property. Primitive types pass through (with their enum);
 * anything else is asked for as text, because strict mode needs closed object shapes and a
 * quote can only ground a flat value. Such fields then usually fail the target schema and go to review.
 */
function valueSchema(prop: unknown): JsonSchema {
  const out: JsonSchema = {};
  const type =
    isRecord(prop) && typeof prop['type'] === 'string' && PRIMITIVE.has(prop['type']) ? prop['type'] : 'string';
  out['type'] = [type, 'null'];
  if (isRecord(prop)) {
    const enumValues = prop['enum'];
    if (Array.isArray(enumValues) && enumValues.every((v) => ['string', 'number', 'boolean'].includes(typeof v))) {
      out['enum'] = [...enumValues, null];
    }
    const hint = [prop['title'], prop['description']].filter((v): v is string => typeof v === 'string').join(': ');
    if (hint !== '') out['description'] = hint;
  }
  return out;
}

/** Names of the target schema's top-level properties, in schema order. */
export function targetFields(target: JsonSchema): string[] {
  const props = target['properties'];
  return isRecord(props) ? Object.keys(props) : [];
}

/** Output schema of an extract task: per target property a value, its quote and a confidence. */
export function extractSchema(target: JsonSchema): OutputSchema<ExtractOutput> {
  const props = isRecord(target['properties']) ? target['properties'] : {};
  const fields: Record<string, JsonSchema> = {};
  for (const [name, prop] of Object.entries(props)) {
    fields[name] = {
      type: 'object',
      properties: { value: valueSchema(prop), quote: { type: ['string', 'null'] }, confidence: CONFIDENCE },
      required: ['value', 'quote', 'confidence'],
      additionalProperties: false,
    };
  }
  const schema: JsonSchema = {
    type: 'object',
    properties: {
      fields: { type: 'object', properties: fields, required: Object.keys(fields), additionalProperties: false },
    },
    required: ['fields'],
    additionalProperties: false,
  };
  return { name: 'extraction', schema, validate: compileSchema<ExtractOutput>(schema) };
}

/** What a valid summarise answer looks like after validation: sentences with the quotes they rest on. */
export interface SummariseOutput {
  sentences: { text: string; quotes: string[] }[];
}

/** Output schema of a summarise task: at most `maxSentences` sentences, each with one to five verbatim quotes. */
export function summariseSchema(maxSentences: number): OutputSchema<SummariseOutput> {
  const schema: JsonSchema = {
    type: 'object',
    properties: {
      sentences: {
        type: 'array',
        minItems: 1,
        maxItems: maxSentences,
        items: {
          type: 'object',
          properties: {
            text: { type: 'string', minLength: 1, maxLength: 600 },
            quotes: {
              type: 'array',
              minItems: 1,
              maxItems: 5,
              items: { type: 'string', minLength: 1, maxLength: 600 },
            },
          },
          required: ['text', 'quotes'],
          additionalProperties: false,
        },
      },
    },
    required: ['sentences'],
    additionalProperties: false,
  };
  return { name: 'summary', schema, validate: compileSchema<SummariseOutput>(schema) };
}

/** The output schema a task demands. */
export function outputSchemaFor(
  task: TaskSpec,
): OutputSchema<ClassifyOutput> | OutputSchema<ExtractOutput> | OutputSchema<SummariseOutput> {
  if (task.kind === 'classify') return classifySchema(task.labels, task.multi ?? false);
  if (task.kind === 'summarise') return summariseSchema(summaryLength(task));
  return extractSchema(task.schema);
}

/** The sentences a summarise task asks for: 3 unless it says, within 1 and MAX_SUMMARY_SENTENCES. */
export function summaryLength(task: { maxSentences?: number }): number {
  return Math.min(MAX_SUMMARY_SENTENCES, Math.max(1, Math.floor(task.maxSentences ?? 3)));
}

/**
 * Validate extracted data against the caller's own target schema (formats, patterns, required).
 * `$schema` is dropped: profiles often name draft-07, whose keywords we check the same way, and
 * ajv would otherwise refuse a meta-schema it was not built with.
 */
export function validateTarget(target: JsonSchema, data: Record<string, unknown>): ErrorObject[] {
  const { $schema: _ignored, ...schema } = target;
  const fn = compileSchema<Record<string, unknown>>(schema);
  return fn(data) ? [] : [...(fn.errors ?? [])];
}

/** Short, content-free description of validation errors, for the repair round and for logs. */
export function describeErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? [])
    .slice(0, 20)
    .map(
      (e) =>
        `${e.instancePath === '' ? '/' : e.instancePath} ${e.message ?? 'is invalid'}${e.keyword === 'additionalProperties' ? ` (${JSON.stringify(e.params)})` : ''}`,
    );
}
