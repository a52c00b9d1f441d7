import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fromRoot } from '../../src/config/paths.js';
import { cleanPrefix, testPrefix, TEST_REDIS_URL } from '../support/redis.js';

/** The processes below `pid` (Linux /proc), deepest last. */
function descendants(pid: number): number[] {
  const children = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === pid ? [Number(d)] : [];
      } catch {
        return [];
      }
    });
  return children.flatMap((c) => [c, ...descendants(c)]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Issue #13, point 2: `npm start` and SIGTERM (or Ctrl-C) leave no gateway running. */
describe('npm start', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'shuts down gracefully on %s to npm, with no orphan process',
    async (signal) => {
      const prefix = testPrefix('npmstart');
      const npm = spawn('npm', ['start', '--silent'], {
        cwd: fromRoot('.'),
        env: {
          ...process.env,
          PORT: '0',
          REDIS_URL: TEST_REDIS_URL,
          REDIS_EMBEDDED: 'false',
          QUEUE_PREFIX: prefix,
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        const url = await new Promise<string>((resolve, reject) => {
          let out = '';
          const timer = setTimeout(() => reject(new Error(`no "listening" line: ${out.slice(-500)}`)), 60_000);
          npm.stdout?.on('data', (chunk: Buffer) => {
            out += chunk.toString('utf8');
            const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
            if (m?.[1] !== undefined) {
              clearTimeout(timer);
              resolve(m[1]);
            }
          });
        });
        expect((await fetch(`${url}/healthz`)).status).toBe(200);
        const below = descendants(npm.pid ?? 0);
        expect(below.length).toBeGreaterThan(0);
        const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
        npm.kill(signal);
        await exited;
        // Give a gateway that did not get the signal the time it would take to notice: it must be gone.
        await new Promise((r) => setTimeout(r, 500));
        expect(below.filter(alive)).toEqual([]);
      } finally {
        for (const pid of descendants(npm.pid ?? 0)) process.kill(pid, 'SIGKILL');
        await cleanPrefix(prefix);
      }
    },
    90_000,
  );
});
