// Stops the local Redis Cluster of the `redis-cluster` test project.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function teardown() {
  const script = fileURLToPath(new URL('../../scripts/cluster/redis-cluster.sh', import.meta.url));
  execFileSync('bash', [script, 'stop', process.env.REDIS_CLUSTER_BASE ?? '7100'], { stdio: 'ignore' });
}
