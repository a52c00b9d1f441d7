import { type RedisClient, runScript } from '../jobs/redis-connection.js';
import type { PlannedDelivery } from './delivery-plan.js';
import { RedisKeys } from '../jobs/redis-keys.js';

export const DELIVERY_STATES = ['pending', 'delivering', 'delivered', 'skipped', 'failed', 'dead_letter'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

function isDeliveryState(value: string): value is DeliveryState {
  return (DELIVERY_STATES as readonly string[]).includes(value);
}

/** One delivery as the ledger records it (and GET /v1/jobs/{id}/deliveries shows it). */
export interface LedgerEntry {
  key: string;
  jobId: string;
  tenant: string;
  connector: string;
  kind: PlannedDelivery['kind'];
  fact: string;
  subject: string;
  state: DeliveryState;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  deliveredAt?: string;
  /** Why it was skipped or why the last attempt failed (no content, no personal data). */
  detail?: string;
  /** The error code of a failed attempt or a dead letter (docs/errors.md). */
  code?: string;
  /** The register's id of the record, when it gives one. */
  reference?: string;
  /**
   * The delivery itself (its values), so a failed delivery can be retried or replayed as it was.
   * Dropped once the delivery is delivered or skipped: the register holds the values then, and the
   * ledger, kept much longer than job results, must not become a second copy of personal data.
   */
  delivery?: PlannedDelivery;
}

/** Result of trying to claim a delivery. */
export type ClaimResult =
  | { outcome: 'claimed'; attempt: number }
  | { outcome: 'settled'; state: DeliveryState }
  | { outcome: 'busy' };

/**
 * The delivery ledger in Redis: `ledger:<key>` (a hash per delivery: state, attempts,
 * connector, job, timestamps), `ledger-job:<jobId>` (the keys of a job), `dead-letters` (sorted by
 * time, one per shard; redis-keys.ts names them all). A claim is `SET ledger-claim:<key> NX PX`:
 * only one worker delivers a key at a time, and a dead worker's claim lapses after the lease so
 * another can finish the delivery. A delivery whose entry says `delivered` or `skipped` is never
 * sent again.
 */
export class Ledger {
  private readonly keys: RedisKeys;
  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    private readonly retentionSeconds: number,
  ) {
    this.keys = new RedisKeys(prefix);
  }

  private entryKey(key: string): string {
    return this.keys.ledger(key);
  }
  private claimKey(key: string): string {
    return this.keys.ledgerClaim(key);
  }
  private jobKey(jobId: string): string {
    return this.keys.ledgerJob(jobId);
  }
  private deadLetterKey(key: string): string {
    return this.keys.deadLetters(key);
  }

  /** Records a planned delivery as `pending` unless the ledger already knows its key. */
  async register(jobId: string, tenant: string, delivery: PlannedDelivery): Promise<void> {
    const now = new Date().toISOString();
    const fields = [
      'key',
      delivery.key,
      'jobId',
      jobId,
      'tenant',
      tenant,
      'connector',
      delivery.connector,
      'kind',
      delivery.kind,
      'fact',
      delivery.fact,
      'subject',
      delivery.subject,
      'state',
      'pending',
      'attempts',
      '0',
      'createdAt',
      now,
      'updatedAt',
      now,
      'delivery',
      JSON.stringify(delivery),
    ];
    // The job's index first (the job's shard), then the entry (the key's shard): two slots, so two
    // writes; a crash in between leaves an index entry without a delivery, which listForJob skips,
    // and the retried registration writes the entry.
    await this.redis
      .multi()
      .sadd(this.jobKey(jobId), delivery.key)
      .expire(this.jobKey(jobId), this.retentionSeconds)
      .exec();
    await runScript(this.redis, REGISTER, 1, this.entryKey(delivery.key), String(this.retentionSeconds), ...fields);
  }

  async get(key: string): Promise<LedgerEntry | undefined> {
    return parseEntry(await this.redis.hgetall(this.entryKey(key)));
  }

  async listForJob(jobId: string): Promise<LedgerEntry[]> {
    const keys = await this.redis.smembers(this.jobKey(jobId));
    const entries = await Promise.all(keys.map((k) => this.get(k)));
    return entries
      .filter((e): e is LedgerEntry => e !== undefined)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.key.localeCompare(b.key));
  }

  /**
   * Claims a delivery for one attempt. `settled`: delivered, skipped or dead-lettered already,
   * nothing to do (a dead letter moves only through `revive`).
   * `busy`: another worker holds the claim (its lease has not lapsed).
   */
  async claim(key: string, token: string, leaseMs: number): Promise<ClaimResult> {
    const answer = await runScript(
      this.redis,
      CLAIM,
      2,
      this.entryKey(key),
      this.claimKey(key),
      token,
      String(leaseMs),
      new Date().toISOString(),
    );
    if (Array.isArray(answer) && answer[0] === 'claimed') return { outcome: 'claimed', attempt: Number(answer[1]) };
    if (Array.isArray(answer) && answer[0] === 'settled' && typeof answer[1] === 'string' && isDeliveryState(answer[1]))
      return { outcome: 'settled', state: answer[1] };
    return { outcome: 'busy' };
  }

  /**
   * Ends an attempt: `delivered`/`skipped` settle the key for good; `failed` leaves it for the next
   * attempt; `dead_letter` adds it to the dead-letter list. Releases the claim if `token` holds it.
   * Returns false, and changes nothing, when another attempt settled the key meanwhile: an attempt
   * whose lease lapsed while the register answered slowly, and which another worker finished.
   * Only the attempt that settles a key reports it (one `delivered` entry per key).
   */
  async finish(
    key: string,
    token: string,
    state: 'delivered' | 'skipped' | 'failed' | 'dead_letter',
    info: { detail?: string; reference?: string; code?: string } = {},
  ): Promise<boolean> {
    const now = new Date().toISOString();
    const fields = ['state', state, 'updatedAt', now];
    if (state === 'delivered') fields.push('deliveredAt', now);
    if (info.detail !== undefined) fields.push('detail', info.detail);
    if (info.code !== undefined) fields.push('code', info.code);
    if (info.reference !== undefined) fields.push('reference', info.reference);
    const took = await runScript(
      this.redis,
      FINISH,
      3,
      this.entryKey(key),
      this.claimKey(key),
      this.deadLetterKey(key),
      token,
      state,
      String(Date.now()),
      key,
      ...fields,
    );
    return took === 1;
  }

  /** Dead letters, oldest first, optionally of one tenant. */
  async deadLetters(limit: number, tenant?: string): Promise<LedgerEntry[]> {
    // One index per shard: merged by the time each was dead-lettered.
    const scored: { key: string; at: number }[] = [];
    for (const index of this.keys.deadLetterShards()) {
      const flat = await this.redis.zrange(index, '0', '-1', 'WITHSCORES');
      for (let i = 0; i + 1 < flat.length; i += 2) scored.push({ key: flat[i] ?? '', at: Number(flat[i + 1]) });
    }
    scored.sort((a, b) => a.at - b.at || a.key.localeCompare(b.key));
    const out: LedgerEntry[] = [];
    for (const { key } of scored) {
      const entry = await this.get(key);
      if (entry === undefined || entry.state !== 'dead_letter' || (tenant !== undefined && entry.tenant !== tenant))
        continue;
      out.push(entry);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Moves a dead letter back to `pending` (false when it is not a dead letter). */
  async revive(key: string): Promise<boolean> {
    const ok = await runScript(
      this.redis,
      REVIVE,
      2,
      this.entryKey(key),
      this.deadLetterKey(key),
      key,
      new Date().toISOString(),
    );
    return ok === 1;
  }
}

// KEYS: entry. ARGV: ttl, field/value pairs.
const REGISTER = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], unpack(ARGV, 2))
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1]))
end
return 1`;

// KEYS: entry, claim. ARGV: token, lease ms, now.
const CLAIM = `
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return {'missing'} end
-- A dead letter waits for a replay (which sets it pending); a retry of its job must not resend it.
if state == 'delivered' or state == 'skipped' or state == 'dead_letter' then return {'settled', state} end
if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', tonumber(ARGV[2])) then return {'busy'} end
local attempt = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HSET', KEYS[1], 'state', 'delivering', 'updatedAt', ARGV[3])
return {'claimed', tostring(attempt)}`;

// KEYS: entry, claim, dead letters. ARGV: token, state, now ms, key, field/value pairs.
// Answers 0 without writing when the entry is settled already (another attempt finished it).
const FINISH = `
local took = 1
local current = redis.call('HGET', KEYS[1], 'state')
if current == 'delivered' or current == 'skipped' or current == 'dead_letter' then
  took = 0
