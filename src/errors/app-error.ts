import { ERROR_CODES, type ErrorCode } from './error-codes.js';

/** One located problem inside an input, e.g. an XSD violation at line/column. */
export interface ProblemItem {
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
  /** JSON pointer or XPath-like location, where known. */
  readonly path?: string;
}

export interface AppErrorOptions {
  /** Human-readable explanation specific to this occurrence (RFC 9457 `detail`). */
  readonly detail?: string;
  /** Located problems (validation errors). */
  readonly errors?: readonly ProblemItem[];
  /** Extra, non-sensitive members merged into the problem document. */
  readonly extensions?: Readonly<Record<string, unknown>>;
  /** Seconds a client should wait before retrying (sets Retry-After). */
  readonly retryAfterSeconds?: number;
  readonly cause?: unknown;
}

/**
 * The one error class of the gateway. Its `code` decides HTTP status, retry behaviour and the
 * problem+json type, so callers throw a code and never pick a status by hand.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  readonly errors: readonly ProblemItem[];
  readonly extensions: Readonly<Record<string, unknown>>;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, options: AppErrorOptions = {}) {
    super(
      options.detail ?? ERROR_CODES[code].title,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'AppError';
    this.code = code;
    this.detail = options.detail;
    this.errors = options.errors ?? [];
    this.extensions = options.extensions ?? {};
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  get retryable(): boolean {
    return ERROR_CODES[this.code].retry;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
