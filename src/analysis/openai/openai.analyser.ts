import OpenAI from 'openai';
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { AppError } from '../../errors/app-error.js';
import { hashText } from '../text-hash.js';
import type { Analyser, AnalysisRequest } from '../analysis.types.js';
import type { Finding, TokenUsage } from '../../jobs/finding.js';
import { interpretClassify, interpretExtract, REVIEW_REASONS, type Interpreted } from './interpret.js';
import { classifySchema, describeErrors, extractSchema, type OutputSchema } from './output-schemas.js';
import { loadPrompt, PROMPT_VERSIONS, repairMessage, schemaInstruction, userMessage } from './prompts.js';
import { mapProviderError, rejectsJsonSchema } from './provider-errors.js';

/** Settings of one OpenAI-compatible provider (vLLM, Ollama, LiteLLM, Azure, OpenAI). */
export interface OpenAiAnalyserOptions {
  /** Provider id from config; recorded in every finding. */
  providerId: string;
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:8000/v1`. */
  baseURL: string;
  apiKey: string;
  model: string;
  /** Deadline of ONE HTTP call to the provider (a repair round is a second call with its own deadline). */
  timeoutMs: number;
  /**
   * Whether the provider enforces `response_format: {type: 'json_schema'}`. `false` uses
   * `json_object` with the schema in the prompt. Either way ajv validates the answer.
   * @defaultValue `undefined` = try `json_schema`, and after a 400 that names it switch this
   *   analyser to `json_object` for good.
   */
  supportsJsonSchema?: boolean;
  /**
   * Threshold used when the task gives no `confidenceThreshold`.
   * @defaultValue 0.5
   */
  defaultConfidenceThreshold?: number;
  /** `max_tokens` per call. @defaultValue unset (provider default) */
  maxTokens?: number;
  /** Sampling temperature; 0 keeps answers as reproducible as the provider allows. @defaultValue 0 */
  temperature?: number;
  /** Folder with the versioned prompt files. @defaultValue the repository's `prompts/` */
  promptDir?: string;
}

/** One call's parsed outcome: a valid value, or what was wrong with the answer. */
type Attempt<T> = { ok: true; value: T } | { ok: false; problems: string[] };

interface CallResult {
  content: string;
  usage: TokenUsage | undefined;
}

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
 * Runs classify and extract tasks on any OpenAI-compatible chat completions endpoint.
 *
 * Safety does not depend on the prompt: the answer shape is fixed by a strict JSON Schema sent to
 * the provider and validated with ajv afterwards (labels are an `enum` of the task's codes, no
 * extra members). An answer that fails gets ONE repair round (the errors are sent back); if it
 * fails again the analyser returns a Finding with reviewReason `invalid_output` and empty results
 * instead of throwing, because retrying the same text usually yields the same answer and the
 * design sends such cases to a person. Provider failures do throw typed {@link AppError}s
 * (`XGW_LLM_RATE_LIMITED`, `XGW_LLM_UNAVAILABLE`, `XGW_LLM_TIMEOUT`, `XGW_LLM_BAD_OUTPUT` for
 * answers without any choice) and the SDK never retries: the queue is the one retry layer.
 *
 * Extracted values are grounded in the source ({@link groundQuote}); a quote that is not found keeps
 * the model's text with offsets -1 and `grounded: false`.
 */
export class OpenAiAnalyser implements Analyser {
  readonly name = 'openai' as const;
  private readonly client: OpenAI;
  private readonly options: OpenAiAnalyserOptions;
  /** Current mode; `undefined` while auto-detecting. */
  private jsonSchema: boolean | undefined;

  constructor(options: OpenAiAnalyserOptions) {
    this.options = { ...options };
    this.jsonSchema = options.supportsJsonSchema;
    this.client = new OpenAI({
      baseURL: options.baseURL,
      apiKey: options.apiKey,
      maxRetries: 0,
      timeout: options.timeoutMs,
    });
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

    let body: Pick<Finding, 'classification' | 'extraction'>;
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
      analyser: 'openai',
      provider: this.options.providerId,
      model: this.options.model,
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
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: system },
      { role: 'user', content: user },
    ];
    const first = await this.call(messages, output, signal);
    const firstCheck = check(first.content, output);
    if (firstCheck.ok) return { value: firstCheck.value, usage: first.usage };

    messages.push(
      { role: 'assistant', content: first.content },
      { role: 'user', content: repairMessage(firstCheck.problems) },
    );
    const second = await this.call(messages, output, signal);
    const secondCheck = check(second.content, output);
    return { value: secondCheck.ok ? secondCheck.value : null, usage: addUsage(first.usage, second.usage) };
  }

  /** One chat completion under its own deadline; switches to `json_object` once if auto-detect says so. */
  private async call(
    messages: ChatCompletionMessageParam[],
    output: OutputSchema<unknown>,
    signal: AbortSignal | undefined,
  ): Promise<CallResult> {
    try {
      return await this.callOnce(messages, output, signal, this.jsonSchema !== false);
    } catch (error) {
      if (this.jsonSchema === undefined && !(error instanceof AppError) && rejectsJsonSchema(error)) {
        this.jsonSchema = false;
        return this.callOnce(messages, output, signal, false);
      }
      throw error;
    }
  }

  private async callOnce(
    messages: ChatCompletionMessageParam[],
    output: OutputSchema<unknown>,
    signal: AbortSignal | undefined,
    useJsonSchema: boolean,
  ): Promise<CallResult> {
    const { timeoutMs, providerId } = this.options;
    // Our own deadline covers the whole call including the body; the SDK's timeout alone stops at headers.
    const deadline = AbortSignal.timeout(timeoutMs);
    const combined = signal === undefined ? deadline : AbortSignal.any([signal, deadline]);
    const params: ChatCompletionCreateParamsNonStreaming = {
      model: this.options.model,
      temperature: this.options.temperature ?? 0,
      messages: useJsonSchema ? messages : withSchemaInSystem(messages, output.schema),
      response_format: useJsonSchema
        ? { type: 'json_schema', json_schema: { name: output.name, strict: true, schema: output.schema } }
        : { type: 'json_object' },
      ...(this.options.maxTokens === undefined ? {} : { max_tokens: this.options.maxTokens }),
    };
    try {
      const completion = await this.client.chat.completions.create(params, {
        signal: combined,
        timeout: timeoutMs,
        maxRetries: 0,
      });
      const choice = completion.choices[0];
      if (choice === undefined) {
        throw new AppError('XGW_LLM_BAD_OUTPUT', {
          detail: `Provider ${providerId} answered without a choice`,
          extensions: { provider: providerId },
        });
      }
      const u = completion.usage;
      return {
        // A refusal or empty content is an invalid answer like any other: it gets the repair round.
        content: choice.message.content ?? '',
        usage:
          u === undefined || u === null
            ? undefined
            : { promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens, totalTokens: u.total_tokens },
      };
    } catch (error) {
      if (this.jsonSchema === undefined && useJsonSchema && rejectsJsonSchema(error)) throw error;
      throw mapProviderError(error, { providerId, timeoutMs, deadlineExceeded: deadline.aborted });
    }
  }
}

/** `json_object` mode guarantees only some JSON object, so the schema goes into the system prompt. */
function withSchemaInSystem(
  messages: ChatCompletionMessageParam[],
  schema: Record<string, unknown>,
): ChatCompletionMessageParam[] {
  return messages.map((m, i) =>
    i === 0 && m.role === 'system' && typeof m.content === 'string'
      ? { role: 'system', content: `${m.content}\n\n${schemaInstruction(schema)}` }
      : m,
  );
}
