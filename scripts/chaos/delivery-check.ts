import { RedisKeys } from '../../src/jobs/redis-keys.js';
import type { RedisClient } from '../../src/jobs/redis-connection.js';
import { hasValues, planDeliveries } from '../../src/delivery/delivery-plan.js';
import { Ledger, type LedgerEntry } from '../../src/delivery/ledger.js';
import { JobStore } from '../../src/jobs/job-store.js';
import type { LoadedProfile } from '../../src/xoev/profile.js';
import { REGISTER, type WEBHOOK_EVENTS } from './chaos-delivery-config.js';
import { auditEntryTypes } from './chaos-report.js';
import type { RegisterSink, SinkCounters } from './register-sink.js';

/** The delivery figures of a chaos run: what finished jobs should have delivered, against what the sink holds. */
export interface DeliveryFindings {
  /** Register facts the done jobs' final results call for (re-planned from each stored result, with values). */
  deliveriesExpected: number;
  /** Planned facts whose fields came out empty: the gateway records them `skipped`, nothing to store. */
  plannedWithoutValues: number;
  /** Rows in the sink's register table. */
  sinkRecords: number;
  /** Rows beyond the first for one (subject, fact) or one key: the same fact stored twice. Must be 0. */
  duplicateRecords: number;
  /** Expected facts the sink never stored (and not dead-lettered), plus ledger `delivered`/`skipped` facts it lacks. Must be 0. */
  lostDeliveries: number;
  /** Sink rows no done job accounts for (a fact of a job that did not end `done`). */
  unexpectedRecords: number;
  /** Expected facts missing from the job's ledger, or ledger facts the result does not call for. Must be 0. */
  ledgerMismatches: number;
  /** Ledger states of the expected facts. */
  ledgerStates: Record<string, number>;
  /** Webhook calls expected: one per done job (`done`) and per job waiting in review (`review`). */
  notificationsExpected: number;
  notificationsStored: number;
  /** Two stored calls (different keys) for one job and event. Must be 0. */
  duplicateNotifications: number;
  /** Expected calls the receiver never stored and the ledger did not dead-letter. Must be 0. */
  lostNotifications: number;
  /**
   * Up to 10 of them with their job's audit trail: an event entry there (`done`) with no call means
   * the notifier failed after the audit sink ran; none means the process died before emitting it.
   */
  lostNotificationSample: { jobId: string; event: string; audit: string[] }[];
  /** `<prefix>:dead-letters`, by kind (`fact`, `notify`). */
  deadLetters: Record<string, number>;
  /** What the sink saw on the wire (resends it deduplicated, injected faults, …). */
  sink: SinkCounters;
}

async function inChunks<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** Occurrences beyond the first, summed over all keys. */
function extras(counts: ReadonlyMap<string, number>): number {
  let n = 0;
  for (const c of counts.values()) n += Math.max(0, c - 1);
  return n;
}

/**
 * Counts from both sides: the job records and delivery ledger in Redis say what should be at the
 * register and what the gateway thinks happened; the sink's own rows say what is there. A fact is
 * lost when a done job calls for it and the sink has no row for its key (unless the ledger shows it
 * as a dead letter, which an operator sees and replays), or when the ledger calls it delivered or
 * already known and the sink has no row.
 */
