import type { Redis } from 'ioredis';
import { isJobState, type JobRecord, type JobState } from './job-record.js';

/**
 * The record field naming the analysis attempt that holds the job (see `update`'s fence). Internal:
 * not part of JobRecord, never shown to callers. The audit trail reads it to fence its appends.
 */
export const ATTEMPT_TOKEN_FIELD = 'attemptToken';

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

/**
 * Job records in Redis hashes (`<prefix>:job:<id>`), one per job, expiring after the retention
 * period. Writes that change state are conditional on the current state and, for the analyse
 * worker, on its attempt token (compare-and-set in Lua), so a slow or revived worker can never move
 * a finished job backwards or write over the attempt that took the job from it.
 */
export class JobStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly retentionSeconds: number,
  ) {}

  key(id: string): string {
    return `${this.prefix}:job:${id}`;
  }

  /** Creates the record unless one exists. Returns true when created. */
  async createIfAbsent(record: JobRecord): Promise<boolean> {
    const fields = serialise(record);
    const created = await this.redis.eval(CREATE_IF_ABSENT, 1, this.key(record.id), String(this.retentionSeconds), ...fields);
    return created === 1;
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const hash = await this.redis.hgetall(this.key(id));
    return deserialise(hash);
  }

  /**
   * Applies `patch` if the record exists, its state is one of `from` (any state when omitted) and,
   * with `fence.owner`, the attempt token is that one; `fence.claim` sets the token in the same
   * write. Returns false when the record is gone, in another state or held by another attempt.
   */
  async update(id: string, patch: Partial<Omit<JobRecord, 'id'>>, from?: readonly JobState[], fence: AttemptFence = {}): Promise<boolean> {
    const fields = serialise({ ...patch, updatedAt: new Date().toISOString() });
    const allowed = from === undefined ? '' : from.join(',');
    const terminal = patch.state === 'done' || patch.state === 'failed' ? String(this.retentionSeconds) : '0';
    const ok = await this.redis.eval(UPDATE_IF_STATE, 1, this.key(id), allowed, terminal, fence.owner ?? '', fence.claim ?? '', ...fields);
    return ok === 1;
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

// ARGV[1]: comma-separated allowed current states ('' = any); ARGV[2]: new TTL in s or '0' to keep;
// ARGV[3]: attempt token the record must hold ('' = any); ARGV[4]: attempt token to set ('' = keep);
// ARGV[5..]: field, value pairs.
const UPDATE_IF_STATE = `
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return 0 end
if ARGV[1] ~= '' then
  local ok = false
  for s in string.gmatch(ARGV[1], '[^,]+') do if s == state then ok = true end end
  if not ok then return 0 end
end
if ARGV[3] ~= '' and redis.call('HGET', KEYS[1], '${ATTEMPT_TOKEN_FIELD}') ~= ARGV[3] then return 0 end
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], '${ATTEMPT_TOKEN_FIELD}', ARGV[4]) end
redis.call('HSET', KEYS[1], unpack(ARGV, 5))
if ARGV[2] ~= '0' then redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2])) end
return 1`;

const JSON_FIELDS = new Set(['failedReason', 'result']);

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
  for (const field of ['standard', 'version', 'messageType', 'messageId', 'idempotencyKey', 'client', 'callbackUrl', 'reference'] as const) {
    const value = hash[field];
    if (value !== undefined) record[field] = value;
  }
  // These JSON fields are written only by serialise() above from typed records.
  if (hash.failedReason !== undefined) record.failedReason = JSON.parse(hash.failedReason) as JobRecord['failedReason'];
  if (hash.result !== undefined) record.result = JSON.parse(hash.result) as JobRecord['result'];
  return record;
}
