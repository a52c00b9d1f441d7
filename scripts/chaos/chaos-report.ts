import { RedisKeys } from '../../src/jobs/redis-keys.js';
import type { RedisClient } from '../../src/jobs/redis-connection.js';

/** Each accepted job's record state (`missing` when the record is gone: a lost job). */
export async function jobStates(
  redis: RedisClient,
  prefix: string,
  ids: readonly string[],
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < ids.length; i += 1000) {
    // Sent together (auto-pipelined), one command per key: on a cluster a pipeline must stay in one slot.
    const keys = new RedisKeys(prefix);
    const states = await Promise.all(ids.slice(i, i + 1000).map((id) => redis.hget(keys.job(id), 'state')));
    for (const state of states) {
      const key = typeof state === 'string' ? state : 'missing';
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * Failed jobs by code and detail as their records give it (digits folded, so the same cause counts
 * once): the code alone says "LLM unavailable", the detail says whether a provider answered 5xx or
 * the circuit breaker skipped it.
 */
export async function failedDetails(
  redis: RedisClient,
  prefix: string,
  ids: readonly string[],
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (let i = 0; i < ids.length; i += 1000) {
    const keys = new RedisKeys(prefix);
    const replies = await Promise.all(
      ids.slice(i, i + 1000).map((id) => redis.hmget(keys.job(id), 'state', 'failedReason')),
    );
    for (const reply of replies) {
      if (!Array.isArray(reply) || reply[0] !== 'failed') continue;
      let why = 'no failedReason';
      try {
        const reason: unknown = JSON.parse(String(reply[1]));
        if (typeof reason === 'object' && reason !== null)
          why = `${String(Reflect.get(reason, 'code'))}: ${String(Reflect.get(reason, 'detail')).replace(/\d+/g, 'N')}`;
      } catch {
        // counted as 'no failedReason'
      }
      out[why] = (out[why] ?? 0) + 1;
    }
  }
  return out;
}

export interface AuditFindings {
  failedReasons: Record<string, number>;
  /** Jobs with more than one `analysed` entry: analysed again after a worker died (costs calls, harmless with the cache). */
  duplicateAnalyses: number;
  /** Jobs that reached `done`/`failed` more than once. */
  duplicateFinishes: number;
  /** Jobs with a state-changing entry after their end (`done` or final `failed`). */
  stateRegressions: number;
  /** Which entry followed which end, e.g. `analysed after done` (a late worker's event; the record itself is guarded). */
  regressionsByEntry: Record<string, number>;
  /** Delivery keys the audit trail shows delivered more than once (the gateway's own account; the sink counts independently). */
  duplicateDeliveries: number;
}

const STATE_CHANGING = new Set(['analysing', 'analysed', 'delivering', 'done']);

function entryOf(fields: string[]): { type: string; details: Record<string, unknown> } | undefined {
  const i = fields.indexOf('entry');
  try {
    const value: unknown = JSON.parse(fields[i + 1] ?? '');
    if (typeof value !== 'object' || value === null) return undefined;
    const type = Reflect.get(value, 'type');
    const details = Reflect.get(value, 'details');
    return typeof type === 'string'
      ? { type, details: typeof details === 'object' && details !== null ? { ...details } : {} }
      : undefined;
  } catch {
    return undefined;
  }
}

/** The entry types of one job's audit trail, in order (for the report's samples). */
export async function auditEntryTypes(redis: RedisClient, prefix: string, id: string): Promise<string[]> {
  const stream = await redis.xrange(new RedisKeys(prefix).audit(id), '-', '+');
  return stream.map(([, fields]) => entryOf(fields)?.type ?? '?');
}

/** Reads every job's audit trail (`<prefix>:audit:<id>`) and counts what must not happen. */
export async function auditCheck(redis: RedisClient, prefix: string, ids: readonly string[]): Promise<AuditFindings> {
  const out: AuditFindings = {
    failedReasons: {},
    duplicateAnalyses: 0,
    duplicateFinishes: 0,
    stateRegressions: 0,
    regressionsByEntry: {},
    duplicateDeliveries: 0,
  };
  for (let i = 0; i < ids.length; i += 200) {
    const keys = new RedisKeys(prefix);
    const streams = await Promise.all(ids.slice(i, i + 200).map((id) => redis.xrange(keys.audit(id), '-', '+')));
    for (const stream of streams) {
      if (!Array.isArray(stream)) continue;
      let analysed = 0;
      let finishes = 0;
      let ended: string | undefined;
      let regressed = false;
      const delivered = new Map<string, number>();
      for (const item of stream) {
        if (!Array.isArray(item) || !Array.isArray(item[1])) continue;
        const entry = entryOf(item[1].map(String));
        if (entry === undefined) continue;
        if (ended !== undefined && STATE_CHANGING.has(entry.type)) {
          regressed = true;
          const what = `${entry.type} after ${ended}`;
          out.regressionsByEntry[what] = (out.regressionsByEntry[what] ?? 0) + 1;
        }
        if (entry.type === 'analysed') analysed++;
        if (entry.type === 'done' || (entry.type === 'failed' && entry.details.final === true)) {
          finishes++;
          ended = entry.type;
          if (entry.type === 'failed') {
            const code = String(entry.details.code ?? 'unknown');
            out.failedReasons[code] = (out.failedReasons[code] ?? 0) + 1;
          }
        }
        if (entry.type === 'delivered' && entry.details.outcome === 'delivered') {
          const key = String(entry.details.deliveryKey ?? '');
          delivered.set(key, (delivered.get(key) ?? 0) + 1);
        }
      }
      if (analysed > 1) out.duplicateAnalyses++;
      if (finishes > 1) out.duplicateFinishes++;
      if (regressed) out.stateRegressions++;
      for (const n of delivered.values()) if (n > 1) out.duplicateDeliveries++;
    }
  }
  return out;
}
