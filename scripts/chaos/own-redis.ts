import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/**
 * A redis-server of the chaos run's own, on its own port and data folder, with AOF (fsync every
 * second) as production should run it, so that it can be stopped and restarted without touching
 * anybody else's Redis.
 */
export class OwnRedis {
  private proc: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'xgw-chaos-redis-'));

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.proc = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
        '--protected-mode',
        'yes',
      ],
      { stdio: process.env.CHAOS_REDIS_LOG ? 'inherit' : 'ignore' },
    );
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        if ((await probe.ping()) === 'PONG') {
          // Something answered: it must be our process, not a leftover on the same port.
          if (this.proc?.exitCode !== null || this.proc.signalCode !== null)
            throw new Error(`port ${this.port} is taken by another redis-server`);
          return;
        }
      } catch (error) {
        if (error instanceof Error && error.message.includes('is taken')) throw error;
        // not up yet
      } finally {
        probe.disconnect();
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`redis-server on ${this.port} did not start`);
  }

  /** `SHUTDOWN` (AOF flushed, as a restart by an orchestrator), or SIGKILL to lose the last second. */
  async stop(how: 'shutdown' | 'kill' = 'shutdown'): Promise<void> {
    const proc = this.proc;
    if (proc === undefined || proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(how === 'kill' ? 'SIGKILL' : 'SIGTERM'); // SIGTERM makes redis-server shut down cleanly
    await exited;
    this.proc = undefined;
  }

  /** Last resort on an abnormal exit of the chaos run: never leave a redis-server behind. */
  killNow(): void {
    this.proc?.kill('SIGKILL');
  }

  async destroy(): Promise<void> {
    await this.stop('kill');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
