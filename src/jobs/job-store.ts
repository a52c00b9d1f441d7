import { type RedisClient, runScript } from './redis-connection.js';
import type { JobEvent } from './job-events.js';
import { isJobState, JOB_MOVES, type JobMoveName, type JobState } from './job-moves.js';
import { ATTEMPT_TOKEN_FIELD, type JobRecord } from './job-record.js';
import { RedisKeys } from './redis-keys.js';

/**
 * Fences a write to one analysis attempt. A worker whose job lock lapsed (CPU starvation, a Redis
 * restart) keeps running while another worker takes the job over; its record writes must then
 * fail, or it would finish the job with its own result, or move it after the other worker ended it.
 */
export interface AttemptFence {
  /** Write only while the record's attempt token is this one. */
  owner?: string;
  /** Write and make this the record's attempt token (an attempt taking the job). */
  claim?: string;
}

/** The record field prefix of announcements not yet taken by every sink (`outbox:<event type>`). */
const OUTBOX_FIELD = 'outbox:';

/**
 * What a state change writes beside the record, in the same script (all or nothing).
 * `announce`: the event that reports the change, kept in the job's outbox until every sink has taken
 * it (see `announced`), so that a process dying between the write and the announcement cannot lose
 * it: the outbox relay announces it again. `index`: a sorted set the job joins with the change
 * (the review queue), so the record and the index cannot disagree after a crash.
 */
export interface MoveEffects {
  announce?: JobEvent;
  index?: { keys: readonly string[]; score: number };
}

/** An announcement the relay took from the outbox: the event as written with its state change. */
export interface PendingAnnouncement {
  jobId: string;
  type: string;
  /** The stored event (JSON written by `move` from a typed JobEvent). */
  json: string;
}

/**
 * Job records in Redis hashes (`<prefix>:job:<id>`), one per job, expiring after the retention
 * period. Writes that change state are conditional on the current state and, for the analyse
 * worker, on its attempt token (compare-and-set in Lua), so a slow or revived worker can never move
 * a finished job backwards or write over the attempt that took the job from it.
 */
