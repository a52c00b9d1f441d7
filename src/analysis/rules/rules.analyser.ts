import { AppError } from '../../errors/app-error.js';
import type { Analyser, AnalysisRequest } from '../analysis.types.js';
import type { Classification, ExtractedValue, Finding, JsonSchema, Label } from '../../jobs/finding.js';
import { hashText } from '../text-hash.js';
import { entityKindForProperty } from './entity-schema.js';
import type { EntityKind } from '../../jobs/entity-kinds.js';
import type { EntityMatch } from './entity-match.js';
import { classifyByKeywords } from './keyword.classifier.js';
import { summariseExtractive } from './extractive-summary.js';
import { summaryLength } from '../structured/output-schemas.js';
import { recogniseCandidates, recogniseKind } from './recognisers/index.js';
import { RULES_MODEL, RULES_PROMPT_VERSION } from './rule-set.version.js';

/** Review reason codes; the same strings the openai analyser uses, so the review queue needs one vocabulary. */
export const RULES_REVIEW_REASONS = {
  lowConfidence: 'low_confidence',
  targetSchemaViolation: 'target_schema_violation',
} as const;

/** Threshold below which a finding goes to a person, when the task names none. */
export const DEFAULT_CONFIDENCE_THRESHOLD = 0.5;

type Scalar = string | number | boolean;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON type a property (or its array items) asks for; unknown or absent types are read as string. */
function scalarType(schema: Record<string, unknown>): 'string' | 'number' | 'boolean' {
  const type = schema['type'];
  if (type === 'number' || type === 'integer') return 'number';
  if (type === 'boolean') return 'boolean';
  return 'string';
}

/** Converts a recognised value to the property's type; `null` when it cannot be expressed (e.g. an IBAN as number). */
function toScalar(match: EntityMatch, type: 'string' | 'number' | 'boolean'): Scalar | null {
  if (type === 'string') return match.value;
  if (type === 'boolean') return true;
  return /^\d{1,15}$/.test(match.value) ? Number(match.value) : null;
}

function extractedValue(field: string, value: Scalar, match: EntityMatch): ExtractedValue {
  return {
    field,
    value,
    evidence: { quote: match.quote, start: match.start, end: match.end },
    grounded: true,
    confidence: match.confidence,
  };
}

/** Most confident match, the earlier one on a tie. */
function best(matches: readonly EntityMatch[]): EntityMatch | undefined {
  return matches.reduce<EntityMatch | undefined>(
    (top, m) => (top === undefined || m.confidence > top.confidence ? m : top),
    undefined,
  );
}

/**
 * A single `datum` property is rarely meant to be somebody's birthday: birth dates are passed over for
 * it unless no other date exists. Arrays still get every date.
 */
function scalarCandidates(kind: EntityKind, matches: EntityMatch[], all: readonly EntityMatch[]): EntityMatch[] {
  if (kind !== 'date') return matches;
  const births = all.filter((m) => m.kind === 'birth-date');
  const others = matches.filter((m) => !births.some((b) => b.start === m.start && b.end === m.end));
  return others.length > 0 ? others : matches;
}

interface Extraction {
  data: Record<string, unknown>;
  values: ExtractedValue[];
  reviewReasons: string[];
}

function propertiesOf(schema: JsonSchema): Record<string, unknown> {
  const properties = schema['properties'];
  if (schema['type'] !== 'object' || !isRecord(properties)) {
    throw new AppError('XGW_REQ_VALIDATION', {
      detail: 'Extract task schema must be an object schema with "properties".',
    });
  }
  return properties;
}

