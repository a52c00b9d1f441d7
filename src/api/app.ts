import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Queue } from 'bullmq';
import express, { type Express, type RequestHandler } from 'express';
import { AppError } from '../errors/app-error.js';
import * as OpenApiValidator from 'express-openapi-validator';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { httpMetrics, httpObserver, routeNamer, traceRoutes } from '../observability/metrics-http.js';
import { tracingActive } from '../observability/tracing.js';
import { hostRefusal, openModeHostCheck } from '../security/host-check.js';
import type { Intake } from '../pipeline/intake.js';
import type { JobStore } from '../jobs/job-store.js';
import { notFoundHandler, problemHandler } from './problem-handler.js';
import { jsonDepthGuard } from './json-depth.js';
import { ADMIN_QUEUES_PATH, adminQueuesRouter } from './routes/admin-queues.router.js';
import { inboundRouter } from './routes/inbound.router.js';
import { MCP_PATH, mcpChallenge, mcpRouter, type McpDeps } from './mcp/mcp.router.js';
import { GATEWAY_VERSION } from '../config/version.js';
import type { InboundLog } from '../delivery/inbound-log.js';
import type { ConnectorSet } from '../delivery/connector-set.js';
import { WORKSPACE_PATH, workspaceRouter, type WorkspaceDeps } from './workspace/workspace.router.js';
import { docsRouter } from './routes/docs.router.js';
import { loadContract, type ApiContract } from './contract.js';
import { metricsRouter } from './routes/metrics.router.js';
import { healthRouter } from './routes/health.router.js';
import type { ReadinessCheck } from '../observability/readiness.js';
import { jobsRouter } from './routes/jobs.router.js';
import { messagesRouter } from './routes/messages.router.js';
import { reviewsRouter } from './routes/reviews.router.js';
import { usageRouter } from './routes/usage.router.js';
import type { TokenAccounting } from '../analysis/token-accounting.js';
import type { ReviewQueue } from '../pipeline/review-queue.js';
import { standardsRouter, type StandardSummary } from './routes/standards.router.js';
import { auditRouter } from './routes/audit.router.js';
import type { AuditTrail } from '../observability/audit-trail.js';
import { authorizer, authorizeWith } from '../security/authorize.js';
import type { DeliveryApi } from '../delivery/delivery-setup.js';
import { deadLettersRouter } from './routes/dead-letters.router.js';
import { deliveriesRouter } from './routes/deliveries.router.js';
import { securityHeaders } from '../security/security-headers.js';
import type { Security } from '../security/security-setup.js';
import { fastPathAdmission, FAST_PATH_URL } from './fast-path/fast-path-admission.js';
import { createMessageFastPath } from './fast-path/message-fast-path.js';
import { responseCheck } from './fast-path/response-check.js';

export interface AppDeps {
  /** The REST contract, read once at start-up. @defaultValue read from openapi/gateway.yaml */
  contract?: ApiContract;
  intake: Intake;
  store: JobStore;
  reviews: ReviewQueue;
  usage: TokenAccounting;
  standards: () => StandardSummary[];
  readiness: Readonly<Record<string, ReadinessCheck>>;
  logger: Logger;
  maxBodyBytes: number;
  /** Files beside a message (multipart POST /v1/messages): the largest one, and all together. @defaultValue 8 MiB, 16 MiB */
  maxAttachmentBytes?: number;
  maxAttachmentsTotalBytes?: number;
  /** Validate responses against the OpenAPI file too (on in tests, off in production for speed). */
  validateResponses?: boolean;
  /** Prometheus metrics of this process: counts every request and serves GET /metrics. */
  metrics?: GatewayMetrics;
  /** METRICS_TOKEN: when set, GET /metrics needs it as a bearer token. */
  metricsToken?: string;
  /** The BullMQ dashboard under /admin/queues with the guard that keeps it admin only; absent = not mounted. */
  adminQueues?: { queues: readonly Queue[]; guard: RequestHandler };
  /** Inbound connectors whose sources call back (`POST /v1/inbound/{connector}/callback`), and what they hold. */
  inbound?: { connectors: ConnectorSet; log: InboundLog };
  /** The review workspace under /review (pages for people; its sign-in also guards /admin/queues). */
  workspace?: WorkspaceDeps;
  /** Who may do what (auth mode, API keys, OIDC, rate limits); enforced per operation by `x-roles`. */
  security: Security;
  /** The audit trail read by GET /v1/jobs/{id}/audit. */
  audit: AuditTrail;
  /** Delivery ledger and dead letters (GET /v1/jobs/{id}/deliveries, /v1/dead-letters). */
  deliveries?: DeliveryApi;
  /** The catalog check without a job, for the MCP tool `validate_message`; absent = no MCP server. */
  mcp?: { validate: McpDeps['validate']; oidcIssuer?: string };
  /**
   * PUBLIC_URL, if set: in open mode its host is answered besides the loopback names; the MCP
   * resource's address in its metadata and challenge.
   */
  publicUrl?: string;
  /**
   * Serve POST /v1/messages on the fast path (see fast-path/message-fast-path.ts) instead of
   * through express' router and the validator. Same answers either way.
   * @defaultValue true
   */
  fastPath?: boolean;
}