export class JobStore {
  private readonly keys: RedisKeys;
  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    private readonly retentionSeconds: number,
  ) {
    this.keys = new RedisKeys(prefix);
  }

  key(id: string): string {
    return this.keys.job(id);
  }

  /** The outbox index of the job's shard: `<jobId>|<event type>` scored by when it was written (ms). */
  private outboxKey(jobId: string): string {
    return this.keys.outbox(jobId);
  }

  /** Creates the record unless one exists. Returns true when created. */
  async createIfAbsent(record: JobRecord): Promise<boolean> {
    const fields = serialise(record);
    const created = await runScript(
      this.redis,
      CREATE_IF_ABSENT,
      1,
      this.key(record.id),
      String(this.retentionSeconds),
      ...fields,
    );
    return created === 1;
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const hash = await this.redis.hgetall(this.key(id));
    return deserialise(hash);
  }

  /**
   * Makes the named move of the state table (job-moves.ts): the record's state becomes the move's
   * `to` if the record exists, is in one of the move's `from` states and, with `fence.owner`, is held
   * by that attempt; `fence.claim` sets the attempt token in the same write; `patch` (never the
   * state) and `effects` are written with the move or not at all. Returns false when the record is
   * gone, in another state or held by another attempt. The only way a job's state changes.
   */
  async move(
    id: string,
    name: JobMoveName,
    patch: Partial<Omit<JobRecord, 'id' | 'state'>> = {},
    fence: AttemptFence = {},
    effects: MoveEffects = {},
  ): Promise<boolean> {
    const move = JOB_MOVES[name];
    return this.write(id, { ...patch, state: move.to }, move.from, fence, effects);
  }

  private async write(
    id: string,
    patch: Partial<Omit<JobRecord, 'id'>>,
    from: readonly JobState[],
    fence: AttemptFence,
    effects: MoveEffects,
  ): Promise<boolean> {
    const fields = serialise({ ...patch, updatedAt: new Date().toISOString() });
    const allowed = from.join(',');
    const terminal = patch.state === 'done' || patch.state === 'failed' ? String(this.retentionSeconds) : '0';
    const { announce, index } = effects;
    const keys = [this.key(id), this.outboxKey(id), ...(index?.keys ?? [])];
    const ok = await runScript(
      this.redis,
      UPDATE_IF_STATE,
      keys.length,
      ...keys,
      allowed,
      terminal,
      fence.owner ?? '',
      fence.claim ?? '',
      announce === undefined ? '' : announce.type,
      announce === undefined ? '' : JSON.stringify(announce),
      String(Date.now()),
      index === undefined ? '' : String(index.score),
      id,
      ...fields,
    );
    return ok === 1;
  }

  /** The attempt (or decision) token that holds the job, if any: what its deliveries are fenced on. */
  async attemptToken(id: string): Promise<string | undefined> {
    return (await this.redis.hget(this.key(id), ATTEMPT_TOKEN_FIELD)) ?? undefined;
  }

  /**
   * Claims the decision on a job in review for one decision (`token`), in one script: the job must
   * be in `review` and not claimed by another decision within `leaseMs`. The claim makes `token` the
   * record's attempt token, so every later write of the decision (its state move, its deliveries) is
   * fenced on it, and every other decision gets false (409). A claim whose process died lapses after
   * `leaseMs`, and the job can be decided again.
   */
  async claimReview(id: string, token: string, leaseMs: number): Promise<boolean> {
    const ok = await runScript(this.redis, CLAIM_REVIEW, 1, this.key(id), token, String(Date.now()), String(leaseMs));
    return ok === 1;
  }

  /** Every sink has taken the announcement of `type`: it leaves the job's outbox. */
  async announced(id: string, type: string): Promise<void> {
    await runScript(
      this.redis,
      SETTLE_ANNOUNCEMENT,
      2,
      this.key(id),
      this.outboxKey(id),
      OUTBOX_FIELD + type,
      `${id}|${type}`,
    );
  }

  /**
   * Announcements written at least `olderThanMs` ago and not yet settled, oldest first, at most
   * `limit`. Each one returned is claimed for `olderThanMs` (its index entry moves to now), so
   * relays in several processes do not announce it at once; one whose record expired is dropped.
   */
  async dueAnnouncements(olderThanMs: number, limit: number): Promise<PendingAnnouncement[]> {
    const now = Date.now();
    const due: PendingAnnouncement[] = [];
    // Every shard's outbox; the oldest of each come first, and the next call finds the rest.
    for (const outbox of this.keys.outboxes()) {
      if (due.length >= limit) break;
      const members = await this.redis.zrangebyscore(
        outbox,
        '-inf',
        String(now - olderThanMs),
        'LIMIT',
        0,
        limit - due.length,
      );
      for (const member of members) {
        const bar = member.lastIndexOf('|');
        if (bar <= 0) {
          await this.redis.zrem(outbox, member);
          continue;
        }
        const jobId = member.slice(0, bar);
        const type = member.slice(bar + 1);
        const json: unknown = await runScript(
          this.redis,
          CLAIM_ANNOUNCEMENT,
          2,
          outbox,
          this.key(jobId),
          member,
          String(now - olderThanMs),
          String(now),
          OUTBOX_FIELD + type,
        );
        if (typeof json === 'string') due.push({ jobId, type, json });
      }
    }
    return due;
  }

  /** How many announcements wait in the outbox (metrics, the chaos soak's drain). */
  async pendingAnnouncements(): Promise<number> {
    const counts = await Promise.all(this.keys.outboxes().map((key) => this.redis.zcard(key)));
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Whether the record is in one of `states` and held by the attempt `token` (a read, no write). */
  async holds(id: string, token: string, states: readonly JobState[]): Promise<boolean> {
    const [state, owner] = await this.redis.hmget(this.key(id), 'state', ATTEMPT_TOKEN_FIELD);
    return owner === token && typeof state === 'string' && (states as readonly string[]).includes(state);
  }

  async delete(id: string): Promise<void> {
    await this.redis.del(this.key(id));
  }
}

