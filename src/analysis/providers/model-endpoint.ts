import type { JsonSchema, TokenUsage } from '../../jobs/finding.js';

/** One message of a chat with a model. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A call for an answer of a fixed shape: the conversation so far and the JSON Schema the answer must meet. */
export interface StructuredCall {
  messages: readonly ChatMessage[];
  output: { name: string; schema: JsonSchema };
}

/** What the model answered: its text (JSON, to be checked by the caller) and the tokens it cost. */
export interface ModelAnswer {
  content: string;
  usage?: TokenUsage;
}

/**
 * A model endpoint of one kind (an OpenAI-compatible server, …): what a provider kind supplies.
 * It turns a structured call into its own request, its response into a ModelAnswer, and its errors
 * into the gateway's codes (XGW_LLM_RATE_LIMITED with retryAfterSeconds, XGW_LLM_TIMEOUT,
 * XGW_LLM_UNAVAILABLE, XGW_LLM_BAD_OUTPUT, XGW_CONFIG_INVALID for a refused key). It never retries:
 * the queue is the one retry layer. Everything else — prompts, the one repair round, validation,
 * grounding, review reasons — is the shared StructuredAnalyser's.
 */
export interface ModelEndpoint {
  /** The kind, recorded in every finding as `analyser`. */
  readonly kind: string;
  /** The model, recorded in every finding. */
  readonly model: string;
  complete(call: StructuredCall, signal?: AbortSignal): Promise<ModelAnswer>;
}