/** The API as a node:http request listener, and the express app behind it. */
export interface Api {
  app: Express;
  listener: (req: IncomingMessage, res: ServerResponse) => void;
}

const XML_TYPES = ['application/xml', 'text/xml', 'application/*+xml'];

/** The REST API as an express app (without the fast path; see createApi). */
export function createApp(deps: AppDeps): Express {
  return createApi(deps).app;
}

/** Most files beside one message (multipart POST /v1/messages); the contract says the same. */
const MAX_BESIDE_FILES = 50;

/**
 * A multipart body is held in memory while it is split: refuse one whose declared length exceeds
 * the message and attachment limits together, and one that declares none, before a byte is read.
 */
function multipartBound(maxBytes: number): RequestHandler {
  return (req, _res, next) => {
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/')) {
      next();
      return;
    }
    const length = Number(req.headers['content-length'] ?? Number.NaN);
    if (!Number.isSafeInteger(length))
      next(new AppError('XGW_REQ_VALIDATION', { detail: 'A multipart body needs a Content-Length.' }));
    else if (length > maxBytes + 1024 * 1024)
      next(
        new AppError('XGW_REQ_TOO_LARGE', {
          detail: `The multipart body has ${length} bytes; the message and its attachments may have ${maxBytes} together.`,
        }),
      );
    else next();
  };
}

/**
 * The REST API. The OpenAPI file is the contract; every request is validated against it, by
 * express-openapi-validator or, for POST /v1/messages as the contract expects it, by the fast
 * path's admission, which then answers on plain node:http with the parts the app is built from.
 */
