import { type RedisClient, runScript } from '../jobs/redis-connection.js';
import type { InboundReport } from '../../connectors/connector.js';
import type { JobEvents } from '../jobs/job-events.js';
import { RedisKeys } from '../jobs/redis-keys.js';
import type { GatewayMetrics } from '../observability/metrics.js';

/** A source message an inbound connector could not handle: it stays with its source, listed here. */
export interface HeldMessage {
  ref: string;
  reason: string;
  detail: string;
  ids: Record<string, string>;
  jobId?: string;
  /** When it was first held, and last tried. */
  since: string;
  lastTried: string;
  attempts: number;
}

/** How long the mark "answered" is kept: longer than any source keeps a message waiting. */
const ANSWERED_TTL_S = 30 * 24 * 3600;

// KEYS[1] held hash, KEYS[2] answered mark. ARGV: ref, outcome, entry JSON, now, ttl.
// Answered → mark and unlist. Held → listed (first time kept, attempts counted) unless marked
// answered: a second pick-up that lost the race to answer must not list an answered message.
const RECORD = `
if ARGV[2] == 'accepted' or ARGV[2] == 'rejected' then
  redis.call('SET', KEYS[2], ARGV[4], 'EX', tonumber(ARGV[5]))
  return redis.call('HDEL', KEYS[1], ARGV[1])
end
if ARGV[2] ~= 'held' or redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local entry = cjson.decode(ARGV[3])
local old = redis.call('HGET', KEYS[1], ARGV[1])
entry.attempts = 1
if old then
  local ok, prev = pcall(cjson.decode, old)
  if ok and type(prev) == 'table' then
    entry.since = prev.since or entry.since
    entry.attempts = (tonumber(prev.attempts) or 0) + 1
  end
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(entry))
return 1`;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readHeld(ref: string, raw: string): HeldMessage | undefined {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isRecord(v) || typeof v.reason !== 'string' || typeof v.since !== 'string') return undefined;
  const ids = isRecord(v.ids)
    ? Object.fromEntries(Object.entries(v.ids).filter((e): e is [string, string] => typeof e[1] === 'string'))
    : {};
  return {
    ref,
    reason: v.reason,
    detail: typeof v.detail === 'string' ? v.detail : '',
    ids,
    ...(typeof v.jobId === 'string' ? { jobId: v.jobId } : {}),
    since: v.since,
    lastTried: typeof v.lastTried === 'string' ? v.lastTried : v.since,
    attempts: typeof v.attempts === 'number' ? v.attempts : 1,
  };
}

/**
 * What inbound connectors report, kept: a metric per outcome and reason, an `answered` entry in
 * the job's audit trail when the source was answered for a job, and the list of messages held
 * (not answered, and why) until they are answered — so nothing times out unseen at the source.
 */
export class InboundLog {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    private readonly events: JobEvents,
    private readonly metrics?: GatewayMetrics,
  ) {
    this.keys = new RedisKeys(prefix);
  }

  /** The `report` an inbound connector named `connector` is given. */
  reporter(connector: string, channel: string): (report: InboundReport) => Promise<void> {
    return async (r) => {
      const reason = r.reason ?? (r.outcome === 'accepted' ? 'ok' : 'none');
      this.metrics?.inboundSubmissions.inc({ connector, outcome: r.outcome, reason });
      const now = new Date().toISOString();
      const entry = {
        reason,
        detail: (r.detail ?? '').slice(0, 2000),
        ids: r.ids ?? {},
        ...(r.jobId === undefined ? {} : { jobId: r.jobId }),
        since: now,
        lastTried: now,
      };
      await runScript(
        this.redis,
        RECORD,
        2,
        this.keys.inboundHeld(connector),
        this.keys.inboundAnswered(connector, r.ref),
        r.ref,
        r.outcome,
        JSON.stringify(entry),
        now,
        String(ANSWERED_TTL_S),
      );
      if ((r.outcome === 'accepted' || r.outcome === 'rejected') && r.jobId !== undefined)
        await this.events.emit({
          type: 'answered',
          jobId: r.jobId,
          tenant: r.tenant ?? 'default',
          actor: { kind: 'client', id: `connector:${connector}` },
          at: now,
          channel,
          answer: r.outcome === 'accepted' ? 'accept' : 'reject',
          ids: r.ids ?? {},
        });
    };
  }

  /** The messages `connector` holds now (at most `limit`), oldest first. */
  async held(connector: string, limit: number): Promise<HeldMessage[]> {
    const out: HeldMessage[] = [];
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(this.keys.inboundHeld(connector), cursor, 'COUNT', 200);
      cursor = next;
      for (let i = 0; i + 1 < flat.length && out.length < limit; i += 2) {
        const m = readHeld(flat[i] ?? '', flat[i + 1] ?? '');
        if (m !== undefined) out.push(m);
      }
    } while (cursor !== '0' && out.length < limit);
    return out.sort((a, b) => a.since.localeCompare(b.since));
  }
}