/** Fills each property the rules understand from the text; see {@link RulesAnalyser}. */
function extract(text: string, schema: JsonSchema, threshold: number): Extraction {
  const properties = propertiesOf(schema);
  const required = Array.isArray(schema['required'])
    ? schema['required'].filter((r): r is string => typeof r === 'string')
    : [];
  // Running every recogniser once lets each property drop matches a stronger kind claims (phone inside an IBAN).
  const candidates = recogniseCandidates(text);
  const data: Record<string, unknown> = {};
  const values: ExtractedValue[] = [];
  const reasons = new Set<string>();
  for (const [field, propertySchema] of Object.entries(properties)) {
    if (!isRecord(propertySchema)) continue;
    const kind = entityKindForProperty(field, propertySchema);
    if (kind === undefined) continue;
    const matches = recogniseKind(text, kind, candidates);
    const isArray = propertySchema['type'] === 'array';
    const itemSchema = isArray && isRecord(propertySchema['items']) ? propertySchema['items'] : propertySchema;
    const type = scalarType(itemSchema);
    const chosen = isArray
      ? matches
      : [best(scalarCandidates(kind, matches, candidates))].filter((m): m is EntityMatch => m !== undefined);
    const fieldValues: Scalar[] = [];
    const seen = new Set<Scalar>();
    for (const match of chosen) {
      const value = toScalar(match, type);
      if (value === null) continue;
      values.push(extractedValue(field, value, match));
      if (match.confidence < threshold) reasons.add(RULES_REVIEW_REASONS.lowConfidence);
      // The same IBAN twice is one fact; evidence keeps every occurrence.
      if (!seen.has(value)) fieldValues.push(value);
      seen.add(value);
    }
    if (fieldValues.length === 0) continue;
    data[field] = isArray ? fieldValues : fieldValues[0];
  }
  for (const field of required) if (!(field in data)) reasons.add(RULES_REVIEW_REASONS.targetSchemaViolation);
  return { data, values, reviewReasons: [...reasons] };
}

function classify(
  text: string,
  labels: Label[],
  multi: boolean,
  threshold: number,
): { classification: Classification; reviewReasons: string[] } {
  const classification = classifyByKeywords(labels, text, multi);
  const reviewReasons = classification.confidence < threshold ? [RULES_REVIEW_REASONS.lowConfidence] : [];
  return { classification, reviewReasons };
}

/**
 * The deterministic, offline analyser: keyword classification and recogniser-based extraction. It
 * needs no network and no secrets, so it is the embedded default and runs where personal data must
 * not leave the house.
 *
 * Extraction: each property of the target object schema is filled by the recogniser its `x-entity`
 * keyword names, or, without it, the one its name suggests; properties no recogniser fits are left
 * out. Array properties get every distinct value, scalar ones the most confident. Every value carries
 * its exact quote and offsets. Findings never contain the input text beyond those quotes.
 */
export class RulesAnalyser implements Analyser {
  readonly name = 'rules';

  async analyse(request: AnalysisRequest, signal?: AbortSignal): Promise<Finding> {
    signal?.throwIfAborted();
    const startedAt = performance.now();
    const { task, text } = request;
    const threshold = task.confidenceThreshold ?? DEFAULT_CONFIDENCE_THRESHOLD;
    const base = {
      partId: request.partId,
      task: task.kind,
      analyser: 'rules',
      provider: 'rules',
      model: RULES_MODEL,
      promptVersion: RULES_PROMPT_VERSION,
      inputHash: hashText(text),
      aiGenerated: false,
    } as const satisfies Partial<Finding>;
    if (task.kind === 'classify') {
      const { classification, reviewReasons } = classify(text, task.labels, task.multi ?? false, threshold);
      return { ...base, classification, reviewReasons, durationMs: performance.now() - startedAt };
    }
    if (task.kind === 'summarise') {
      // Extractive: every sentence is a span of the source, grounded by construction.
      const sentences = summariseExtractive(text, summaryLength(task)).map((s) => ({
        text: s.text,
        evidence: s.evidence.map((e) => ({ quote: e.quote, start: e.start, end: e.end })),
        grounded: true,
      }));
      return { ...base, summary: { sentences }, reviewReasons: [], durationMs: performance.now() - startedAt };
    }
    const { data, values, reviewReasons } = extract(text, task.schema, threshold);
    return { ...base, extraction: { data, values }, reviewReasons, durationMs: performance.now() - startedAt };
  }
}
