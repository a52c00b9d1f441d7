import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { Redis } from 'ioredis';
import type { Logger } from '../observability/logger.js';

/** Whether a Redis answers PING at `url` within `timeoutMs`. */
export async function redisAnswers(url: string, timeoutMs = 1500): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]';
}

function redisServerOnPath(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

export interface EmbeddedRedis {
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The embedded default: when nothing answers at a loopback REDIS_URL and `redis-server` is on PATH,
 * start one as a child with AOF on and `noeviction`, data under a gitignored folder.
 * Returns undefined when a Redis already answers. Throws a one-line, actionable Error otherwise.
 */
export async function ensureRedis(
  url: string,
  options: { embedded: boolean; dataDir: string; logger: Logger },
): Promise<EmbeddedRedis | undefined> {
  if (await redisAnswers(url)) return undefined;
  const parsed = new URL(url);
  const howTo = `No Redis answers at ${parsed.host}. Start one (e.g. 'redis-server --appendonly yes --maxmemory-policy noeviction', or 'docker compose up redis') or set REDIS_URL.`;
  if (!options.embedded || !isLoopback(parsed.hostname) || !redisServerOnPath()) throw new Error(howTo);
  mkdirSync(options.dataDir, { recursive: true });
  const port = parsed.port || '6379';
  const child = spawn(
    'redis-server',
    [
      '--port',
      port,
      '--bind',
      '127.0.0.1',
      '--dir',
      options.dataDir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--maxmemory-policy',
      'noeviction',
      '--save',
      '',
    ],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    if (await redisAnswers(url, 500)) {
      options.logger.warn(
        { port, dataDir: options.dataDir, pid: child.pid },
        'started an embedded redis-server (AOF on); use a managed Redis in production',
      );
      return {
        child,
        stop: () =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(howTo);
}
