import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromRoot } from '../../src/config/paths.js';

const SCRIPT = fromRoot('scripts/cluster/redis-cluster.sh');

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A Redis Cluster of the chaos run's own (`--cluster`): 3 masters with a replica each on six free
 * loopback ports (and their bus ports, +10000), AOF every second, started and faulted through
 * scripts/cluster/redis-cluster.sh. The fault is a master killed with SIGKILL: its replica takes
 * over its slots; the killed node comes back later as a replica.
 */
export class OwnCluster {
  private readonly dir = mkdtempSync(join(tmpdir(), 'xgw-chaos-cluster-'));
  private base = 0;

  get url(): string {
    return `redis://127.0.0.1:${this.base}`;
  }

  get nodes(): string {
    return Array.from({ length: 6 }, (_, i) => `127.0.0.1:${this.base + i}`).join(',');
  }

  private run(...args: string[]): string {
    const out = spawnSync('bash', [SCRIPT, ...args], {
      encoding: 'utf8',
      env: { ...process.env, REDIS_CLUSTER_DIR: this.dir, REDIS_CLUSTER_AOF: 'yes' },
    });
    if (out.status !== 0) throw new Error(`redis-cluster.sh ${args.join(' ')}: ${out.stderr}`);
    return out.stdout;
  }

  async start(): Promise<void> {
    for (let tries = 0; tries < 50 && this.base === 0; tries++) {
      const base = 21000 + Math.floor(Math.random() * 3000);
      const ports = Array.from({ length: 6 }, (_, i) => base + i);
      const free = await Promise.all([...ports, ...ports.map((p) => p + 10000)].map(portFree));
      if (free.every(Boolean)) this.base = base;
    }
    if (this.base === 0) throw new Error('no six free ports for the cluster');
    this.run('start', String(this.base));
  }

  /** SIGKILLs a master; returns its port. */
  killMaster(): number {
    const port = Number(/:(\d+)/.exec(this.run('kill-master', String(this.base)))?.[1]);
    if (!Number.isInteger(port)) throw new Error('no master was killed');
    return port;
  }

  /** Waits until every live node says the cluster is whole again (a replica took over); ms waited. */
  async healed(killed: number, timeoutMs = 30_000): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      const out = spawnSync('bash', [SCRIPT, 'healthy', String(this.base), String(killed)], {
        env: { ...process.env, REDIS_CLUSTER_DIR: this.dir },
      });
      if (out.status === 0) return Date.now() - started;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the cluster did not heal within ${timeoutMs} ms`);
  }

  /** The killed node starts again and rejoins (as a replica of the node that took over). */
  restart(port: number): void {
    this.run('restart-node', String(this.base), String(port));
  }

  /** Last resort on an abnormal exit: never leave redis-servers behind. */
  killNow(): void {
    if (this.base !== 0)
      spawnSync('bash', [SCRIPT, 'stop', String(this.base)], { env: { ...process.env, REDIS_CLUSTER_DIR: this.dir } });
  }

  async destroy(): Promise<void> {
    this.killNow();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
