import { createRedis, redisTarget, type RedisClient } from '../../jobs/redis-connection.js';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

import { loadConfig, type Config } from '../../config/config.js';
import { AppError } from '../../errors/app-error.js';
import { RedisKeys } from '../../jobs/redis-keys.js';
import { scanKeys } from '../../jobs/redis-connection.js';

type Out = (line: string) => void;

export const BACKUP_USAGE = `backup export FILE | backup import FILE
                              API keys and audit trails as JSON lines, out of and back into Redis`;

/** One line of a backup file. */
type BackupLine =
  | { type: 'apikey'; id: string; fields: Record<string, string> }
  | { type: 'audit'; jobId: string; ttlMs: number; entries: { id: string; fields: string[] }[] };

function isRecordOfStrings(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

function toBackupLine(value: unknown): BackupLine | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (
    'type' in value &&
    value.type === 'apikey' &&
    'id' in value &&
    typeof value.id === 'string' &&
    'fields' in value &&
    isRecordOfStrings(value.fields)
  ) {
    return { type: 'apikey', id: value.id, fields: value.fields };
  }
  if (
    'type' in value &&
    value.type === 'audit' &&
    'jobId' in value &&
    typeof value.jobId === 'string' &&
    'ttlMs' in value &&
    typeof value.ttlMs === 'number' &&
    'entries' in value &&
    Array.isArray(value.entries)
  ) {
    const entries = value.entries.flatMap((e: unknown) =>
      typeof e === 'object' &&
      e !== null &&
      'id' in e &&
      typeof e.id === 'string' &&
      'fields' in e &&
      Array.isArray(e.fields) &&
      e.fields.every((f: unknown) => typeof f === 'string')
        ? [{ id: e.id, fields: e.fields.filter((f: unknown): f is string => typeof f === 'string') }]
        : [],
    );
    return { type: 'audit', jobId: value.jobId, ttlMs: value.ttlMs, entries };
  }
  return undefined;
}

/**
 * What Redis holds that cannot be rebuilt from elsewhere and outlives the jobs: API keys (their
 * secrets exist only as hashes) and the audit trails (hash chains), written as JSON lines. Job
 * records, queues, the ledger and caches are not in it: see README, "Operations: Redis".
 */
export async function exportBackup(
  redis: RedisClient,
  keys: RedisKeys,
  file: string,
): Promise<{ apiKeys: number; auditTrails: number }> {
  const stream = createWriteStream(file, { mode: 0o600 });
  const write = async (line: BackupLine): Promise<void> => {
    if (!stream.write(`${JSON.stringify(line)}\n`)) await once(stream, 'drain');
  };
  let apiKeys = 0;
  for (const id of await redis.smembers(keys.apiKeys())) {
    const fields = await redis.hgetall(keys.apiKey(id));
    if (Object.keys(fields).length === 0) continue;
    await write({ type: 'apikey', id, fields });
    apiKeys++;
  }
  let auditTrails = 0;
  for await (const key of scanKeys(redis, keys.auditPattern())) {
    const jobId = keys.jobIdOfAudit(key);
    if (jobId === undefined) continue;
    const entries = (await redis.xrange(key, '-', '+')).map(([id, fields]) => ({ id, fields }));
    await write({ type: 'audit', jobId, ttlMs: await redis.pttl(key), entries });
    auditTrails++;
  }
  stream.end();
  await once(stream, 'finish');
  return { apiKeys, auditTrails };
}

/**
 * Writes a backup back. An API key that exists is overwritten with the backed-up state (a revoked
 * key stays revoked); an audit trail is restored entry by entry with its original ids only where
 * none exists yet — an existing trail is never mixed with an old one.
 */
export async function importBackup(
  redis: RedisClient,
  keys: RedisKeys,
  file: string,
): Promise<{ apiKeys: number; auditTrails: number; skipped: number }> {
  let apiKeys = 0;
  let auditTrails = 0;
  let skipped = 0;
  let lineNo = 0;
  for await (const raw of createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY })) {
    lineNo++;
    if (raw.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    const line = toBackupLine(parsed);
    if (line === undefined)
      throw new AppError('XGW_CONFIG_INVALID', {
        detail: `${file}: line ${lineNo} is not a backup line`,
        extensions: { file },
      });
    if (line.type === 'apikey') {
      await redis
        .multi()
        .del(keys.apiKey(line.id))
        .hset(keys.apiKey(line.id), line.fields)
        .sadd(keys.apiKeys(), line.id)
        .exec();
      apiKeys++;
      continue;
    }
    const key = keys.audit(line.jobId);
    if ((await redis.exists(key)) === 1 || line.entries.length === 0) {
      skipped++;
      continue;
    }
    const multi = redis.multi();
    for (const e of line.entries) multi.xadd(key, e.id, ...e.fields);
    if (line.ttlMs > 0) multi.pexpire(key, line.ttlMs);
    await multi.exec();
    auditTrails++;
  }
  return { apiKeys, auditTrails, skipped };
}

/** `xoev-gw backup export|import FILE` against REDIS_URL / QUEUE_PREFIX of the environment. */
export async function backupCommand(
  args: readonly string[],
  out: Out,
  err: Out,
  config: Config = loadConfig(),
): Promise<number> {
  const [sub, file] = args;
  if ((sub !== 'export' && sub !== 'import') || file === undefined) {
    err(`usage: xoev-gw ${BACKUP_USAGE}`);
    return 2;
  }
  const redis = createRedis(redisTarget(config), 'api', {
    commandTimeout: 30_000,
    connectTimeout: 5000,
    enableOfflineQueue: true,
    lazyConnect: true,
  });
  try {
    await redis.connect();
    const keys = new RedisKeys(config.queuePrefix);
    if (sub === 'export') {
      const n = await exportBackup(redis, keys, file);
      out(`${n.apiKeys} API key(s) and ${n.auditTrails} audit trail(s) written to ${file}`);
    } else {
      const n = await importBackup(redis, keys, file);
      out(
        `${n.apiKeys} API key(s) and ${n.auditTrails} audit trail(s) restored from ${file}; ${n.skipped} trail(s) already present, left as they are`,
      );
    }
    return 0;
  } finally {
    redis.disconnect();
  }
}
