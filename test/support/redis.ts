import { randomUUID } from 'node:crypto';
import { createRedis, type RedisClient, type RedisTarget, scanKeys } from '../../src/jobs/redis-connection.js';

export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/**
 * Set (host:port,…) when the suite runs against a Redis Cluster: in jest's `redis-cluster` project
 * (jest.config.js gives it as a global), or by hand with REDIS_CLUSTER_NODES.
 */
const clusterGlobal: unknown = Reflect.get(globalThis, 'xgwRedisClusterNodes');
export const TEST_REDIS_CLUSTER_NODES =
  typeof clusterGlobal === 'string' ? clusterGlobal : process.env.REDIS_CLUSTER_NODES;

/** The settings that point a gateway at the test Redis (one server, or the cluster). */
export function testRedisEnv(): Record<string, string> {
  return {
    REDIS_URL: TEST_REDIS_URL,
    ...(TEST_REDIS_CLUSTER_NODES === undefined ? {} : { REDIS_CLUSTER_NODES: TEST_REDIS_CLUSTER_NODES }),
  };
}

/** A connection to the test Redis (one server, or the cluster) for a test to look into it. */
export function testRedis(): RedisClient {
  return createRedis(
    TEST_REDIS_CLUSTER_NODES === undefined
      ? TEST_REDIS_URL
      : { url: TEST_REDIS_URL, clusterNodes: TEST_REDIS_CLUSTER_NODES },
    'worker',
  );
}

/** A unique key prefix per test file, so suites never see each other's queues or records. */
export function testPrefix(name: string): string {
  return `xgwtest-${name}-${randomUUID().slice(0, 8)}`;
}

/** Deletes every key under the prefix (run in afterAll), in the test Redis or the one named. */
export async function cleanPrefix(prefix: string, target?: RedisTarget): Promise<void> {
  const redis = target === undefined ? testRedis() : createRedis(target, 'worker');
  try {
    // A command per key (sent together): on a cluster the keys of one DEL must share a slot.
    let batch: Promise<number>[] = [];
    for await (const key of scanKeys(redis, `${prefix}:*`)) {
      batch.push(redis.del(key));
      if (batch.length >= 500) {
        await Promise.all(batch);
        batch = [];
      }
    }
    await Promise.all(batch);
  } finally {
    redis.disconnect();
  }
}
