import { Redis, type RedisOptions } from 'ioredis';

/**
 * Redis connections for the gateway. BullMQ workers need `maxRetriesPerRequest: null` (blocking
 * commands must wait out a Redis restart); API connections fail fast instead, so a request never
 * hangs while Redis is away and the caller gets a 503.
 */
export function createRedis(url: string, purpose: 'api' | 'worker', extra: RedisOptions = {}): Redis {
  const common: RedisOptions = {
    connectionName: `xoev-gw-${purpose}`,
    enableReadyCheck: true,
    // Reconnect with a short capped delay: Redis restarts are expected (AOF), not fatal.
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...extra,
  };
  if (purpose === 'worker') return new Redis(url, { ...common, maxRetriesPerRequest: null });
  return new Redis(url, {
    ...common,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    commandTimeout: 5000,
  });
}

/** Reads `maxmemory-policy`; BullMQ loses jobs under any policy but `noeviction`. */
export async function maxmemoryPolicy(redis: Redis): Promise<string | undefined> {
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
export function whenReady(redis: Redis, timeoutMs: number): Promise<void> {
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