export async function deliveryCheck(
  redis: RedisClient,
  prefix: string,
  ids: readonly string[],
  sink: RegisterSink,
  profile: LoadedProfile,
): Promise<DeliveryFindings> {
  const store = new JobStore(redis, prefix, 1);
  const ledger = new Ledger(redis, prefix, 1);
  const sinkKeys = new Set(sink.facts.map((r) => r.key));
  const notified = new Set(sink.notifications.map((n) => `${n.jobId}|${n.event}`));
  const expected = new Set<string>();
  const lost = new Set<string>();
  const ledgerStates: Record<string, number> = {};
  let plannedWithoutValues = 0;
  let ledgerMismatches = 0;
  let notificationsExpected = 0;
  const lostNotificationJobs: { jobId: string; event: string }[] = [];

  const jobs = await inChunks(ids, 200, async (id) => ({
    record: await store.get(id),
    entries: await ledger.listForJob(id),
  }));
  for (const { record, entries } of jobs) {
    if (record === undefined) continue; // a missing record is a lost job; chaos-report counts those
    const notifyState = (event: string): LedgerEntry['state'] | undefined =>
      entries.find((e) => e.kind === 'notify' && e.connector !== 'callback' && e.fact === `event:${event}`)?.state;
    const wantsEvent = (event: (typeof WEBHOOK_EVENTS)[number]): void => {
      notificationsExpected++;
      if (!notified.has(`${record.id}|${event}`) && notifyState(event) !== 'dead_letter')
        lostNotificationJobs.push({ jobId: record.id, event });
    };
    if (record.state === 'review') wantsEvent('review');
    if (record.state !== 'done') continue;
    wantsEvent('done');
    if (record.result === undefined) continue;
    const planned = planDeliveries(
      {
        jobId: record.id,
        tenant: record.tenant,
        ...(record.messageId === undefined ? {} : { messageId: record.messageId }),
      },
      record.result,
      profile,
      undefined,
    ).filter((d) => d.connector === REGISTER);
    const facts = new Map(entries.filter((e) => e.kind === 'fact').map((e) => [e.key, e]));
    for (const d of planned) {
      const entry = facts.get(d.key);
      facts.delete(d.key);
      if (!hasValues(d.fields)) {
        plannedWithoutValues++;
        continue;
      }
      expected.add(d.key);
      const state = entry?.state ?? 'not in ledger';
      ledgerStates[state] = (ledgerStates[state] ?? 0) + 1;
      if (entry === undefined) ledgerMismatches++;
      if (!sinkKeys.has(d.key) && state !== 'dead_letter') lost.add(d.key);
    }
    // Ledger facts the result does not call for (e.g. planned from another result than the stored one).
    for (const e of facts.values())
      if (!(e.state === 'skipped' && e.detail === 'no values found for this fact')) ledgerMismatches++;
  }
  // The gateway's own claim, checked against the sink for every job whatever its state.
  for (const { entries } of jobs) {
    for (const e of entries)
      if (
        e.kind === 'fact' &&
        (e.state === 'delivered' || (e.state === 'skipped' && e.detail === 'the register already holds this fact')) &&
        !sinkKeys.has(e.key)
      )
        lost.add(e.key);
  }

  const deadLetterKeys = (
    await Promise.all(new RedisKeys(prefix).deadLetterShards().map((k) => redis.zrange(k, '0', '-1')))
  ).flat();
  const deadLetters: Record<string, number> = {};
  for (const entry of await inChunks(deadLetterKeys, 200, (k) => ledger.get(k))) {
    const kind = entry?.kind ?? 'unknown';
    deadLetters[kind] = (deadLetters[kind] ?? 0) + 1;
  }
  return {
    deliveriesExpected: expected.size,
    plannedWithoutValues,
    sinkRecords: sink.facts.length,
    duplicateRecords: Math.max(
      extras(countBy(sink.facts, (r) => `${r.subject}\u0000${r.fact}`)),
      extras(countBy(sink.facts, (r) => r.key)),
    ),
    lostDeliveries: lost.size,
    unexpectedRecords: sink.facts.filter((r) => !expected.has(r.key)).length,
    ledgerMismatches,
    ledgerStates,
    notificationsExpected,
    notificationsStored: sink.notifications.length,
    duplicateNotifications: extras(countBy(sink.notifications, (n) => `${n.jobId}|${n.event}`)),
    lostNotifications: lostNotificationJobs.length,
    lostNotificationSample: await Promise.all(
      lostNotificationJobs
        .slice(0, 10)
        .map(async (l) => ({ ...l, audit: await auditEntryTypes(redis, prefix, l.jobId) })),
    ),
    deadLetters,
    sink: { ...sink.counters },
  };
}
