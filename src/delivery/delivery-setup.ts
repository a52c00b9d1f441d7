import { type RedisClient, runScript } from '../jobs/redis-connection.js';
import { randomUUID } from 'node:crypto';
import type { Queue, Worker } from 'bullmq';
import type { Connector } from '../../connectors/connector.js';
import { BUILT_IN_CONNECTORS } from '../../connectors/index.js';
import { webhook } from '../../connectors/webhook/webhook.connector.js';
import type { Config } from '../config/config.js';
import { fromRoot } from '../config/paths.js';
import { AppError } from '../errors/app-error.js';
import type { Logger } from '../observability/logger.js';
import type { JobEvents } from '../jobs/job-events.js';
import type { JobRecord, JobResult, PreparedJob } from '../jobs/job-record.js';
import { JobStore } from '../jobs/job-store.js';
import { outboundPolicyFrom } from '../security/security-setup.js';
import { ConnectorSet } from './connector-set.js';
import { RedisKeys } from '../jobs/redis-keys.js';
import { createDeliverQueue, type DeliverJobData } from './deliver-queue.js';
import { createDeliverWorker } from './deliver.worker.js';
import { deliveryStarter, jobDeliveries, type ProfileLookup } from './delivery-start.js';
import { jobNotifier } from './job-notifier.js';
import { Ledger, type LedgerEntry } from './ledger.js';
import { createOutboundFetch } from './outbound-fetch.js';
import { pruneKnownFacts } from './skip-known-facts.js';

/** What the API needs for GET /v1/jobs/{id}/deliveries and the dead-letter routes. */
export interface DeliveryApi {
  ledger: Ledger;
  /** Puts a dead letter back on the deliver queue; false when `key` is not a dead letter. */
  replay(entry: LedgerEntry): Promise<boolean>;
}

/** Delivery for one gateway process: connectors, ledger, deliver queue, finisher, worker. */
export interface DeliverySetup {
  /** False without CONNECTORS_FILE and without CALLBACK_SIGNING_SECRET: jobs go straight to `done`. */
  enabled: boolean;
  connectors: ConnectorSet;
  /** The deliver queue, for metrics and the queue dashboard (undefined when delivery is off). */
  queue: Queue<DeliverJobData> | undefined;
  api: DeliveryApi;
  /** How many fact deliveries a finished job has (the finisher moves it to `delivering` or `done`); absent without connectors. */
  countDeliveries: ((record: JobRecord, result: JobResult) => number) | undefined;
  /** Drops tasks whose facts the register already holds (`skipExtractionIfKnown`); absent without connectors. */
  pruneKnownFacts: ((prepared: PreparedJob, jobId: string) => Promise<PreparedJob>) | undefined;
  /** Starts the deliver worker (roles `all` and `worker`). */
  startWorker(redis: RedisClient, store: JobStore): Worker<DeliverJobData> | undefined;
  close(): Promise<void>;
}

/**
 * Builds delivery from CONNECTORS_FILE. A wrong file stops start-up here (XGW_CONFIG_INVALID naming
 * connector and field); a profile delivery to a connector the file does not enable is recorded as
 * skipped, with that reason, in the job's deliveries.
 */
