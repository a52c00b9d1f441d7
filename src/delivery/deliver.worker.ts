import { RedisKeys } from '../jobs/redis-keys.js';
import { randomUUID } from 'node:crypto';
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import { ConnectorError, type Connector } from '../../connectors/connector.js';
import { AppError } from '../errors/app-error.js';
import type { ErrorCode } from '../errors/error-codes.js';
import type { Logger } from '../observability/logger.js';
import { SYSTEM, type JobEvents } from '../jobs/job-events.js';
import type { JobStore } from '../jobs/job-store.js';
import { moveAndAnnounce } from '../jobs/job-transition.js';
import type { ConnectorSet } from './connector-set.js';
import { takeoverLockOptions } from '../jobs/queue-options.js';
import { annotateActiveSpan, inSpan, SpanKind, withTelemetry } from '../observability/tracing.js';
import { DELIVER_QUEUE, type DeliverJobData } from './deliver-queue.js';
import { hasValues, type PlannedDelivery } from './delivery-plan.js';
import type { DeliveryState, Ledger } from './ledger.js';

export interface DeliverWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  concurrency: number;
  lockDurationMs: number;
  store: JobStore;
  ledger: Ledger;
  connectors: ConnectorSet;
  /** Connector for a job's own `callbackUrl` (a webhook with the callback signing secret), if configured. */
  callback: ((url: string) => Connector) | undefined;
  events: JobEvents;
  logger: Logger;
}

type Outcome = DeliveryState | 'retry';

/**
 * A failed delivery in the error table's terms: a connector's failure is XGW_CONNECTOR_UNAVAILABLE
 * (a retry can help) or XGW_CONNECTOR_REFUSED (it cannot); an AppError keeps its own code (the
 * outbound policy's refusal, say). The detail carries no content: ConnectorError messages are
 * written without content, and anything else is reported by its name only.
 */
function deliveryFailure(error: unknown): { code: ErrorCode; retryable: boolean; detail: string } {
  if (error instanceof ConnectorError) {
    const cause = error.cause instanceof AppError ? error.cause : undefined;
    return {
      code: cause?.code ?? (error.retryable ? 'XGW_CONNECTOR_UNAVAILABLE' : 'XGW_CONNECTOR_REFUSED'),
      retryable: error.retryable,
      detail: error.message,
    };
  }
  if (error instanceof AppError)
    return { code: error.code, retryable: error.retryable, detail: error.detail ?? error.message };
  return {
    code: 'XGW_CONNECTOR_UNAVAILABLE',
    retryable: true,
    detail: error instanceof Error ? error.name : 'delivery failed',
  };
}

/**
 * The deliver worker. Every delivery is claimed in the ledger first; a delivery the ledger has as
 * delivered or skipped is never sent again, and one a killed worker left half-done is sent again
 * only after its claim lapsed — the register's own idempotency (delivery key) makes that harmless.
 */
