import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from 'bullmq';
import { createApi } from '../api/app.js';
import type { StandardSummary } from '../api/routes/standards.router.js';
import { AnalysisRunner } from '../analysis/analysis-runner.js';
import type { Analyser } from '../analysis/analysis.types.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../observability/logger.js';
import { createAnalyseQueue } from '../pipeline/analyse-queue.js';
import { createAnalyseWorker } from '../pipeline/analyse.worker.js';
import { Intake, type MessageChecker } from '../pipeline/intake.js';
import { createJobPreparer, type MessageInspector, type TaskPlanner } from '../pipeline/job-preparer.js';
import { createFinisher } from '../pipeline/job-finisher.js';
import { JobStore } from '../jobs/job-store.js';
import { JobEvents } from '../jobs/job-events.js';
import { ReviewQueue } from '../pipeline/review-queue.js';
import { startOutboxRelay, type OutboxRelay } from '../pipeline/outbox-relay.js';
import { TokenAccounting } from '../analysis/token-accounting.js';
import { createRedis, redisTarget, maxmemoryPolicy, whenReady } from '../jobs/redis-connection.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { startMetricsServer } from '../observability/metrics-server.js';
import { wireMetrics } from '../observability/metrics-wiring.js';
import { AuditTrail } from '../observability/audit-trail.js';
import { requireRole } from '../security/require-role.js';
import { loadNameResources } from '../analysis/rules/name-resources.js';
import { createSecurity } from '../security/security-setup.js';
import { resolveAuthMode } from '../security/auth-mode.js';
import { setupDelivery } from '../delivery/delivery-setup.js';
import type { LoadedProfile } from '../xoev/profile.js';
import type { CodeList } from '../xoev/code-lists.js';
import { createUseCases } from '../usecases/use-cases.js';
import { SessionStore } from '../api/workspace/session-store.js';
import { SignIn } from '../api/workspace/sign-in.js';
import { WORKSPACE_PATH } from '../api/workspace/workspace.router.js';
import { isLoopbackHost } from '../security/auth-mode.js';
import { startInbound } from '../delivery/inbound.js';
import { InboundLog } from '../delivery/inbound-log.js';
import type { Posteingang } from '../usecases/posteingang/posteingang.js';
import { isHolidayRegion } from '../usecases/deadline.js';
import { GATEWAY_VERSION } from '../config/version.js';
import type { DocumentReader } from '../documents/document-reader.js';

/** What the runtime needs from the XÖV layer. */
export interface MessageCatalog extends MessageChecker, MessageInspector {
  standards(): StandardSummary[];
  /** A message type's profile (its `deliveries` drive once-only delivery). */
  profile?(standard: string, version: string, messageType: string): LoadedProfile | undefined;
  /** A code list by its URI (use cases label their proposals with it). */
  codeList?(listURI: string): CodeList | undefined;
}

export interface RuntimeDeps {
  config: Config;
  logger: Logger;
  catalog: MessageCatalog;
  analyser: Analyser;
  planner: TaskPlanner;
  /** Request profiles (Posteingang) by name; e-mails get `posteingang` when it is loaded. */
  requestProfiles?: ReadonlyMap<string, Posteingang>;
  /** Reads the documents of task jobs (POST /v1/jobs) in the worker, in child processes within limits. */
  documents: DocumentReader;
  /** Validate responses against the OpenAPI file (tests). */
  validateResponses?: boolean;
  /**
   * Serve POST /v1/messages on the node:http fast path (tests compare it with express).
   * @defaultValue true
   */
  fastPath?: boolean;
  /** The event bus; pass one to subscribe sinks before the first job. */
  events?: JobEvents;
  /** Prometheus metrics of this process (GET /metrics; in ROLE=worker on METRICS_PORT). */
  metrics?: GatewayMetrics;
}

export interface GatewayRuntime {
  /** Base URL of the API, e.g. http://127.0.0.1:8080 (undefined in role `worker`). */
  url: string | undefined;
  server: Server | undefined;
  worker: Worker | undefined;
  store: JobStore;
  /** The pipeline's event bus (audit trail, metrics and webhooks subscribe). */
  events: JobEvents;
  /** Graceful stop: no new requests or jobs, in-flight jobs finish or return to the queue, connections close. */
  close(): Promise<void>;
}

/**
 * Wires one gateway process: Redis connections, job store, queue, worker and API, per ROLE.
 * Entry points (gateway, tests, benches) all start the gateway through here.
 */
