// Starts the local Redis Cluster the `redis-cluster` test project runs against (jest.config.js).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup() {
  const script = fileURLToPath(new URL('../../scripts/cluster/redis-cluster.sh', import.meta.url));
  execFileSync('bash', [script, 'start', process.env.REDIS_CLUSTER_BASE ?? '7100'], { stdio: 'ignore' });
}
