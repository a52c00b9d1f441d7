import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../../errors/app-error.js';
import type { Logger } from '../../observability/logger.js';
import type { HttpObserver } from '../../observability/metrics-http.js';
import type { Intake } from '../../pipeline/intake.js';
import type { Authorizer } from '../../security/authorize.js';
import { nameTracedRoute } from '../../observability/tracing.js';
import { API_SECURITY_HEADERS } from '../../security/security-headers.js';
import { BODY_TOO_LARGE, closeIfUnread, problemAnswer, toAppError } from '../problem-handler.js';
import { submitMessage } from '../routes/messages.router.js';
import { FAST_PATH_URL } from './fast-path-admission.js';
import type { ResponseCheck } from './response-check.js';

/** What the fast path runs: the same parts the express app is built from, one instance each. */
export interface FastPathDeps {
  /** The app's authorizer (authentication, rate limit, roles from the OpenAPI file's `x-roles`). */
  readonly authorize: Authorizer;
  readonly intake: Intake;
  /** MAX_BODY_BYTES, as express.raw enforces it for the app. */
  readonly maxBodyBytes: number;
  readonly logger: Logger;
  /** Counts answers in the app's metrics series. */
  readonly observe?: HttpObserver;
  /** Checks JSON answers against the OpenAPI file (tests), as express-openapi-validator does there. */
  readonly checkResponse?: ResponseCheck;
}

/** A request listener for requests admitted by fastPathAdmission. */
export type FastPathListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Reads a body whose length the admission has checked to be declared. Too long is refused before
 * a byte is read, as body-parser does; a body cut short ends the request with the connection.
 */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > maxBytes) return Promise.reject(new AppError('XGW_REQ_TOO_LARGE', { detail: BODY_TOO_LARGE }));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/**
 * POST /v1/messages on plain node:http. Express and express-openapi-validator cost about a third of
 * the receive path's CPU (bench:ingest: 1,355 → 921 µs a message without them), so requests that
 * are exactly what the contract expects (fast-path-admission.ts) are answered here, by the same
 * parts the app uses: its authorizer, the operation function of the messages router, the problem
 * answer of its error handler, helmet's headers as the app sets them, its metrics observer.
 * test/integration/messages.fast-path.test.ts sends the operation's cases to a gateway with and one
 * without the fast path and requires equal status, headers and body.
 * Left out on purpose: express' ETag on the 202 (a POST answer, never revalidated).
 */
export function createMessageFastPath(deps: FastPathDeps): FastPathListener {
  return (req, res) => {
    const started = process.hrtime.bigint();
    nameTracedRoute(FAST_PATH_URL);
    if (deps.observe !== undefined) {
      const observe = deps.observe;
      res.once('finish', () => observe('POST', FAST_PATH_URL, res.statusCode, started));
    }
    // Headers the authorizer adds (the WWW-Authenticate challenge of a 401).
    const decided: Record<string, string> = {};
    const answer = (status: number, headers: Record<string, string>, body: string): void => {
      if (res.headersSent) return;
      res.writeHead(status, {
        ...API_SECURITY_HEADERS,
        ...decided,
        ...headers,
        ...closeIfUnread(req),
        'content-length': String(Buffer.byteLength(body)),
      });
      res.end(body);
    };
    const fail = (error: unknown): void => {
      const appError = toAppError(error);
      if (appError.code === 'XGW_INTERNAL') deps.logger.error({ err: error, path: FAST_PATH_URL }, 'unexpected error');
      const problem = problemAnswer(appError, FAST_PATH_URL);
      answer(problem.status, problem.headers, problem.body);
    };
    const key = req.headers['idempotency-key'];
    deps
      .authorize({
        method: 'POST',
        path: FAST_PATH_URL,
        headers: req.headers,
        ip: req.socket.remoteAddress,
        setHeader: (name, value) => {
          decided[name.toLowerCase()] = value;
        },
      })
      .then(async (decision) => {
        // The contract declares x-roles for this operation, so the authorizer names a principal.
        if (decision === 'pass') throw new Error('fast path: POST /v1/messages was let through without a principal');
        const body = await readBody(req, deps.maxBodyBytes);
        const submitted = await submitMessage(deps.intake, body, decision, typeof key === 'string' ? key : undefined);
        deps.checkResponse?.(submitted.status, submitted.body);
        answer(
          submitted.status,
          { 'content-type': 'application/json; charset=utf-8', location: submitted.location },
          JSON.stringify(submitted.body),
        );
      })
      .catch(fail);
  };
}
