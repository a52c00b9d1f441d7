import { type RedisClient, runScript } from '../jobs/redis-connection.js';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isRole, type Role } from './principal.js';
import { RedisKeys } from '../jobs/redis-keys.js';

/** An API key as stored: everything but the secret, which only exists as a sha256 hash. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly tenant: string;
  readonly createdAt: string;
  readonly revoked: boolean;
}

export interface NewApiKey {
  readonly record: ApiKeyRecord;
  /** The key to hand to the client (`xgw_<id>_<secret>`). Shown once; the gateway keeps only its hash. */
  readonly key: string;
}

/** Parsed `xgw_<id>_<secret>`; the id is hex, so the first `_` after it separates the secret. */
const KEY_FORMAT = /^xgw_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export function parseApiKey(key: string): { id: string; secret: string } | undefined {
  const m = KEY_FORMAT.exec(key);
  return m?.[1] !== undefined && m[2] !== undefined ? { id: m[1], secret: m[2] } : undefined;
}

function hashSecret(secret: string): Buffer {
  // The secret has 256 bits of entropy, so a plain sha256 is enough (no password stretching needed).
  return createHash('sha256').update(secret, 'utf8').digest();
}

const NAME = /^[\p{L}\p{N} ._@-]{1,100}$/u;
const TENANT = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * API keys of machine clients in Redis (`<prefix>:apikey:<id>` hashes plus the `<prefix>:apikeys`
 * id set for listing). Lookup is by the id embedded in the key, then a constant-time hash compare.
 * Keys never expire; they are revoked.
 */
export class ApiKeyStore {
  private readonly keys: RedisKeys;
  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = new RedisKeys(prefix);
  }

  private key(id: string): string {
    return this.keys.apiKey(id);
  }

  async create(input: { name: string; roles: readonly string[]; tenant: string }): Promise<NewApiKey> {
    if (!NAME.test(input.name)) throw new Error('name: 1–100 letters, digits, space, . _ @ -');
    if (!TENANT.test(input.tenant)) throw new Error('tenant: 1–100 letters, digits, . _ -');
    const roles = [...new Set(input.roles)];
    const unknown = roles.filter((r) => !isRole(r));
    if (roles.length === 0 || unknown.length > 0)
      throw new Error(
        `roles: one or more of submitter, rpa, reviewer, admin${unknown.length > 0 ? ` (unknown: ${unknown.join(', ')})` : ''}`,
      );
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const record: ApiKeyRecord = {
      id,
      name: input.name,
      roles: roles.filter(isRole),
      tenant: input.tenant,
      createdAt: new Date().toISOString(),
      revoked: false,
    };
    await this.redis
      .multi()
      .hset(this.key(id), {
        name: record.name,
        roles: record.roles.join(','),
        tenant: record.tenant,
        createdAt: record.createdAt,
        revoked: '0',
        hash: hashSecret(secret).toString('hex'),
      })
      .sadd(this.keys.apiKeys(), id)
      .exec();
    return { record, key: `xgw_${id}_${secret}` };
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const parsed = toRecord(id, await this.redis.hgetall(this.key(id)));
    return parsed?.record;
  }

  async list(): Promise<ApiKeyRecord[]> {
    const ids = await this.redis.smembers(this.keys.apiKeys());
    const records = await Promise.all(ids.map((id) => this.get(id)));
    return records
      .filter((r): r is ApiKeyRecord => r !== undefined)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Marks the key revoked (it stays listed, for the record). Returns false for an unknown id. */
  async revoke(id: string): Promise<boolean> {
    const updated = await runScript(
      this.redis,
      "if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end redis.call('HSET', KEYS[1], 'revoked', '1') return 1",
      1,
      this.key(id),
    );
    return updated === 1;
  }

  /** The record of a valid, unrevoked key; undefined for anything else (unknown, malformed, wrong secret, revoked). */
  async verify(key: string): Promise<ApiKeyRecord | undefined> {
    const parsed = parseApiKey(key);
    if (parsed === undefined) return undefined;
    const stored = toRecord(parsed.id, await this.redis.hgetall(this.key(parsed.id)));
    if (stored === undefined || stored.record.revoked) return undefined;
    const given = hashSecret(parsed.secret);
    return given.length === stored.hash.length && timingSafeEqual(given, stored.hash) ? stored.record : undefined;
  }
}

function toRecord(id: string, hash: Record<string, string>): { record: ApiKeyRecord; hash: Buffer } | undefined {
  const { name, roles, tenant, createdAt, revoked, hash: hex } = hash;
  if (name === undefined || roles === undefined || tenant === undefined || createdAt === undefined || hex === undefined)
    return undefined;
  return {
    record: { id, name, roles: roles.split(',').filter(isRole), tenant, createdAt, revoked: revoked === '1' },
    hash: Buffer.from(hex, 'hex'),
  };
}
