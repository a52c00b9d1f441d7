import { AppError } from '../../errors/app-error.js';
import type { Finding, TokenUsage } from '../../jobs/finding.js';
import type { Analyser, AnalysisRequest } from '../analysis.types.js';
import type { ChatMessage, ModelEndpoint } from '../providers/model-endpoint.js';
import { hashText } from '../text-hash.js';
import {
  interpretClassify,
  interpretExtract,
  interpretSummary,
  REVIEW_REASONS,
  type Interpreted,
} from './interpret.js';
import {
  classifySchema,
  describeErrors,
  extractSchema,
  summariseSchema,
  summaryLength,
  type OutputSchema,
} from './output-schemas.js';
import { loadPrompt, PROMPT_VERSIONS, repairMessage, userMessage } from './prompts.js';

/** Options of {@link StructuredAnalyser}. */
export interface StructuredAnalyserOptions {
  /** Provider id from config; recorded in every finding. */
  providerId: string;
  endpoint: ModelEndpoint;
  /** Threshold used when the task gives no `confidenceThreshold`. @defaultValue 0.5 */
  defaultConfidenceThreshold?: number;
  /** Folder with the versioned prompt files. @defaultValue the repository's `prompts/` */
  promptDir?: string;
}

/** One call's parsed outcome: a valid value, or what was wrong with the answer. */
type Attempt<T> = { ok: true; value: T } | { ok: false; problems: string[] };

function addUsage(a: TokenUsage | undefined, b: TokenUsage | undefined): TokenUsage | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
}

/** Parse and validate one answer. Providers in `json_object` mode sometimes wrap JSON in a code fence. */
function check<T>(content: string, output: OutputSchema<T>): Attempt<T> {
  const unfenced = content.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/u, '$1');
  let parsed: unknown;
  try {
    parsed = JSON.parse(unfenced);
  } catch {
    return { ok: false, problems: ['Die Antwort ist kein gültiges JSON.'] };
  }
  if (output.validate(parsed)) return { ok: true, value: parsed };
  return { ok: false, problems: describeErrors(output.validate.errors) };
}

/**
 * Runs classify and extract tasks on a model endpoint of any kind: the structured-output loop every
 * kind shares, so a kind supplies only its request, response and error transforms (ModelEndpoint).
 *
 * Safety does not depend on the prompt: the answer shape is fixed by a strict JSON Schema sent to
 * the endpoint and validated with ajv afterwards (labels are an `enum` of the task's codes, no
 * extra members). An answer that fails gets ONE repair round (the errors are sent back); if it
 * fails again the analyser returns a Finding with reviewReason `invalid_output` and empty results
 * instead of throwing, because retrying the same text usually yields the same answer and the
 * design sends such cases to a person. Endpoint failures throw the endpoint's typed AppErrors.
 *
 * Extracted values are grounded in the source (groundQuote); a quote that is not found keeps the
 * model's text with offsets -1 and `grounded: false`.
 */
export class StructuredAnalyser implements Analyser {
  readonly name: string;

  constructor(private readonly options: StructuredAnalyserOptions) {
    this.name = options.endpoint.kind;
  }

  async analyse(request: AnalysisRequest, signal?: AbortSignal): Promise<Finding> {
    const started = performance.now();
    const inputHash = hashText(request.text);
    const { task } = request;
    if (task.kind === 'classify' && task.labels.length === 0) {
      throw new AppError('XGW_CONFIG_INVALID', { detail: 'classify task has an empty label set' });
    }
    const prompt = loadPrompt(PROMPT_VERSIONS[task.kind], this.options.promptDir);
    const threshold = task.confidenceThreshold ?? this.options.defaultConfidenceThreshold ?? 0.5;
    const user = userMessage(request, inputHash);

    let body: Pick<Finding, 'classification' | 'extraction' | 'summary'>;
    let reviewReasons: string[];
    let usage: TokenUsage | undefined;
    if (task.kind === 'classify') {
      const run = await this.structured(prompt.text, user, classifySchema(task.labels, task.multi ?? false), signal);
      usage = run.usage;
      const out: Interpreted<NonNullable<Finding['classification']>> =
        run.value === null
          ? { result: { labels: [], confidence: 0, rationale: '' }, reviewReasons: [REVIEW_REASONS.invalidOutput] }
          : interpretClassify(task.labels, run.value, threshold);
      body = { classification: out.result };
      reviewReasons = out.reviewReasons;
    } else if (task.kind === 'summarise') {
      const run = await this.structured(prompt.text, user, summariseSchema(summaryLength(task)), signal);
      usage = run.usage;
      const out: Interpreted<NonNullable<Finding['summary']>> =
        run.value === null
          ? { result: { sentences: [] }, reviewReasons: [REVIEW_REASONS.invalidOutput] }
          : interpretSummary(request, run.value);
      body = { summary: out.result };
      reviewReasons = out.reviewReasons;
    } else {
      const run = await this.structured(prompt.text, user, extractSchema(task.schema), signal);
      usage = run.usage;
      const out: Interpreted<NonNullable<Finding['extraction']>> =
        run.value === null
          ? { result: { data: {}, values: [] }, reviewReasons: [REVIEW_REASONS.invalidOutput] }
          : interpretExtract(request, task.schema, run.value, threshold);
      body = { extraction: out.result };
      reviewReasons = out.reviewReasons;
    }

    return {
      partId: request.partId,
      task: task.kind,
      analyser: this.name,
      provider: this.options.providerId,
      model: this.options.endpoint.model,
      promptVersion: prompt.version,
      inputHash,
      aiGenerated: true,
      ...body,
      ...(usage === undefined ? {} : { usage }),
      reviewReasons,
      durationMs: Math.round(performance.now() - started),
    };
  }

  /** First call plus at most one repair round. `value: null` means still invalid after repair. */
  private async structured<T>(
    system: string,
    user: string,
    output: OutputSchema<T>,
    signal: AbortSignal | undefined,
  ): Promise<{ value: T | null; usage: TokenUsage | undefined }> {
    const messages: ChatMessage[] = [
      { role: 'system', content: system },
      { role: 'user', content: user },
    ];
    const call = { name: output.name, schema: output.schema };
    const first = await this.options.endpoint.complete({ messages, output: call }, signal);
    const firstCheck = check(first.content, output);
    if (firstCheck.ok) return { value: firstCheck.value, usage: first.usage };

    messages.push(
      { role: 'assistant', content: first.content },
      { role: 'user', content: repairMessage(firstCheck.problems) },
    );
    const second = await this.options.endpoint.complete({ messages, output: call }, signal);
    const secondCheck = check(second.content, output);
    return { value: secondCheck.ok ? secondCheck.value : null, usage: addUsage(first.usage, second.usage) };
  }
}
