import { createHash } from 'node:crypto';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

/** A connection to the gateway's Redis: one server (or a Sentinel-watched primary), or a Redis Cluster. */
export type RedisClient = Redis | Cluster;

/**
 * Where the gateway's Redis is: `url` alone for one server; with `clusterNodes` (`host:port,…`, some
 * nodes of a Redis Cluster, which tell the rest) a cluster; with `sentinels` (`host:port,…`) the
 * primary the Sentinels name `sentinelMaster`. Credentials and TLS (`rediss:`) come from `url`.
 */
export interface RedisTarget {
  url: string;
  clusterNodes?: string;
  sentinels?: string;
  sentinelMaster?: string;
}

/** `host:port,host:port` as ioredis wants it; a port is required. */
function hostPorts(list: string): { host: string; port: number }[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const at = s.lastIndexOf(':');
      const port = Number(s.slice(at + 1));
      if (at <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`"${s}" is not host:port`);
      return { host: s.slice(0, at).replace(/^\[|\]$/g, ''), port };
    });
}

/** The credentials and TLS of a `redis:` / `rediss:` URL, for cluster nodes and Sentinel primaries. */
function urlOptions(url: string): RedisOptions {
  const u = new URL(url);
  return {
    ...(u.username === '' ? {} : { username: decodeURIComponent(u.username) }),
    ...(u.password === '' ? {} : { password: decodeURIComponent(u.password) }),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/**
 * Redis connections for the gateway. BullMQ workers need `maxRetriesPerRequest: null` (blocking
 * commands must wait out a Redis restart or a cluster failover); API connections fail fast
 * instead, so a request never hangs while Redis (or a slot's master) is away: the caller gets a 503.
 */
export function createRedis(
  target: string | RedisTarget,
  purpose: 'api' | 'worker',
  extra: RedisOptions = {},
): RedisClient {
  const where: RedisTarget = typeof target === 'string' ? { url: target } : target;
  const common: RedisOptions = {
    connectionName: `xoev-gw-${purpose}`,
    enableReadyCheck: true,
    // Reconnect with a short capped delay: Redis restarts are expected (AOF), not fatal.
    retryStrategy: (times) => Math.min(times * 200, 2000),
  };
  const perPurpose: RedisOptions =
    purpose === 'worker'
      ? { maxRetriesPerRequest: null }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000, commandTimeout: 5000 };
  if (where.clusterNodes !== undefined && where.clusterNodes !== '') {
    const { enableAutoPipelining, enableOfflineQueue, lazyConnect, ...nodeExtra } = { ...perPurpose, ...extra };
    const options: ClusterOptions = {
      redisOptions: { ...common, ...urlOptions(where.url), ...nodeExtra },
      // Reads and writes go to masters: a replica may lag behind a script's write.
      scaleReads: 'master',
      clusterRetryStrategy: (times) => Math.min(times * 200, 2000),
      ...(enableAutoPipelining === undefined ? {} : { enableAutoPipelining }),
      ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
      ...(lazyConnect === undefined ? {} : { lazyConnect }),
      // A failover moves slots: follow MOVED/ASK and retry while the replica takes over.
      retryDelayOnFailover: 200,
      retryDelayOnClusterDown: 300,
    };
    return new Cluster(hostPorts(where.clusterNodes), options);
  }
  if (where.sentinels !== undefined && where.sentinels !== '')
    return new Redis({
      ...common,
      ...urlOptions(where.url),
      sentinels: hostPorts(where.sentinels),
      name: where.sentinelMaster ?? 'mymaster',
      ...perPurpose,
      ...extra,
    });
  return new Redis(where.url, { ...common, ...perPurpose, ...extra });
}

/** The Redis a configuration names. */
export function redisTarget(config: {
  redisUrl: string;
  redisClusterNodes?: string | undefined;
  redisSentinels?: string | undefined;
  redisSentinelMaster?: string | undefined;
}): RedisTarget {
  return {
    url: config.redisUrl,
    ...(config.redisClusterNodes === undefined ? {} : { clusterNodes: config.redisClusterNodes }),
    ...(config.redisSentinels === undefined ? {} : { sentinels: config.redisSentinels }),
    ...(config.redisSentinelMaster === undefined ? {} : { sentinelMaster: config.redisSentinelMaster }),
  };
}

/** Reads `maxmemory-policy`; BullMQ loses jobs under any policy but `noeviction`. */
export async function maxmemoryPolicy(redis: RedisClient): Promise<string | undefined> {
  try {
    const reply = await redis.config('GET', 'maxmemory-policy');
    return Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : undefined;
  } catch {
    return undefined; // CONFIG may be disabled on managed Redis
  }
}

/**
 * Resolves once the connection is ready, or after `timeoutMs` if Redis does not answer. A fail-fast
 * connection (no offline queue) rejects every command until it is ready, so start-up checks and the
 * first requests must wait for it instead of sending a PING that fails at once.
 */
export function whenReady(redis: RedisClient, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    redis.once('ready', done);
  });
}

/** Every key matching `pattern` (SCAN, so safe on a large Redis; on a cluster, every master's). */
export async function* scanKeys(redis: RedisClient, pattern: string): AsyncGenerator<string> {
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      yield* keys;
    } while (cursor !== '0');
  }
}

/** SHA1 of each script body run so far (scripts are constants: a handful of entries). */
const scriptShas = new Map<string, string>();

/**
 * Runs a Lua script by its SHA1 (EVALSHA), sending the body (EVAL) only when this Redis node does
 * not know it yet (NOSCRIPT: after a restart, a failover, or on a node first addressed). The body
 * of a script is kilobytes: sent with every call it cost the gateway encoding and socket writes and
 * Redis a SHA1 per call (bench:ingest). On a cluster the call goes to the node of its first key.
 */
export async function runScript(
  redis: RedisClient,
  lua: string,
  numKeys: number,
  ...keysAndArgs: (string | number)[]
): Promise<unknown> {
  let sha = scriptShas.get(lua);
  if (sha === undefined) {
    sha = createHash('sha1').update(lua).digest('hex');
    scriptShas.set(lua, sha);
  }
  try {
    return await redis.evalsha(sha, numKeys, ...keysAndArgs);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return redis.eval(lua, numKeys, ...keysAndArgs);
  }
}
