import type { RequestHandler } from 'express';
import { AppError } from '../errors/app-error.js';

/** Deepest nesting of objects and arrays a JSON body may have; no request of the contract needs more than a dozen. */
export const MAX_JSON_DEPTH = 64;

/** The depth of a parsed JSON value, counted without recursion; stops as soon as it passes `limit`. */
export function jsonDepthExceeds(value: unknown, limit: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const top = stack.pop();
    if (top === undefined) break;
    if (typeof top.value !== 'object' || top.value === null) continue;
    if (top.depth > limit) return true;
    for (const member of Array.isArray(top.value) ? top.value : Object.values(top.value))
      stack.push({ value: member, depth: top.depth + 1 });
  }
  return false;
}

/**
 * Refuses JSON bodies nested deeper than {@link MAX_JSON_DEPTH} right after parsing (JSON.parse is
 * iterative; much that runs later is not): a schema nested 10,000 deep overflowed the stack in a
 * later step and came back as a misleading 503.
 */
export const jsonDepthGuard: RequestHandler = (req, _res, next) => {
  if (
    req.body !== undefined &&
    typeof req.body === 'object' &&
    !Buffer.isBuffer(req.body) &&
    jsonDepthExceeds(req.body, MAX_JSON_DEPTH)
  ) {
    next(
      new AppError('XGW_REQ_TOO_COMPLEX', {
        detail: `The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels.`,
        errors: [{ message: 'nested too deep', path: '/' }],
      }),
    );
    return;
  }
  next();
};
