import { ERROR_CODES, problemType } from './error-codes.js';
import type { AppError, ProblemItem } from './app-error.js';

/** RFC 9457 problem details document as the gateway emits it. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  errors?: ProblemItem[];
  [extension: string]: unknown;
}

export function toProblem(error: AppError, instance?: string): ProblemDocument {
  const spec = ERROR_CODES[error.code];
  const doc: ProblemDocument = {
    ...error.extensions,
    type: problemType(error.code),
    title: spec.title,
    status: spec.status,
    code: error.code,
  };
  if (error.detail !== undefined) doc.detail = error.detail;
  if (instance !== undefined) doc.instance = instance;
  if (error.errors.length > 0) doc.errors = [...error.errors];
  return doc;
}