const CREATE_IF_ABSENT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1]))
return 1`;

// KEYS[1]: the record; KEYS[2]: the outbox index; KEYS[3..]: the indexes the job joins (if ARGV[8] ~= '').
// ARGV[1]: comma-separated allowed current states (a move's `from`); ARGV[2]: new TTL in s or '0' to keep;
// ARGV[3]: attempt token the record must hold ('' = whichever); ARGV[4]: attempt token to set ('' = keep);
// ARGV[5], ARGV[6]: type and JSON of the event to keep in the outbox ('' = none); ARGV[7]: now (ms);
// ARGV[8]: score in KEYS[3..] ('' = none); ARGV[9]: the job id; ARGV[10..]: field, value pairs.
const UPDATE_IF_STATE = `
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return 0 end
local ok = false
for s in string.gmatch(ARGV[1], '[^,]+') do if s == state then ok = true end end
if not ok then return 0 end
if ARGV[3] ~= '' and redis.call('HGET', KEYS[1], '${ATTEMPT_TOKEN_FIELD}') ~= ARGV[3] then return 0 end
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], '${ATTEMPT_TOKEN_FIELD}', ARGV[4]) end
redis.call('HSET', KEYS[1], unpack(ARGV, 10))
if ARGV[5] ~= '' then
  redis.call('HSET', KEYS[1], '${OUTBOX_FIELD}' .. ARGV[5], ARGV[6])
  redis.call('ZADD', KEYS[2], tonumber(ARGV[7]), ARGV[9] .. '|' .. ARGV[5])
end
if ARGV[8] ~= '' then
  for i = 3, #KEYS do redis.call('ZADD', KEYS[i], 'NX', tonumber(ARGV[8]), ARGV[9]) end
end
if ARGV[2] ~= '0' then redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2])) end
return 1`;

// KEYS[1]: the record. ARGV[1]: the decision's token; ARGV[2]: now (ms); ARGV[3]: lease (ms).
const CLAIM_REVIEW = `
if redis.call('HGET', KEYS[1], 'state') ~= 'review' then return 0 end
local claimed = tonumber(redis.call('HGET', KEYS[1], 'reviewClaimedAt') or '0')
if claimed > tonumber(ARGV[2]) - tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], '${ATTEMPT_TOKEN_FIELD}', ARGV[1], 'reviewClaimedAt', ARGV[2])
return 1`;

// KEYS[1]: the record; KEYS[2]: the outbox index. ARGV[1]: outbox field; ARGV[2]: index member.
const SETTLE_ANNOUNCEMENT = `
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[2])
return 1`;

// KEYS[1]: the outbox index; KEYS[2]: the record. ARGV[1]: member; ARGV[2]: latest score still due;
// ARGV[3]: now (the claim); ARGV[4]: outbox field. Returns the event JSON, or nil when another relay
// claimed it meanwhile or the record (and with it the announcement) is gone.
const CLAIM_ANNOUNCEMENT = `
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) > tonumber(ARGV[2]) then return nil end
local json = redis.call('HGET', KEYS[2], ARGV[4])
if not json then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return nil
end
redis.call('ZADD', KEYS[1], tonumber(ARGV[3]), ARGV[1])
return json`;

const JSON_FIELDS = new Set(['failedReason', 'result', 'plan', 'source']);

function serialise(record: Partial<JobRecord>): string[] {
  const out: string[] = [];
  for (const [field, value] of Object.entries(record)) {
    if (value === undefined) continue;
    out.push(field, JSON_FIELDS.has(field) ? JSON.stringify(value) : String(value));
  }
  return out;
}

function deserialise(hash: Record<string, string>): JobRecord | undefined {
  const { id, tenant, kind, state, createdAt, updatedAt } = hash;
  if (!id || !tenant || !state || !createdAt || !updatedAt || !isJobState(state)) return undefined;
  const record: JobRecord = {
    id,
    tenant,
    kind: kind === 'task' ? 'task' : 'message',
    state,
    createdAt,
    updatedAt,
    attempts: Number(hash.attempts ?? '0'),
  };
  for (const field of [
    'standard',
    'version',
    'messageType',
    'messageId',
    'idempotencyKey',
    'client',
    'callbackUrl',
    'reference',
  ] as const) {
    const value = hash[field];
    if (value !== undefined) record[field] = value;
  }
  // These JSON fields are written only by serialise() above from typed records.
  if (hash.failedReason !== undefined) record.failedReason = JSON.parse(hash.failedReason) as JobRecord['failedReason'];
  if (hash.result !== undefined) record.result = JSON.parse(hash.result) as JobRecord['result'];
  if (hash.plan !== undefined) record.plan = JSON.parse(hash.plan) as JobRecord['plan'];
  if (hash.source !== undefined) record.source = JSON.parse(hash.source) as JobRecord['source'];
  return record;
}