elseif current then
  redis.call('HSET', KEYS[1], unpack(ARGV, 5))
  if ARGV[2] == 'delivered' or ARGV[2] == 'skipped' then redis.call('HDEL', KEYS[1], 'delivery') end
  if ARGV[2] == 'dead_letter' then redis.call('ZADD', KEYS[3], tonumber(ARGV[3]), ARGV[4]) else redis.call('ZREM', KEYS[3], ARGV[4]) end
end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return took`;

// KEYS: entry, dead letters. ARGV: key, now.
const REVIVE = `
if redis.call('HGET', KEYS[1], 'state') ~= 'dead_letter' then return 0 end
redis.call('HSET', KEYS[1], 'state', 'pending', 'updatedAt', ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1`;

function parseDelivery(text: string | undefined): PlannedDelivery | undefined {
  if (text === undefined) return undefined;
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null) return undefined;
  const v = Object.fromEntries(Object.entries(value));
  const { key, connector, kind, fact, subject, fields, provenance, target } = v;
  if (
    typeof key !== 'string' ||
    typeof connector !== 'string' ||
    (kind !== 'fact' && kind !== 'notify') ||
    typeof fact !== 'string' ||
    typeof subject !== 'string'
  )
    return undefined;
  if (typeof fields !== 'object' || fields === null || typeof provenance !== 'object' || provenance === null)
    return undefined;
  const p = Object.fromEntries(Object.entries(provenance));
  const strings = (x: unknown): string[] =>
    Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : [];
  return {
    key,
    connector,
    kind,
    fact,
    subject,
    fields: Object.fromEntries(Object.entries(fields)),
    ...(typeof target === 'string' ? { target } : {}),
    provenance: {
      jobId: typeof p.jobId === 'string' ? p.jobId : '',
      tenant: typeof p.tenant === 'string' ? p.tenant : '',
      models: strings(p.models),
      promptVersions: strings(p.promptVersions),
      ...(typeof p.sourceMessageId === 'string' ? { sourceMessageId: p.sourceMessageId } : {}),
      ...(typeof p.reviewer === 'string' ? { reviewer: p.reviewer } : {}),
    },
  };
}

function parseEntry(hash: Record<string, string>): LedgerEntry | undefined {
  const { key, jobId, tenant, connector, kind, fact, subject, state, createdAt, updatedAt } = hash;
  const delivery = parseDelivery(hash.delivery);
  if (
    !key ||
    !jobId ||
    tenant === undefined ||
    !connector ||
    !fact ||
    subject === undefined ||
    !state ||
    !isDeliveryState(state) ||
    !createdAt ||
    !updatedAt
  )
    return undefined;
  return {
    key,
    jobId,
    tenant,
    connector,
    kind: kind === 'notify' ? 'notify' : 'fact',
    fact,
    subject,
    state,
    attempts: Number(hash.attempts ?? '0'),
    createdAt,
    updatedAt,
    ...(hash.deliveredAt === undefined ? {} : { deliveredAt: hash.deliveredAt }),
    ...(hash.detail === undefined ? {} : { detail: hash.detail }),
    ...(hash.code === undefined ? {} : { code: hash.code }),
    ...(hash.reference === undefined ? {} : { reference: hash.reference }),
    ...(delivery === undefined ? {} : { delivery }),
  };
}
