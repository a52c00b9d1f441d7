/**
 * Tasks and findings: what an analyser is asked to do with one part and what it answers.
 * These shapes are stored in job results, so they change only compatibly.
 */

/** One label of a closed label set, usually a code of an XÖV code list. */
export interface Label {
  code: string;
  name: string;
  listURI?: string;
  listVersionID?: string;
  /** Extra words that indicate this label (used by the rules analyser's keyword classifier). */
  keywords?: string[];
}

/** JSON Schema (draft 2020-12) object, kept opaque here; validated with ajv where used. */
export type JsonSchema = Record<string, unknown>;

export type TaskSpec =
  | { kind: 'classify'; labels: Label[]; multi?: boolean; confidenceThreshold?: number }
  | { kind: 'extract'; schema: JsonSchema; confidenceThreshold?: number }
  /** A few sentences, each resting on spans of the source (issue #16); an ungrounded one goes to review. */
  | { kind: 'summarise'; maxSentences?: number; confidenceThreshold?: number };

/** The most sentences a summary may have: a summary is read at a glance, the source is there for the rest. */
export const MAX_SUMMARY_SENTENCES = 10;

/** Where in the source text a value comes from. Offsets are UTF-16 indices into the original part text. */
export interface Evidence {
  quote: string;
  start: number;
  end: number;
}

export interface ExtractedValue {
  /** Property name of the target schema. */
  field: string;
  value: string | number | boolean;
  /** Null when the analyser gave no quote. */
  evidence: Evidence | null;
  /** True when the quote was found in the source (whitespace-normalised). */
  grounded: boolean;
  confidence: number;
}

export interface Classification {
  labels: Label[];
  confidence: number;
  rationale: string;
}

/** One sentence of a summary and the spans of the source it rests on. */
export interface SummarySentence {
  text: string;
  /** Spans of the part text (UTF-16 offsets); offsets -1 where a model's quote was not found. */
  evidence: Evidence[];
  /** True when every quote of the sentence was found in the source. */
  grounded: boolean;
}

export interface Summary {
  sentences: SummarySentence[];
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/** A task's result for one part. */
export interface Finding {
  partId: string;
  task: TaskSpec['kind'];
  /** The task's name (a profile's task, `entities`, or the kind for a task job); absent in results from before 0.2. */
  name?: string;
  /** The analyser: `rules`, or the provider kind that ran the task (`openai`, …). */
  analyser: string;
  /** Provider id from config (`rules` for the rules analyser). */
  provider: string;
  model: string;
  promptVersion: string;
  /** sha256 of the exact text the task ran on. */
  inputHash: string;
  /** EU AI Act Art. 50: true until a person accepted the finding. The rules analyser sets false. */
  aiGenerated: boolean;
  classification?: Classification;
  extraction?: { data: Record<string, unknown>; values: ExtractedValue[] };
  summary?: Summary;
  usage?: TokenUsage;
  /** Reasons a person must look at this finding (low confidence, ungrounded evidence, …). Empty if none. */
  reviewReasons: string[];
  durationMs: number;
  /** True when the finding came from the cache (no model was called for it in this job). */
  cached?: boolean;
  /** True when personal data was replaced by placeholders before the provider saw the text. */
  pseudonymised?: boolean;
  /** Reviewer who accepted or corrected this finding (then `aiGenerated` is false). */
  acceptedBy?: string;
  /** True when a reviewer replaced the analyser's values. */
  corrected?: boolean;
}