export function createDeliverWorker(options: DeliverWorkerOptions): Worker<DeliverJobData> {
  const { store, ledger, connectors, events, logger } = options;
  const token = randomUUID();
  const leaseMs = options.lockDurationMs;

  const emitDelivered = async (
    jobId: string,
    tenant: string,
    d: PlannedDelivery,
    outcome: 'delivered' | 'skipped' | 'dead_letter',
  ): Promise<void> => {
    // Notifications are about the job, not register facts; announcing them would loop webhooks.
    if (d.kind === 'notify') return;
    await events.emit({
      type: 'delivered',
      jobId,
      tenant,
      actor: SYSTEM,
      at: new Date().toISOString(),
      connector: d.connector,
      deliveryKey: d.key,
      outcome,
    });
  };

  const deliverOne = async (
    jobId: string,
    tenant: string,
    d: PlannedDelivery,
    final: boolean,
    log: Logger,
  ): Promise<Outcome> => {
    let claim = await ledger.claim(d.key, token, leaseMs);
    if (claim.outcome === 'busy' && final) {
      // Last attempt: give a dead worker's claim the time to lapse rather than give up at once.
      await new Promise((r) => setTimeout(r, leaseMs));
      claim = await ledger.claim(d.key, token, leaseMs);
    }
    if (claim.outcome === 'settled') return claim.state;
    if (claim.outcome === 'busy') return 'retry';
    // This attempt's claim may have lapsed (a slow register) and another worker settled the key
    // meanwhile: then the ledger keeps that outcome, and only that worker reports it.
    const settledElsewhere = async (): Promise<Outcome> => {
      log.info({ connector: d.connector, deliveryKey: d.key }, 'delivery settled by another attempt meanwhile');
      return (await ledger.get(d.key))?.state ?? 'delivered';
    };
    const settle = async (
      state: 'delivered' | 'skipped' | 'dead_letter',
      info: { detail?: string; reference?: string; code?: string } = {},
    ): Promise<Outcome> => {
      if (!(await ledger.finish(d.key, token, state, info))) return settledElsewhere();
      await emitDelivered(jobId, tenant, d, state);
      return state;
    };
    let connector: Connector | undefined;
    try {
      connector =
        d.kind === 'notify' && d.connector === 'callback' && d.target !== undefined
          ? options.callback?.(d.target)
          : connectors.get(d.connector);
    } catch (error) {
      // A target the connector refuses (a callback URL from before intake checked them) is given
      // up at once, with its reason, rather than held `delivering` by a job that can never succeed.
      const detail =
        error instanceof ConnectorError || error instanceof AppError
          ? error.message
          : 'the connector refused its target';
      log.warn({ connector: d.connector, deliveryKey: d.key, detail }, 'delivery target refused; dead-lettered');
      return settle('dead_letter', { detail, code: error instanceof AppError ? error.code : 'XGW_CONNECTOR_REFUSED' });
    }
    if (connector === undefined) return settle('skipped', { detail: `connector ${d.connector} is not configured` });
    try {
      if (d.kind === 'fact') {
        // Only on the first attempt: later ones may find the row an interrupted attempt wrote.
        if (claim.attempt === 1 && connector.lookup !== undefined && (await connector.lookup(d.subject, d.fact)).found)
          return await settle('skipped', { detail: 'the register already holds this fact' });
        if (!hasValues(d.fields)) return await settle('skipped', { detail: 'no values found for this fact' });
      }
      if (connector.deliver === undefined)
        return await settle('skipped', { detail: `connector ${d.connector} cannot deliver` });
      const deliver = connector.deliver.bind(connector);
      // A client span per connector call; an HTTP connector's request carries its traceparent.
      const receipt = await inSpan(
        `deliver ${d.connector}`,
        {
          kind: SpanKind.CLIENT,
          attributes: { 'xgw.connector': d.connector, 'xgw.delivery.kind': d.kind, 'xgw.job.id': jobId },
        },
        () => deliver(d),
      );
      log.info({ connector: d.connector, deliveryKey: d.key, outcome: receipt.outcome }, 'delivered');
      return await settle('delivered', {
        ...(receipt.reference === undefined ? {} : { reference: receipt.reference }),
        ...(receipt.outcome === 'duplicate' ? { detail: 'the register already had this delivery key' } : {}),
      });
    } catch (error) {
      const { code, retryable, detail } = deliveryFailure(error);
      if (!retryable || final) {
        const outcome = await settle('dead_letter', { detail, code });
        if (outcome === 'dead_letter')
          log.warn({ connector: d.connector, deliveryKey: d.key, code, detail }, 'delivery dead-lettered');
        return outcome;
      }
      if (!(await ledger.finish(d.key, token, 'failed', { detail, code }))) return settledElsewhere();
      log.info({ connector: d.connector, deliveryKey: d.key, code, detail }, 'delivery failed; the queue retries');
      return 'retry';
    }
  };

  const processor = async (job: Job<DeliverJobData>): Promise<void> => {
    const data = job.data;
    const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const log = logger.child({ jobId: data.jobId, attempt: job.attemptsMade + 1 });
    annotateActiveSpan({ 'xgw.job.id': data.jobId, 'xgw.job.attempt': job.attemptsMade + 1 });
    if (data.kind === 'single') {
      await ledger.register(data.jobId, data.tenant, data.delivery);
      if ((await deliverOne(data.jobId, data.tenant, data.delivery, final, log)) === 'retry')
        throw new AppError('XGW_DELIVERY_PENDING', { detail: 'the delivery is pending; the queue retries' });
      return;
    }
    // The deliver job was enqueued by the `delivering` move's announcement; it delivers only while
    // the job is still `delivering` and held by the attempt (or decision) that moved it there.
    const fence = data.attemptToken === undefined ? {} : { owner: data.attemptToken };
    const current =
      data.attemptToken === undefined
        ? (await store.get(data.jobId))?.state === 'delivering'
        : await store.holds(data.jobId, data.attemptToken, ['delivering']);
    if (!current) {
      log.warn('deliveries of a job that is no longer delivering, or of an attempt that does not hold it; dropped');
      return;
    }
    for (const d of data.deliveries) await ledger.register(data.jobId, data.tenant, d);
    let pending = 0;
    for (const d of data.deliveries)
      if ((await deliverOne(data.jobId, data.tenant, d, final, log)) === 'retry') pending++;
    if (pending > 0)
      throw new AppError('XGW_DELIVERY_PENDING', { detail: `${pending} deliveries pending; the queue retries` });
    await moveAndAnnounce(
      store,
      events,
      { move: 'delivered', fence },
      { type: 'done', jobId: data.jobId, tenant: data.tenant, actor: SYSTEM, at: new Date().toISOString() },
    );
  };

  return new Worker<DeliverJobData>(DELIVER_QUEUE, processor, {
    connection: options.connection,
    prefix: new RedisKeys(options.prefix).bullmq(),
    concurrency: options.concurrency,
    ...takeoverLockOptions(options.lockDurationMs),
    ...withTelemetry(),
  });
}
