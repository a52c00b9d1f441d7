import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { AppError } from '../../../errors/app-error.js';

/**
 * Translate what the openai SDK throws into the gateway's error codes, so the queue decides about
 * retries from the code alone. Provider messages are not copied into `detail`: they can echo parts
 * of the request, and the request carries message content.
 */

/** Parse `Retry-After` (delta-seconds or HTTP date) and the non-standard `retry-after-ms`. */
export function retryAfterSeconds(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  if (headers === undefined) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.max(0, Math.ceil(Number(ms) / 1000));
  const raw = headers.get('retry-after');
  if (raw === null) return undefined;
  if (/^\d+$/.test(raw.trim())) return Number.parseInt(raw, 10);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

export interface ErrorContext {
  providerId: string;
  /** True when our own deadline fired (the SDK then reports a user abort). */
  deadlineExceeded: boolean;
  timeoutMs: number;
}

/**
 * Map one SDK error:
 * - 429 → XGW_LLM_RATE_LIMITED with `retryAfterSeconds` from the response,
 * - timeout, deadline or caller abort → XGW_LLM_TIMEOUT,
 * - 5xx, connection errors and other 4xx → XGW_LLM_UNAVAILABLE (with `providerStatus`),
 * - 401/403 → XGW_CONFIG_INVALID: a wrong key does not get better by retrying.
 * An AppError passes through unchanged.
 */
export function mapProviderError(error: unknown, ctx: ErrorContext): AppError {
  if (error instanceof AppError) return error;
  const extensions = { provider: ctx.providerId };
  if (error instanceof APIConnectionTimeoutError || error instanceof APIUserAbortError || ctx.deadlineExceeded) {
    const detail =
      ctx.deadlineExceeded || error instanceof APIConnectionTimeoutError
        ? `Provider ${ctx.providerId} did not answer within ${ctx.timeoutMs} ms`
        : `Call to provider ${ctx.providerId} was aborted`;
    return new AppError('XGW_LLM_TIMEOUT', { detail, extensions, cause: error });
  }
  if (error instanceof APIConnectionError) {
    return new AppError('XGW_LLM_UNAVAILABLE', {
      detail: `Provider ${ctx.providerId} is not reachable`,
      extensions,
      cause: error,
    });
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const status = error.status;
    const withStatus = { ...extensions, providerStatus: status };
    if (status === 429) {
      const seconds = retryAfterSeconds(error.headers);
      return new AppError('XGW_LLM_RATE_LIMITED', {
        detail: `Provider ${ctx.providerId} is rate-limiting`,
        extensions: withStatus,
        ...(seconds === undefined ? {} : { retryAfterSeconds: seconds }),
        cause: error,
      });
    }
    if (status === 401 || status === 403) {
      return new AppError('XGW_CONFIG_INVALID', {
        detail: `Provider ${ctx.providerId} rejected the credentials (HTTP ${status})`,
        extensions: withStatus,
        cause: error,
      });
    }
    return new AppError('XGW_LLM_UNAVAILABLE', {
      detail: `Provider ${ctx.providerId} answered HTTP ${status}`,
      extensions: withStatus,
      cause: error,
    });
  }
  return new AppError('XGW_LLM_UNAVAILABLE', {
    detail: `Call to provider ${ctx.providerId} failed`,
    extensions,
    cause: error,
  });
}

/**
 * Whether a 400 says "this server does not do `response_format: json_schema`" (older vLLM, some
 * proxies). Used only in auto mode to fall back to `json_object` once per analyser.
 */
export function rejectsJsonSchema(error: unknown): boolean {
  if (!(error instanceof APIError) || error.status !== 400) return false;
  const text = `${error.message} ${JSON.stringify(error.error ?? {})}`.toLowerCase();
  return text.includes('json_schema') || text.includes('response_format');
}