export async function startRuntime(deps: RuntimeDeps): Promise<GatewayRuntime> {
  const { config, logger } = deps;
  // Refuse an open API on a reachable address before anything is started.
  if (config.role !== 'worker') resolveAuthMode(config.authMode, config.host);
  // A worker reads the recognisers' name lists before it connects or takes a job: reading them blocks
  // for a moment (0.4 s, seconds on a loaded machine), which inside a job could outlast its lock and
  // while connections open could fail them.
  if (config.role !== 'api') loadNameResources();
  const events = deps.events ?? new JobEvents(logger);
  // Auto-pipelining: commands of concurrent requests issued in the same tick share one write, which
  // saves syscalls and Redis CPU under load; each request still awaits its own replies in order.
  const apiRedis = createRedis(redisTarget(config), 'api', { enableAutoPipelining: true });
  apiRedis.on('error', (error) => logger.warn({ err: error.message }, 'redis (api) connection error'));
  // Fail-fast connection: a PING before it is up fails at once, so wait (bounded) for it to be ready.
  await whenReady(apiRedis, 5000);
  const policy = await maxmemoryPolicy(apiRedis);
  if (policy !== undefined && policy !== 'noeviction') {
    logger.warn(
      { policy },
      'Redis maxmemory-policy is not noeviction: Redis may evict queued jobs. Set maxmemory-policy noeviction.',
    );
  }
  const store = new JobStore(apiRedis, config.queuePrefix, config.jobRetentionS);
  const queueConnection = createRedis(redisTarget(config), 'worker');
  queueConnection.on('error', (error) => logger.warn({ err: error.message }, 'redis (queue) connection error'));
  const queue = createAnalyseQueue(queueConnection, {
    prefix: config.queuePrefix,
    attempts: config.jobAttempts,
    backoffMs: config.jobBackoffMs,
    retentionSeconds: config.jobRetentionS,
    keepCompleted: { count: config.queueKeepCompleted, ageSeconds: config.queueKeepCompletedS },
  });
  queue.on('error', (error) => logger.warn({ err: error.message }, 'queue error'));
  // Submissions add jobs on a fail-fast connection of their own: while Redis is away a request gets
  // its 503 at once instead of waiting in ioredis' offline queue for Redis to come back (chaos run).
  const intakeConnection = config.role === 'worker' ? undefined : createRedis(redisTarget(config), 'api');
  intakeConnection?.on('error', (error) => logger.warn({ err: error.message }, 'redis (intake) connection error'));
  const intakeQueue =
    intakeConnection === undefined
      ? undefined
      : createAnalyseQueue(intakeConnection, {
          prefix: config.queuePrefix,
          attempts: config.jobAttempts,
          backoffMs: config.jobBackoffMs,
          retentionSeconds: config.jobRetentionS,
          keepCompleted: { count: config.queueKeepCompleted, ageSeconds: config.queueKeepCompletedS },
        });
  intakeQueue?.on('error', (error) => logger.warn({ err: error.message }, 'intake queue error'));
  if (intakeConnection !== undefined) await whenReady(intakeConnection, 5000);
  // The queue connection waits out Redis restarts, so an audit entry is delayed rather than lost.
  // Guarded against the job records: no entry saying a job still moves can follow its end.
  const audit = new AuditTrail(queueConnection, config.queuePrefix, config.auditRetentionS, { records: store, logger });
  events.subscribe(audit.sink);
  // Connectors are checked here: a wrong CONNECTORS_FILE stops start-up before any work is taken.
  const delivery = await setupDelivery({
    config,
    logger,
    events,
    redis: apiRedis,
    queueConnection,
    profile: (standard, version, messageType) => deps.catalog.profile?.(standard, version, messageType),
  });
  const queues = delivery.queue === undefined ? [queue] : [queue, delivery.queue];
  // Replies in the standard's own message type (profiles with a check and a reply).
  // HOLIDAY_REGION is one of the Länder by the settings table; the guard lets the type follow.
  const useCases = createUseCases(deps.catalog, GATEWAY_VERSION, {
    ...(isHolidayRegion(config.holidayRegion) ? { holidayRegion: config.holidayRegion } : {}),
    ...(deps.requestProfiles === undefined ? {} : { requestProfiles: deps.requestProfiles }),
  });
  // A broken reply template stops start-up here, not the first decided job.
  useCases.verifyTemplates();
  // One review queue for this process's API side: the review routes and the pending gauge.
  const finisherFor = (s: JobStore) =>
    createFinisher({
      store: s,
      events,
      ...(delivery.countDeliveries === undefined ? {} : { countDeliveries: delivery.countDeliveries }),
    });
  const reviews = new ReviewQueue(
    apiRedis,
    config.queuePrefix,
    store,
    events,
    finisherFor(store),
    config.jobRetentionS,
    useCases,
  );
  if (deps.metrics) {
    wireMetrics({ metrics: deps.metrics, events, queues, redis: apiRedis, recordKey: (id) => store.key(id) });
    // xgw_reviews_pending is read on scrape from the review index (the same in every process).
    deps.metrics.setReviewCollector(() => reviews.pending());
    deps.metrics.setOutboxCollector(() => store.pendingAnnouncements());
  }

  let worker: Worker | undefined;
  let workerRedis: ReturnType<typeof createRedis> | undefined;
  let relay: OutboxRelay | undefined;
  if (config.role !== 'api') {
    const wRedis = createRedis(redisTarget(config), 'worker');
    workerRedis = wRedis;
    wRedis.on('error', (error) => logger.warn({ err: error.message }, 'redis (worker) connection error'));
    const workerStore = new JobStore(wRedis, config.queuePrefix, config.jobRetentionS);
    const workerFinish = finisherFor(workerStore);
    events.subscribe(new TokenAccounting(wRedis, config.queuePrefix).sink);
    const workerReviews = new ReviewQueue(
      wRedis,
      config.queuePrefix,
      workerStore,
      events,
      workerFinish,
      config.jobRetentionS,
      useCases,
    );
    worker = createAnalyseWorker({
      connection: wRedis,
      prefix: config.queuePrefix,
      concurrency: config.workerConcurrency,
      lockDurationMs: config.workerLockMs,
      store: workerStore,
      prepare: createJobPreparer(deps.catalog, deps.planner, deps.documents),
      ...(delivery.pruneKnownFacts === undefined ? {} : { pruneKnownFacts: delivery.pruneKnownFacts }),
      events,
      finish: workerFinish,
      review: (job, result, plan, attemptToken) => workerReviews.enter(job, result, plan, attemptToken),
      useCases,
      runner: new AnalysisRunner(deps.analyser),
      logger: logger.child({ component: 'analyse-worker' }),
      ...(deps.metrics === undefined ? {} : { onPark: (reason, waitMs) => deps.metrics?.queueParked(reason, waitMs) }),
    });
    worker.on('error', (error) => logger.warn({ err: error.message }, 'worker error'));
    delivery.startWorker(wRedis, workerStore);
    // Announcements a dead process (API or worker) left unfinished are made again from here.
    relay = startOutboxRelay({
      store: workerStore,
      events,
      logger: logger.child({ component: 'outbox-relay' }),
      replayAfterMs: config.outboxReplayAfterMs,
      ...(deps.metrics === undefined
        ? {}
        : { onReplay: (type: string) => deps.metrics?.outboxReplays.inc({ event: type }) }),
    });
  }

  let server: Server | undefined;
  let url: string | undefined;
  if (config.role !== 'worker') {
    const security = createSecurity(config, apiRedis, logger);
    const publicUrl = (): string =>
      (config.publicUrl ?? url ?? `http://${config.host}:${config.port}`).replace(/\/$/, '');
    const sessions = new SessionStore(apiRedis, config.queuePrefix, {
      idleSeconds: config.reviewSessionIdleS,
      maxSeconds: config.reviewSessionMaxS,
    });
    const signIn =
      config.oidcIssuer !== undefined && config.oidcClientId !== undefined && config.oidcClientSecret !== undefined
        ? new SignIn(
            {
              issuer: config.oidcIssuer,
              clientId: config.oidcClientId,
              clientSecret: config.oidcClientSecret,
              redirectUri: () => `${publicUrl()}${WORKSPACE_PATH}/callback`,
              rolesClaim: config.oidcRolesClaim,
              tenantClaim: config.oidcTenantClaim,
            },
            sessions,
          )
        : undefined;
    const intake = new Intake(
      intakeQueue ?? queue,
      store,
      deps.catalog,
      events,
      {
        maxAttachmentBytes: config.maxAttachmentBytes,
        maxAttachmentsTotalBytes: config.maxAttachmentsTotalBytes,
        maxPartChars: config.partMaxChars,
      },
      deps.requestProfiles,
    );
    // Inbound connectors (FIT-Connect) hand their messages to this process's intake.
    const inboundLog = new InboundLog(apiRedis, config.queuePrefix, events, deps.metrics);
    await startInbound(delivery.connectors, intake, inboundLog, logger);
    const api = createApi({
      intake,
      inbound: { connectors: delivery.connectors, log: inboundLog },
      store,
      usage: new TokenAccounting(apiRedis, config.queuePrefix),
      reviews,
      standards: () => deps.catalog.standards(),
      ...(config.publicUrl === undefined ? {} : { publicUrl: config.publicUrl }),
      mcp: {
        validate: (xml) => deps.catalog.check(xml),
        ...(config.oidcIssuer === undefined ? {} : { oidcIssuer: config.oidcIssuer }),
      },
      logger,
      maxBodyBytes: config.maxBodyBytes,
      maxAttachmentBytes: config.maxAttachmentBytes,
      maxAttachmentsTotalBytes: config.maxAttachmentsTotalBytes,
      validateResponses: deps.validateResponses ?? false,
      ...(deps.fastPath === false ? { fastPath: false } : {}),
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
      ...(config.metricsToken === undefined ? {} : { metricsToken: config.metricsToken }),
      // The authorizer admits only admins to ADMIN_QUEUES_PATH; requireRole is the second lock.
      adminQueues: { queues, guard: requireRole('admin') },
      security,
      workspace: {
        mode: security.mode,
        sessions,
        signIn,
        reviews,
        store,
        audit,
        useCases,
        limiter: security.limiter,
        // Secure cookies everywhere but plain http on a loopback address (a first local try).
        secureCookie: !(
          (config.publicUrl === undefined || config.publicUrl.startsWith('http:')) &&
          isLoopbackHost(config.publicUrl === undefined ? config.host : new URL(config.publicUrl).hostname)
        ),
        publicUrl,
        sessionMaxSeconds: config.reviewSessionMaxS,
      },
      audit,
      deliveries: delivery.api,
      readiness: {
        redis: async () => ({ ok: (await apiRedis.ping()) === 'PONG' }),
        ...(worker === undefined
          ? {}
          : {
              workers: async () => ({
                ok: worker.isRunning() && !worker.closing,
                detail: `concurrency ${config.workerConcurrency}`,
              }),
            }),
      },
    });
    // node:http in front of express: POST /v1/messages takes the fast path (see createApi).
    // Timeouts are checked every second (node's default is every 30 s, which let a slow body hold
    // a connection for 75 s against a documented 30).
    const s = createServer(
      {
        headersTimeout: Math.min(config.httpHeadersTimeoutMs, config.httpRequestTimeoutMs),
        requestTimeout: config.httpRequestTimeoutMs,
        connectionsCheckingInterval: 1_000,
      },
      api.listener,
    );
    s.maxConnections = config.httpMaxConnections;
    server = await new Promise<Server>((resolve, reject) => {
      s.once('error', reject);
      s.listen(config.port, config.host, () => {
        s.off('error', reject);
        resolve(s);
      });
    });
    const address = server.address() as AddressInfo;
    url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  }
  // A worker has no API port, so Prometheus scrapes a small listener of its own.
  const metricsServer =
    config.role === 'worker' && deps.metrics
      ? await startMetricsServer(
          deps.metrics,
          config.metricsPort,
          config.host,
          config.metricsToken,
          async () => (await queueConnection.ping()) === 'PONG',
        )
      : undefined;
  if (metricsServer) logger.info({ url: metricsServer.url }, 'metrics listening');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      if (server !== undefined) {
        const s = server;
        const stopped = new Promise<void>((resolve) => s.close(() => resolve()));
        s.closeIdleConnections();
        await stopped;
      }
      if (worker !== undefined) {
        const w = worker;
        // Let in-flight jobs finish within the grace period; after it, force-close so their locks
        // lapse and another worker takes them over (nothing is lost).
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>(
          (resolve) => (timer = setTimeout(() => resolve('timeout'), config.shutdownGraceS * 1000)),
        );
        const outcome = await Promise.race([w.close().then(() => 'closed' as const), timedOut]);
        clearTimeout(timer);
        if (outcome === 'timeout') await w.close(true);
      }
      await relay?.stop();
      await delivery.close();
      metricsServer?.server.close();
      await queue.close();
      await intakeQueue?.close();
      await Promise.all(
        [apiRedis, intakeConnection, queueConnection, workerRedis].map((c) => c?.quit().catch(() => c.disconnect())),
      );
    })();
    return closing;
  };
  return { url, server, worker, store, events, close };
}
