import { pino, type Logger, type DestinationStream } from 'pino';
import { traceFields } from './tracing.js';

/**
 * Paths that may carry message content, personal data or secrets. pino replaces them with
 * `[redacted]` wherever they appear, so a careless `log.info({ body })` cannot leak content.
 */
export const REDACT_PATHS = [
  'body',
  '*.body',
  'xml',
  '*.xml',
  'text',
  '*.text',
  'content',
  '*.content',
  'parts',
  '*.parts',
  'quote',
  '*.quote',
  'data',
  '*.data',
  'values',
  '*.values',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'headers["x-api-key"]',
  'req.headers["x-api-key"]',
  'headers.cookie',
  'req.headers.cookie',
  'apiKey',
  '*.apiKey',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'token',
  '*.token',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'xoev-ai-gateway' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // The trace of the request or job a line is written in, to find its spans (none when tracing is off).
      mixin: traceFields,
    },
    destination,
  );
}

export type { Logger };
