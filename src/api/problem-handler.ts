import type { IncomingMessage } from 'node:http';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { AppError, type ProblemItem } from '../errors/app-error.js';
import type { ErrorCode } from '../errors/error-codes.js';
import { toProblem } from '../errors/problem.js';
import type { Logger } from '../observability/logger.js';

/** An AppError as an HTTP answer: status, headers and the RFC 9457 problem+json body. */
export interface ProblemAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The one place where errors become HTTP answers (express' sendProblem and the fast path write this). */
export function problemAnswer(error: AppError, instance?: string): ProblemAnswer {
  return {
    status: error.status,
    headers: {
      'content-type': 'application/problem+json; charset=utf-8',
      ...(error.retryAfterSeconds === undefined ? {} : { 'retry-after': String(error.retryAfterSeconds) }),
    },
    body: JSON.stringify(toProblem(error, instance)),
  };
}

/**
 * Headers of an answer given before the request's body was read (a refusal: 401, 405, 413 …):
 * `Connection: close`, so that node closes the connection after the answer instead of reading, and
 * discarding, the rest of a body that may be 100 MB (it kept reading to reuse the connection).
 */
export function closeIfUnread(req: IncomingMessage): Record<string, string> {
  return req.complete ? {} : { connection: 'close' };
}

/** Writes an AppError as RFC 9457 problem+json through express. */
export function sendProblem(res: Response, error: AppError, instance?: string): void {
  const answer = problemAnswer(error, instance);
  for (const [name, value] of Object.entries({ ...answer.headers, ...closeIfUnread(res.req) }))
    res.setHeader(name, value);
  res.status(answer.status).send(answer.body);
}

interface HttpLikeError {
  status: number;
  message: string;
  type?: string;
  errors?: { path?: string; message?: string }[];
}

function isHttpLikeError(value: unknown): value is HttpLikeError {
  if (typeof value !== 'object' || value === null) return false;
  const status: unknown = Reflect.get(value, 'status') ?? Reflect.get(value, 'statusCode');
  return typeof status === 'number' && status >= 400 && status < 600;
}

/** The detail of a 413 for a body over MAX_BODY_BYTES (body-parser's refusal, and the fast path's). */
export const BODY_TOO_LARGE = 'The request body exceeds MAX_BODY_BYTES.';

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'XGW_REQ_VALIDATION',
  404: 'XGW_REQ_NOT_FOUND',
  405: 'XGW_REQ_METHOD',
  406: 'XGW_REQ_NOT_ACCEPTABLE',
  413: 'XGW_REQ_TOO_LARGE',
  415: 'XGW_REQ_UNSUPPORTED_MEDIA',
};

/**
 * Maps what libraries throw (express-openapi-validator's HttpError, body-parser's errors) to
 * AppError, so that every answer follows one table. Unknown errors become a 500 whose detail
 * never carries the raw message (it may contain input).
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isHttpLikeError(error)) {
    const status = Reflect.get(error, 'status') ?? Reflect.get(error, 'statusCode');
    const code = typeof status === 'number' ? STATUS_CODES[status] : undefined;
    if (code !== undefined) {
      const rawErrors: unknown = Reflect.get(error, 'errors');
      const items: ProblemItem[] = Array.isArray(rawErrors)
        ? rawErrors.flatMap((e: unknown) => {
            if (typeof e !== 'object' || e === null) return [];
            const message = Reflect.get(e, 'message');
            const path = Reflect.get(e, 'path');
            return typeof message === 'string' ? [{ message, ...(typeof path === 'string' ? { path } : {}) }] : [];
          })
        : [];
      const bodyParserType: unknown = Reflect.get(error, 'type');
      const detail = bodyParserType === 'entity.too.large' ? BODY_TOO_LARGE : error.message;
      return new AppError(code, { detail, errors: items });
    }
  }
  return new AppError('XGW_INTERNAL', { detail: 'An unexpected error occurred; it has been logged.', cause: error });
}

/**
 * A multipart body the parser (busboy, under multer, under the OpenAPI validator) could not split:
 * no closing boundary, a header too long, a part cut short. The validator hands those on as a 500
 * of its own before a route runs; they are the client's, said so.
 */
function malformedMultipart(req: Parameters<ErrorRequestHandler>[1], error: unknown): AppError | undefined {
  // Only the validator's wrapping of a parser error (an HttpError 500); our routes throw AppErrors.
  if (!(error instanceof Error) || !isHttpLikeError(error) || Reflect.get(error, 'status') !== 500) return undefined;
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/')) return undefined;
  return new AppError('XGW_REQ_VALIDATION', {
    detail: `The multipart body is malformed: ${error.message.slice(0, 120)}`,
  });
}

export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const appError = malformedMultipart(req, error) ?? toAppError(error);
    if (appError.code === 'XGW_INTERNAL') logger.error({ err: error, path: req.path }, 'unexpected error');
    sendProblem(res, appError, req.originalUrl);
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('XGW_REQ_NOT_FOUND', { detail: `No route for ${req.method} ${req.path}` }));
};
