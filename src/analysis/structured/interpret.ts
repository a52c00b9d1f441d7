import type { AnalysisRequest } from '../analysis.types.js';
import type { Classification, Evidence, ExtractedValue, JsonSchema, Label, Summary } from '../../jobs/finding.js';
import { groundQuote } from '../grounding.js';
import {
  targetFields,
  validateTarget,
  type ClassifyOutput,
  type ExtractOutput,
  type SummariseOutput,
} from '../structured/output-schemas.js';

/**
 * Turn a schema-valid model answer into finding parts and review reasons. Everything here is
 * deterministic and offline: the model proposes, these checks decide whether a person must look.
 */

/** Review reasons this analyser emits. Stored in findings, so only ever extended. */
export const REVIEW_REASONS = {
  /** The answer did not parse or validate, even after the one repair round. */
  invalidOutput: 'invalid_output',
  /** Confidence below the task's threshold. */
  lowConfidence: 'low_confidence',
  /** A value's quote is missing or does not occur in the source. */
  ungroundedEvidence: 'ungrounded_evidence',
  /** The extracted data does not satisfy the caller's target schema (required, format, pattern…). */
  targetSchemaViolation: 'target_schema_violation',
} as const;

/**
 * Offsets of evidence whose quote was not found. The quote is kept so the reviewer sees what the
 * model claimed; `grounded: false` says the offsets mean nothing.
 */
export const UNGROUNDED_OFFSET = -1;

export interface Interpreted<T> {
  result: T;
  reviewReasons: string[];
}

/** Map codes back to the task's labels; codes outside the set are dropped (the schema already forbids them). */
export function interpretClassify(
  labels: readonly Label[],
  out: ClassifyOutput,
  threshold: number,
): Interpreted<Classification> {
  const byCode = new Map(labels.map((l) => [l.code, l]));
  const chosen: Label[] = [];
  for (const code of new Set(out.labels)) {
    const label = byCode.get(code);
    if (label !== undefined) chosen.push(label);
  }
  const reviewReasons: string[] = [];
  if (chosen.length === 0) reviewReasons.push(REVIEW_REASONS.invalidOutput);
  if (out.confidence < threshold) reviewReasons.push(REVIEW_REASONS.lowConfidence);
  return { result: { labels: chosen, confidence: out.confidence, rationale: out.rationale }, reviewReasons };
}

function evidenceFor(source: string, quote: string | null): { evidence: Evidence | null; grounded: boolean } {
  if (quote === null || quote.trim() === '') return { evidence: null, grounded: false };
  const found = groundQuote(source, quote);
  if (found !== null) return { evidence: found, grounded: true };
  return { evidence: { quote, start: UNGROUNDED_OFFSET, end: UNGROUNDED_OFFSET }, grounded: false };
}

/**
 * Ground every extracted value in the source and check the data against the caller's schema.
 * Fields the model left `null` are absent from `data` and `values`.
 */
export function interpretExtract(
  request: AnalysisRequest,
  target: JsonSchema,
  out: ExtractOutput,
  threshold: number,
): Interpreted<{ data: Record<string, unknown>; values: ExtractedValue[] }> {
  const data: Record<string, unknown> = {};
  const values: ExtractedValue[] = [];
  const reasons = new Set<string>();
  for (const field of targetFields(target)) {
    const f = out.fields[field];
    if (f === undefined || f.value === null) continue;
    const { evidence, grounded } = evidenceFor(request.text, f.quote);
    data[field] = f.value;
    values.push({ field, value: f.value, evidence, grounded, confidence: f.confidence });
    if (!grounded) reasons.add(REVIEW_REASONS.ungroundedEvidence);
    if (f.confidence < threshold) reasons.add(REVIEW_REASONS.lowConfidence);
  }
  if (validateTarget(target, data).length > 0) reasons.add(REVIEW_REASONS.targetSchemaViolation);
  return { result: { data, values }, reviewReasons: [...reasons] };
}

/**
 * Ground every quote of every summary sentence in the source: a sentence is grounded when all its
 * quotes are found; one ungrounded sentence sends the finding to a person (issue #16: a summary
 * they can trust is one whose every sentence they can check against the text).
 */
export function interpretSummary(request: AnalysisRequest, out: SummariseOutput): Interpreted<Summary> {
  const reasons = new Set<string>();
  const sentences = out.sentences.map((s) => {
    const evidence: Evidence[] = [];
    let grounded = true;
    for (const quote of s.quotes) {
      const found = evidenceFor(request.text, quote);
      if (found.evidence !== null) evidence.push(found.evidence);
      if (!found.grounded) grounded = false;
    }
    if (!grounded) reasons.add(REVIEW_REASONS.ungroundedEvidence);
    return { text: s.text, evidence, grounded };
  });
  return { result: { sentences }, reviewReasons: [...reasons] };
}