export function createApi(deps: AppDeps): Api {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // The contract, read once: the authorizer, the validator, the docs, metrics labels and the fast path share it.
  const contract = deps.contract ?? loadContract();
  // The parts the fast path shares with the app: one instance each.
  const nameRoute = routeNamer(
    [...contract.paths],
    ['/metrics', '/docs', '/openapi.json', ADMIN_QUEUES_PATH, WORKSPACE_PATH],
  );
  const observe = deps.metrics ? httpObserver(deps.metrics, nameRoute) : undefined;
  const countRequests = observe ? httpMetrics(observe) : undefined;
  const headers = securityHeaders(['/docs', ADMIN_QUEUES_PATH, WORKSPACE_PATH]);
  const workspace = deps.workspace === undefined ? undefined : workspaceRouter(deps.workspace);
  const decide = authorizer({
    ...deps.security,
    operations: contract.operations,
    challenge: (call) =>
      call.path === MCP_PATH && deps.mcp !== undefined
        ? mcpChallenge(deps.publicUrl, typeof call.headers.host === 'string' ? call.headers.host : undefined)
        : undefined,
    extraRoutes: [
      { prefix: '/metrics', roles: 'public' },
      { prefix: '/docs', roles: 'public' },
      { prefix: '/openapi.json', roles: 'public' },
      { prefix: ADMIN_QUEUES_PATH, roles: ['admin'], ...(workspace === undefined ? {} : { signIn: true }) },
      // The workspace signs people in itself (session cookie, CSRF); its pages check roles and tenant.
      ...(workspace === undefined ? [] : [{ prefix: WORKSPACE_PATH, roles: 'public' as const }]),
    ],
  });
  const authorizeRequest = authorizeWith(decide);
  // Bodies are read raw: XML goes to libxml2 as bytes so its encoding declaration is honoured.
  const xmlBody = express.raw({ type: XML_TYPES, limit: deps.maxBodyBytes });
  // An e-mail on POST /v1/messages: bytes too (its own encodings are the mail reader's to decode).
  const mailBody = express.raw({ type: ['message/rfc822'], limit: deps.maxBodyBytes });
  const messages = messagesRouter(deps.intake);
  const problems = problemHandler(deps.logger);
  // An open gateway answers only to its own names (DNS rebinding; security/host-check.ts).
  const hostOk = deps.security.mode === 'open' ? openModeHostCheck(deps.publicUrl) : undefined;
  // First, so that every answer is counted, including body-parser and validator errors.
  if (countRequests) app.use(countRequests);
  if (hostOk !== undefined)
    app.use((req, _res, next) =>
      hostOk(req.headers.host)
        ? next()
        : next(new AppError('XGW_AUTH_FORBIDDEN', { detail: hostRefusal(req.headers.host) })),
    );
  if (tracingActive()) app.use(traceRoutes(nameRoute));
  app.use(headers);
  // Before the body parsers: a caller without the right credentials never gets a body read.
  app.use(authorizeRequest);
  // Before the body parsers: a callback's signature is over its raw bytes.
  if (deps.inbound !== undefined) app.use(inboundRouter(deps.inbound.connectors, deps.inbound.log));
  app.use(multipartBound(deps.maxBodyBytes + (deps.maxAttachmentsTotalBytes ?? 16 * 1024 * 1024)));
  app.use(xmlBody);
  app.use(mailBody);
  app.use(express.json({ limit: deps.maxBodyBytes, type: ['application/json', 'application/*+json'] }));
  app.use(jsonDepthGuard);
  app.use(healthRouter(deps.readiness));
  // Operations routes live outside the OpenAPI validator (it answers 404 for paths not in the contract).
  if (deps.metrics) app.use(metricsRouter(deps.metrics, deps.metricsToken));
  app.use(docsRouter(contract.json));
  if (workspace !== undefined) app.use(workspace.router);
  if (deps.adminQueues) {
    const apiGuard = deps.adminQueues.guard;
    // API credentials were checked by the authorizer (an admin's key passes); a browser signs in.
    const guard: RequestHandler =
      workspace === undefined
        ? apiGuard
        : (req, res, next) =>
            res.locals['principal'] === undefined ? workspace.adminGuard(req, res, next) : apiGuard(req, res, next);
    app.use(ADMIN_QUEUES_PATH, guard, adminQueuesRouter(deps.adminQueues.queues));
  }
  app.use(
    OpenApiValidator.middleware({
      // A copy: the validator resolves $refs in the document it is given.
      apiSpec: structuredClone(contract.spec),
      validateRequests: { allowUnknownQueryParameters: false },
      validateResponses: deps.validateResponses ?? false,
      // Security is enforced by the authorizer above from the same file; the validator's own check would only duplicate it.
      validateSecurity: false,
      ignorePaths: /^\/(healthz|readyz)$/,
      // XML bodies are validated against their XSD by the XÖV layer, not by JSON Schema.
      serDes: [],
      // Multipart messages (a message and the files it lists): held in memory within these bounds,
      // the whole body bounded before (multipartBound), each file and the count here.
      fileUploader: {
        // File names as curl and browsers send them (UTF-8), not busboy's latin1 default: `Gebäude.pdf`.
        defParamCharset: 'utf8',
        limits: {
          fileSize: Math.max(deps.maxBodyBytes, deps.maxAttachmentBytes ?? 8 * 1024 * 1024),
          files: MAX_BESIDE_FILES + 1,
          fields: 0,
          parts: MAX_BESIDE_FILES + 1,
        },
      },
    }),
  );
  app.use(messages);
  app.use(jobsRouter(deps.store, deps.intake, deps.security.outbound));
  if (deps.mcp !== undefined)
    app.use(
      mcpRouter({
        intake: deps.intake,
        store: deps.store,
        reviews: deps.reviews,
        audit: deps.audit,
        standards: deps.standards,
        validate: deps.mcp.validate,
        outbound: deps.security.outbound,
        operations: contract.operations,
        version: GATEWAY_VERSION,
        maxBodyBytes: deps.maxBodyBytes,
        ...(deps.publicUrl === undefined ? {} : { publicUrl: deps.publicUrl }),
        ...(deps.mcp.oidcIssuer === undefined ? {} : { oidcIssuer: deps.mcp.oidcIssuer }),
      }),
    );
  app.use(auditRouter(deps.audit, deps.store));
  app.use(standardsRouter(deps.standards));
  app.use(reviewsRouter(deps.reviews, deps.store));
  app.use(usageRouter(deps.usage));
  if (deps.deliveries) {
    app.use(deliveriesRouter(deps.store, deps.deliveries));
    app.use(deadLettersRouter(deps.deliveries));
  }
  app.use(notFoundHandler);
  app.use(problems);
  if (deps.fastPath === false) return { app, listener: app };
  const spec = contract.spec;
  const admitted = fastPathAdmission(spec);
  const fast = createMessageFastPath({
    authorize: decide,
    intake: deps.intake,
    maxBodyBytes: deps.maxBodyBytes,
    logger: deps.logger,
    ...(observe ? { observe } : {}),
    ...(deps.validateResponses === true ? { checkResponse: responseCheck(spec, 'POST', FAST_PATH_URL) } : {}),
  });
  // A refused Host is express's to answer (403 problem, counted), never the fast path's.
  return {
    app,
    listener: (req, res) =>
      admitted(req) && (hostOk === undefined || hostOk(req.headers.host)) ? fast(req, res) : app(req, res),
  };
}
