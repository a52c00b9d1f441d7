import { randomUUID } from 'node:crypto';
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import { ConnectorError, type Connector } from '../../connectors/connector.js';
import { AppError } from '../errors/app-error.js';
import type { Logger } from '../observability/logger.js';
import { SYSTEM, type JobEvents } from '../pipeline/job-events.js';
import type { JobStore } from '../pipeline/job-store.js';
import { moveAndAnnounce } from '../pipeline/job-transition.js';
import type { ConnectorSet } from './connector-set.js';
import { takeoverLockOptions } from '../pipeline/queue-options.js';
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
 * The deliver worker. Every delivery is claimed in the ledger first; a delivery the ledger has as
 * delivered or skipped is never sent again, and one a killed worker left half-done is sent again
 * only after its claim lapsed — the register's own idempotency (delivery key) makes that harmless.
 */
export function createDeliverWorker(options: DeliverWorkerOptions): Worker<DeliverJobData> {
  const { store, ledger, connectors, events, logger } = options;
  const token = randomUUID();
  const leaseMs = options.lockDurationMs;

  const emitDelivered = async (jobId: string, tenant: string, d: PlannedDelivery, outcome: 'delivered' | 'skipped' | 'dead_letter'): Promise<void> => {
    // Notifications are about the job, not register facts; announcing them would loop webhooks.
    if (d.kind === 'notify') return;
    await events.emit({ type: 'delivered', jobId, tenant, actor: SYSTEM, at: new Date().toISOString(), connector: d.connector, deliveryKey: d.key, outcome });
  };

  const deliverOne = async (jobId: string, tenant: string, d: PlannedDelivery, final: boolean, log: Logger): Promise<Outcome> => {
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
    const settle = async (state: 'delivered' | 'skipped' | 'dead_letter', info: { detail?: string; reference?: string } = {}): Promise<Outcome> => {
      if (!(await ledger.finish(d.key, token, state, info))) return settledElsewhere();
      await emitDelivered(jobId, tenant, d, state);
      return state;
    };
    let connector: Connector | undefined;
    try {
      connector = d.kind === 'notify' && d.connector === 'callback' && d.target !== undefined ? options.callback?.(d.target) : connectors.get(d.connector);
    } catch (error) {
      // A target the connector refuses (a callback URL from before intake checked them) is given
      // up at once, with its reason, rather than held `delivering` by a job that can never succeed.
      const detail = error instanceof ConnectorError || error instanceof AppError ? error.message : 'the connector refused its target';
      log.warn({ connector: d.connector, deliveryKey: d.key, detail }, 'delivery target refused; dead-lettered');
      return settle('dead_letter', { detail });
    }
    if (connector === undefined) return settle('skipped', { detail: `connector ${d.connector} is not configured` });
    try {
      if (d.kind === 'fact') {
        // Only on the first attempt: later ones may find the row an interrupted attempt wrote.
        if (claim.attempt === 1 && connector.lookup !== undefined && (await connector.lookup(d.subject, d.fact)).found) return await settle('skipped', { detail: 'the register already holds this fact' });
        if (!hasValues(d.fields)) return await settle('skipped', { detail: 'no values found for this fact' });
      }
      if (connector.deliver === undefined) return await settle('skipped', { detail: `connector ${d.connector} cannot deliver` });
      const receipt = await connector.deliver(d);
      log.info({ connector: d.connector, deliveryKey: d.key, outcome: receipt.outcome }, 'delivered');
      return await settle('delivered', { ...(receipt.reference === undefined ? {} : { reference: receipt.reference }), ...(receipt.outcome === 'duplicate' ? { detail: 'the register already had this delivery key' } : {}) });
    } catch (error) {
      const retryable = error instanceof ConnectorError ? error.retryable : true;
      // ConnectorError messages carry no content; anything else is reported by name only.
      const detail = error instanceof ConnectorError ? error.message : error instanceof Error ? error.name : 'delivery failed';
      if (!retryable || final) {
        const outcome = await settle('dead_letter', { detail });
        if (outcome === 'dead_letter') log.warn({ connector: d.connector, deliveryKey: d.key, detail }, 'delivery dead-lettered');
        return outcome;
      }
      if (!(await ledger.finish(d.key, token, 'failed', { detail }))) return settledElsewhere();
      log.info({ connector: d.connector, deliveryKey: d.key, detail }, 'delivery failed; the queue retries');
      return 'retry';
    }
  };

  const processor = async (job: Job<DeliverJobData>): Promise<void> => {
    const data = job.data;
    const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const log = logger.child({ jobId: data.jobId, attempt: job.attemptsMade + 1 });
    if (data.kind === 'single') {
      await ledger.register(data.jobId, data.tenant, data.delivery);
      if ((await deliverOne(data.jobId, data.tenant, data.delivery, final, log)) === 'retry') throw new Error('delivery pending');
      return;
    }
    const record = await store.get(data.jobId);
    if (record === undefined) {
      log.warn('job record gone (expired); nothing to deliver');
      return;
    }
    // The finisher enqueues before it sets `delivering`; whichever runs first moves the job. A deliver
    // job of an analysis attempt moves it only while that attempt holds the job, and is dropped when
    // another attempt took the job over (its result is not the job's; the other attempt delivers).
    const fence = data.attemptToken === undefined ? {} : { owner: data.attemptToken };
    const delivering = { type: 'delivering', jobId: data.jobId, tenant: data.tenant, actor: SYSTEM, at: new Date().toISOString(), deliveries: data.deliveries.length } as const;
    const movedHere = (record.state === 'analysing' || record.state === 'review') && (await moveAndAnnounce(store, events, { patch: { state: 'delivering', result: data.result }, from: ['analysing', 'review'], fence }, delivering));
    if (!movedHere && data.attemptToken !== undefined && !(await store.holds(data.jobId, data.attemptToken, ['delivering']))) {
      log.warn({ state: record.state }, 'deliveries of an analysis attempt that does not hold the job; dropped');
      return;
    }
    for (const d of data.deliveries) await ledger.register(data.jobId, data.tenant, d);
    let pending = 0;
    for (const d of data.deliveries) if ((await deliverOne(data.jobId, data.tenant, d, final, log)) === 'retry') pending++;
    if (pending > 0) throw new Error(`${pending} deliveries pending`);
    await moveAndAnnounce(store, events, { patch: { state: 'done' }, from: ['delivering'] }, { type: 'done', jobId: data.jobId, tenant: data.tenant, actor: SYSTEM, at: new Date().toISOString() });
  };

  return new Worker<DeliverJobData>(DELIVER_QUEUE, processor, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    ...takeoverLockOptions(options.lockDurationMs),
  });
}