export async function setupDelivery(deps: {
  config: Config;
  logger: Logger;
  events: JobEvents;
  redis: RedisClient;
  queueConnection: RedisClient;
  profile: ProfileLookup;
  env?: Readonly<Record<string, string | undefined>>;
}): Promise<DeliverySetup> {
  const { config, logger, events } = deps;
  const env = deps.env ?? config.env;
  const fetch = createOutboundFetch(outboundPolicyFrom(config));
  const connectors =
    config.connectorsFile === undefined
      ? ConnectorSet.empty()
      : await ConnectorSet.load(
          fromRoot(config.connectorsFile),
          BUILT_IN_CONNECTORS,
          env,
          fetch,
          logger,
          (name, ttlMs) => holdLease(deps.redis, new RedisKeys(config.queuePrefix).lease(name), ttlMs),
        );
  const callbacksEnabled = config.callbackSigningSecret !== undefined && config.callbackSigningSecret !== '';
  const enabled = connectors.enabled || callbacksEnabled;
  const ledger = new Ledger(deps.redis, config.queuePrefix, config.ledgerRetentionS);
  if (connectors.enabled) logger.info({ connectors: connectors.names() }, 'delivery enabled');
  const queue: Queue<DeliverJobData> | undefined = enabled
    ? createDeliverQueue(deps.queueConnection, {
        prefix: config.queuePrefix,
        attempts: config.deliveryAttempts,
        backoffMs: config.deliveryBackoffMs,
        retentionSeconds: config.jobRetentionS,
        keepCompleted: { count: config.queueKeepCompleted, ageSeconds: config.queueKeepCompletedS },
      })
    : undefined;
  queue?.on('error', (error) => logger.warn({ err: error.message }, 'deliver queue error'));
  // The notifier reads the job record over the queue connection, which waits out a Redis restart as
  // the job's own writes and its audit entry do. Over the API's fail-fast connection the read failed
  // while that connection was still reconnecting, and the event bus only logs a failing sink: the
  // chaos soak lost `done` webhooks that way.
  const notifierStore = new JobStore(deps.queueConnection, config.queuePrefix, config.jobRetentionS);
  if (queue !== undefined) events.subscribe(jobNotifier({ store: notifierStore, queue, connectors, callbacksEnabled }));
  // A job's `delivering` announcement enqueues its deliveries (over the waiting connection, like
  // the notifier: a Redis restart delays it rather than losing it; the outbox relay repeats it).
  if (queue !== undefined && connectors.enabled)
    events.subscribe(deliveryStarter({ store: notifierStore, queue, connectors, profile: deps.profile }));
  const callback = callbacksEnabled
    ? (url: string): Connector =>
        webhook.create(
          { url, events: ['done', 'failed', 'review'], timeoutMs: config.outboundTimeoutMs },
          {
            name: 'callback',
            secrets: { signingSecret: config.callbackSigningSecret ?? '' },
            fetch,
            logger: logger.child({ connector: 'callback' }),
          },
        )
    : undefined;
  let worker: Worker<DeliverJobData> | undefined;
  return {
    queue,
    enabled,
    connectors,
    api: {
      ledger,
      async replay(entry) {
        if (queue === undefined)
          throw new AppError('XGW_REQ_CONFLICT', { detail: 'Delivery is not enabled (no CONNECTORS_FILE).' });
        if (entry.delivery === undefined || !(await ledger.revive(entry.key))) return false;
        await queue.add(
          'replay',
          { kind: 'single', jobId: entry.jobId, tenant: entry.tenant, delivery: entry.delivery },
          { jobId: `r-${entry.key}-${Date.now()}` },
        );
        return true;
      },
    },
    countDeliveries:
      queue === undefined || !connectors.enabled
        ? undefined
        : (record, result) => jobDeliveries(record, result, connectors, deps.profile).length,
    pruneKnownFacts: connectors.enabled
      ? (prepared, jobId) => pruneKnownFacts(prepared, jobId, connectors, deps.profile, logger)
      : undefined,
    startWorker(redis, store) {
      if (!enabled) return undefined;
      worker = createDeliverWorker({
        connection: redis,
        prefix: config.queuePrefix,
        concurrency: config.deliveryConcurrency,
        lockDurationMs: config.workerLockMs,
        store,
        ledger: new Ledger(redis, config.queuePrefix, config.ledgerRetentionS),
        connectors,
        callback,
        events,
        logger: logger.child({ component: 'deliver-worker' }),
      });
      worker.on('error', (error) => logger.warn({ err: error.message }, 'deliver worker error'));
      return worker;
    },
    async close() {
      await worker?.close();
      await queue?.close();
      await connectors.close();
    },
  };
}

/** Takes or renews a lease: true when this process holds `key` for the next `ttlMs` (one atomic script). */
const LEASE = `if redis.call('get', KEYS[1]) == ARGV[1] or redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  redis.call('pexpire', KEYS[1], ARGV[2]); return 1 end return 0`;
/** This process, as the holder of the leases it takes. */
const holder = `${process.pid}-${randomUUID()}`;

export async function holdLease(redis: RedisClient, key: string, ttlMs: number): Promise<boolean> {
  return (await runScript(redis, LEASE, 1, key, holder, String(ttlMs))) === 1;
}
