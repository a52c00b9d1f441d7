import type { Queue } from 'bullmq';
import { jobBody } from '../jobs/job-view.js';
import type { JobEvent, JobEventSink } from '../jobs/job-events.js';
import type { JobStore } from '../jobs/job-store.js';
import type { ConnectorSet } from './connector-set.js';
import type { DeliverJobData } from './deliver-queue.js';
import { deliveryKey } from './delivery-key.js';
import type { PlannedDelivery } from './delivery-plan.js';

/** Events a job's own `callbackUrl` is called for: when the caller has something to act on. */
const CALLBACK_EVENTS = ['done', 'failed', 'review'] as const;

/** The name a subscriber uses for an event: `review` for "analysed, a person must decide". */
function subscriptionName(event: JobEvent): string | undefined {
  if (event.type === 'analysed') return event.review ? 'review' : 'analysed';
  // A failed attempt that the queue retries is not news for a subscriber.
  if (event.type === 'failed' && !event.final) return undefined;
  return event.type;
}

/**
 * Turns job events into signed notifications: one deliver job per subscribed webhook and, for
 * done/failed/review, one for the job's `callbackUrl`. The payload (event and job view) is fixed
 * when enqueued, so retries and replays send the same body.
 */
export function jobNotifier(deps: {
  store: JobStore;
  queue: Queue<DeliverJobData>;
  connectors: ConnectorSet;
  callbacksEnabled: boolean;
}): JobEventSink {
  const hooks = deps.connectors.webhooks();
  return async (event) => {
    const name = subscriptionName(event);
    if (name === undefined) return;
    const targets: { connector: string; target?: string }[] = hooks
      .filter((h) => h.events.includes(name))
      .map((h) => ({ connector: h.name }));
    const wantsCallback = deps.callbacksEnabled && (CALLBACK_EVENTS as readonly string[]).includes(name);
    if (targets.length === 0 && !wantsCallback) return;
    const record = await deps.store.get(event.jobId);
    if (record === undefined) return;
    if (wantsCallback && 'callbackUrl' in record && typeof record.callbackUrl === 'string' && record.callbackUrl !== '')
      targets.push({ connector: 'callback', target: record.callbackUrl });
    for (const t of targets) {
      const key = deliveryKey({
        connector: t.target === undefined ? t.connector : `callback ${t.target}`,
        subject: event.jobId,
        fact: `event:${name}`,
        sourceId: event.at,
      });
      const delivery: PlannedDelivery = {
        key,
        kind: 'notify',
        connector: t.connector,
        ...(t.target === undefined ? {} : { target: t.target }),
        fact: `event:${name}`,
        subject: event.jobId,
        fields: { id: key, event: name, at: event.at, job: jobBody(record) },
        provenance: {
          jobId: event.jobId,
          tenant: event.tenant,
          models: [],
          promptVersions: [],
          ...(record.messageId === undefined ? {} : { sourceMessageId: record.messageId }),
        },
      };
      await deps.queue.add(
        'notify',
        { kind: 'single', jobId: event.jobId, tenant: event.tenant, delivery },
        { jobId: `n-${key}` },
      );
    }
  };
}
