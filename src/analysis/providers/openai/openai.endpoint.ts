import OpenAI from 'openai';
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { AppError } from '../../../errors/app-error.js';
import type { JsonSchema } from '../../../jobs/finding.js';
import { schemaInstruction } from '../../structured/prompts.js';
import type { ModelAnswer, ModelEndpoint, StructuredCall } from '../model-endpoint.js';
import { mapProviderError, rejectsJsonSchema } from './provider-errors.js';

/** Settings of one OpenAI-compatible endpoint (vLLM, Ollama, LiteLLM, Azure, OpenAI). */
export interface OpenAiEndpointOptions {
  /** Provider id from config, for error details. */
  providerId: string;
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:8000/v1`. */
  baseURL: string;
  apiKey: string;
  model: string;
  /** Deadline of ONE HTTP call (a repair round is a second call with its own deadline). */
  timeoutMs: number;
  /**
   * Whether the server enforces `response_format: {type: 'json_schema'}`. `false` uses
   * `json_object` with the schema in the prompt. Either way the answer is validated.
   * @defaultValue `undefined` = try `json_schema`, and after a 400 that names it switch this
   *   endpoint to `json_object` for good.
   */
  supportsJsonSchema?: boolean;
  /** `max_tokens` per call. @defaultValue unset (server default) */
  maxTokens?: number;
  /** Sampling temperature; 0 keeps answers as reproducible as the server allows. @defaultValue 0 */
  temperature?: number;
}

/**
 * The `openai` kind: every OpenAI-compatible chat completions endpoint through the openai SDK, with
 * SDK retries off (the queue is the one retry layer) and a deadline of its own per call.
 */
export class OpenAiEndpoint implements ModelEndpoint {
  readonly kind = 'openai';
  readonly model: string;
  private readonly client: OpenAI;
  /** Current mode; `undefined` while auto-detecting. */
  private jsonSchema: boolean | undefined;

  constructor(private readonly options: OpenAiEndpointOptions) {
    this.model = options.model;
    this.jsonSchema = options.supportsJsonSchema;
    this.client = new OpenAI({
      baseURL: options.baseURL,
      apiKey: options.apiKey,
      maxRetries: 0,
      timeout: options.timeoutMs,
    });
  }

  /** One chat completion under its own deadline; switches to `json_object` once if auto-detect says so. */
  async complete(call: StructuredCall, signal?: AbortSignal): Promise<ModelAnswer> {
    try {
      return await this.once(call, signal, this.jsonSchema !== false);
    } catch (error) {
      if (this.jsonSchema === undefined && !(error instanceof AppError) && rejectsJsonSchema(error)) {
        this.jsonSchema = false;
        return this.once(call, signal, false);
      }
      throw error;
    }
  }

  private async once(
    call: StructuredCall,
    signal: AbortSignal | undefined,
    useJsonSchema: boolean,
  ): Promise<ModelAnswer> {
    const { timeoutMs, providerId } = this.options;
    // Our own deadline covers the whole call including the body; the SDK's timeout alone stops at headers.
    const deadline = AbortSignal.timeout(timeoutMs);
    const combined = signal === undefined ? deadline : AbortSignal.any([signal, deadline]);
    const messages: ChatCompletionMessageParam[] = call.messages.map((m) => ({ role: m.role, content: m.content }));
    const params: ChatCompletionCreateParamsNonStreaming = {
      model: this.options.model,
      temperature: this.options.temperature ?? 0,
      messages: useJsonSchema ? messages : withSchemaInSystem(messages, call.output.schema),
      response_format: useJsonSchema
        ? { type: 'json_schema', json_schema: { name: call.output.name, strict: true, schema: call.output.schema } }
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
        ...(u === undefined || u === null
          ? {}
          : {
              usage: {
                promptTokens: u.prompt_tokens,
                completionTokens: u.completion_tokens,
                totalTokens: u.total_tokens,
              },
            }),
      };
    } catch (error) {
      if (this.jsonSchema === undefined && useJsonSchema && rejectsJsonSchema(error)) throw error;
      throw mapProviderError(error, { providerId, timeoutMs, deadlineExceeded: deadline.aborted });
    }
  }
}

/** `json_object` mode guarantees only some JSON object, so the schema goes into the system prompt. */
function withSchemaInSystem(messages: ChatCompletionMessageParam[], schema: JsonSchema): ChatCompletionMessageParam[] {
  return messages.map((m, i) =>
    i === 0 && m.role === 'system' && typeof m.content === 'string'
      ? { role: 'system', content: `${m.content}\n\n${schemaInstruction(schema)}` }
      : m,
  );
}
