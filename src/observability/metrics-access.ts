import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors/app-error.js';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * Whether a scrape may read `/metrics`: always when no METRICS_TOKEN is configured (restrict it at
 * the network then), else only with `Authorization: Bearer <token>` (Prometheus:
 * `authorization: { credentials_file: … }`). Digests are compared, so neither the length nor the
 * content of the token leaks through timing.
 */
export function metricsAccessAllowed(authorization: string | undefined, token: string | undefined): boolean {
  if (token === undefined) return true;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), digest(token));
}

/** The refusal both `/metrics` listeners answer with (401 problem+json). */
export function metricsAccessDenied(): AppError {
  return new AppError('XGW_AUTH_UNAUTHENTICATED', {
    detail: 'GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`.',
  });
}
