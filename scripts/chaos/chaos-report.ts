import type { Redis } from 'ioredis';

/** Each accepted job's record state (`missing` when the record is gone: a lost job). */
export async function jobStates(redis: Redis, prefix: string, ids: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < ids.length; i += 1000) {
    const pipe = redis.pipeline();
    for (const id of ids.slice(i, i + 1000)) pipe.hget(`${prefix}:job:${id}`, 'state');
    for (const [, state] of (await pipe.exec()) ?? []) {
      const key = typeof state === 'string' ? state : 'missing';
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

export interface AuditFindings {
  failedReasons: Record<string, number>;
  /** Jobs with more than one `analysed` entry: analysed again after a worker died (costs calls, harmless with the cache). */
  duplicateAnalyses: number;
  /** Jobs that reached `done`/`failed` more than once. */
  duplicateFinishes: number;
  /** Jobs with a state-changing entry after their end (`done` or final `failed`). */
  stateRegressions: number;
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
    return typeof type === 'string' ? { type, details: typeof details === 'object' && details !== null ? { ...details } : {} } : undefined;
  } catch {
    return undefined;
  }
}

/** Reads every job's audit trail (`<prefix>:audit:<id>`) and counts what must not happen. */
export async function auditCheck(redis: Redis, prefix: string, ids: readonly string[]): Promise<AuditFindings> {
  const out: AuditFindings = { failedReasons: {}, duplicateAnalyses: 0, duplicateFinishes: 0, stateRegressions: 0, duplicateDeliveries: 0 };
  for (let i = 0; i < ids.length; i += 200) {
    const pipe = redis.pipeline();
    for (const id of ids.slice(i, i + 200)) pipe.xrange(`${prefix}:audit:${id}`, '-', '+');
    for (const [, stream] of (await pipe.exec()) ?? []) {
      if (!Array.isArray(stream)) continue;
      let analysed = 0;
      let finishes = 0;
      let ended = false;
      let regressed = false;
      const delivered = new Map<string, number>();
      for (const item of stream) {
        if (!Array.isArray(item) || !Array.isArray(item[1])) continue;
        const entry = entryOf(item[1].map(String));
        if (entry === undefined) continue;
        if (ended && STATE_CHANGING.has(entry.type)) regressed = true;
        if (entry.type === 'analysed') analysed++;
        if (entry.type === 'done' || (entry.type === 'failed' && entry.details.final === true)) {
          finishes++;
          ended = true;
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
