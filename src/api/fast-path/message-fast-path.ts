import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, Express, NextFunction, Request, RequestHandler, Response } from 'express';
import type { ResponseCheck } from './response-check.js';

/** What the fast path runs: the same middleware instances the express app mounts, in its order. */
export interface FastPathStages {
  /** Request handlers in express order (metrics, security headers, authorize, body parser, router, 404). */
  readonly handlers: readonly RequestHandler[];
  /** The app's problem+json error handler. */
  readonly onError: ErrorRequestHandler;
  /** Checks JSON answers against the OpenAPI file (tests), as express-openapi-validator does there. */
  readonly checkResponse?: ResponseCheck;
}

/** A request listener for requests admitted by fastPathAdmission. */
export type FastPathListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * POST /v1/messages without express' router and express-openapi-validator: the request and response
 * get express' own prototypes (what `app.handle` does), then the very middleware instances of the
 * app run in the app's order, and errors go to the app's problem handler. Authentication, roles,
 * rate limit, body limit, intake, problem+json and metrics are therefore the app's, not copies.
 * What is skipped is route matching over every mounted router and the validator, whose request
 * checks for this operation the admission has made before (see fast-path-admission.ts).
 */
export function createMessageFastPath(app: Express, stages: FastPathStages): FastPathListener {
  const isExpressRequest = (req: IncomingMessage): req is Request => Object.getPrototypeOf(req) === app.request;
  const isExpressResponse = (res: ServerResponse): res is Response => Object.getPrototypeOf(res) === app.response;
  return (rawReq, rawRes) => {
    Object.setPrototypeOf(rawReq, app.request);
    Object.setPrototypeOf(rawRes, app.response);
    if (!isExpressRequest(rawReq) || !isExpressResponse(rawRes)) throw new Error('fast path: express prototypes could not be applied');
    const req = rawReq;
    const res = rawRes;
    req.res = res;
    res.req = req;
    // Prototype-less like express' own locals, so no request can reach Object.prototype through it.
    res.locals = Object.create(null);
    // What express' router sets before the first middleware (problem `instance`, req.path users).
    req.originalUrl = req.url;
    req.baseUrl = '';
    req.params = {};
    if (stages.checkResponse !== undefined) guardJson(res, stages.checkResponse);
    run(req, res, stages);
  };
}

/** Runs the handlers like express' router: `next()` goes on, `next(error)` and throws and rejections go to onError. */
function run(req: Request, res: Response, stages: FastPathStages): void {
  let index = 0;
  let failed = false;
  const fail = (error: unknown): void => {
    if (failed) return;
    failed = true;
    try {
      stages.onError(error, req, res, () => finalFailure(res));
    } catch {
      finalFailure(res);
    }
  };
  const next: NextFunction = (error?: unknown) => {
    if (error !== undefined && error !== null && error !== 'route' && error !== 'router') return fail(error);
    const handler = stages.handlers[index++];
    if (handler === undefined) return fail(new Error('fast path: no handler answered'));
    try {
      const returned: unknown = handler(req, res, next);
      if (returned instanceof Promise) returned.catch(fail);
    } catch (thrown) {
      fail(thrown);
    }
  };
  next();
}

/** The error handler gave up (headers already sent): end the connection, as express' finalhandler does. */
function finalFailure(res: Response): void {
  if (res.headersSent) res.req.socket.destroy();
  else res.status(500).end();
}

/** Wraps `res.json` so that every JSON answer is checked against the contract before it is sent. */
function guardJson(res: Response, check: ResponseCheck): void {
  const json = res.json.bind(res);
  res.json = (body: unknown) => {
    check(res.statusCode, body);
    return json(body);
  };
}
