import express, { type Express } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { fromRoot } from '../config/paths.js';
import type { Logger } from '../observability/logger.js';
import type { Intake } from '../pipeline/intake.js';
import type { JobStore } from '../pipeline/job-store.js';
import { notFoundHandler, problemHandler } from './problem-handler.js';
import { healthRouter, type ReadinessCheck } from './routes/health.router.js';
import { jobsRouter } from './routes/jobs.router.js';
import { messagesRouter } from './routes/messages.router.js';
import { standardsRouter, type StandardSummary } from './routes/standards.router.js';

export const OPENAPI_FILE = 'openapi/gateway.yaml';

export interface AppDeps {
  intake: Intake;
  store: JobStore;
  standards: () => StandardSummary[];
  readiness: Readonly<Record<string, ReadinessCheck>>;
  logger: Logger;
  maxBodyBytes: number;
  /** Validate responses against the OpenAPI file too (on in tests, off in production for speed). */
  validateResponses?: boolean;
}

const XML_TYPES = ['application/xml', 'text/xml', 'application/*+xml'];

/** The REST API. The OpenAPI file is the contract; every request is validated against it. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Bodies are read raw: XML goes to libxml2 as bytes so its encoding declaration is honoured.
  app.use(express.raw({ type: XML_TYPES, limit: deps.maxBodyBytes }));
  app.use(express.json({ limit: deps.maxBodyBytes, type: ['application/json', 'application/*+json'] }));
  app.use(healthRouter(deps.readiness));
  app.use(
    OpenApiValidator.middleware({
      apiSpec: fromRoot(OPENAPI_FILE),
      validateRequests: { allowUnknownQueryParameters: false },
      validateResponses: deps.validateResponses ?? false,
      ignorePaths: /^\/(healthz|readyz)$/,
      // XML bodies are validated against their XSD by the XÖV layer, not by JSON Schema.
      serDes: [],
    }),
  );
  app.use(messagesRouter(deps.intake));
  app.use(jobsRouter(deps.store, deps.intake));
  app.use(standardsRouter(deps.standards));
  app.use(notFoundHandler);
  app.use(problemHandler(deps.logger));
  return app;
}
