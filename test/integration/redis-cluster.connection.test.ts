import { Cluster } from 'ioredis';
import { TEST_REDIS_CLUSTER_NODES, testRedis } from '../support/redis.js';

/**
 * Issue #20: in the `redis-cluster` project (jest.config.js) the suites really run on the cluster:
 * the helpers connect to it, and it is whole. In the other project this file checks nothing more
 * than that the helpers reach the one Redis.
 */
it('reaches the Redis the project names (a whole cluster in the redis-cluster project)', async () => {
  const redis = testRedis();
  try {
    if (TEST_REDIS_CLUSTER_NODES === undefined) {
      expect(await redis.ping()).toBe('PONG');
      return;
    }
    expect(redis).toBeInstanceOf(Cluster);
    expect(String(await redis.cluster('INFO'))).toContain('cluster_state:ok');
    expect(redis instanceof Cluster ? redis.nodes('master').length : 0).toBe(3);
  } finally {
    redis.disconnect();
  }
});
