import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fromRoot } from '../../src/config/paths.js';
import { childPids } from '../../test/support/proc.js';

/** A node child process running a gateway entry point (TypeScript through tsx, or the compiled build). */
export interface NodeChild {
  proc: ChildProcess;
  /** First match of `ready` on stdout/stderr (e.g. the URL the child listens on). */
  ready: string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `node --import tsx <entry>` (or `node <entry>` for compiled JavaScript) with `env` and waits until a line matches `ready` (its first
 * capture group is returned). Child logs are discarded unless BENCH_VERBOSE is set.
 */
export async function startNode(
  entry: string,
  env: Record<string, string>,
  ready: RegExp,
  timeoutMs = 30_000,
  args: readonly string[] = [],
): Promise<NodeChild> {
  // BENCH_CPU_PROF=<dir>: each child writes a V8 CPU profile there when it exits (open in Chrome DevTools).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  // `dist/…js` runs as `npm start` runs it (compiled by `npm run build`); `.ts` through tsx.
  const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const proc = spawn(process.execPath, [...profile, ...loader, fromRoot(entry), ...args], {
    cwd: fromRoot('.'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const matched = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not get ready within ${timeoutMs} ms`)), timeoutMs);
    const onLine = (line: string): void => {
      if (process.env.BENCH_VERBOSE) process.stderr.write(`[${entry}] ${line}\n`);
      const m = ready.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] ?? m[0]);
      }
    };
    for (const stream of [proc.stdout, proc.stderr]) if (stream) createInterface({ input: stream }).on('line', onLine);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code} before it was ready`));
    });
  });
  return {
    proc,
    ready: matched,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill(signal);
      }),
  };
}

/** Resident set size of a process in MiB, from /proc (Linux); undefined elsewhere. */
export function rssMiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] === undefined ? undefined : Math.round(Number(m[1]) / 1024);
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. */
export function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command name (which may hold spaces, so split after its closing paren).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name; in clock ticks (100/s on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** CPU seconds of a process and every descendant still running (a supervisor and its children). */
export function treeCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  return (cpuSeconds(pid) ?? 0) + childPids(pid).reduce((sum, c) => sum + treeCpuSeconds(c), 0);
}

/**
 * The compiled gateway (`npm run build`, as `npm start` runs it), built now: tsx keeps every
 * transpiled module and its source map in memory (a ROLE=api process: ~390 MiB under tsx, ~200
 * compiled), so memory is measured on what production runs.
 */
export function buildGateway(): string {
  const run = spawnSync('npm', ['run', 'build'], { cwd: fromRoot('.'), stdio: 'ignore' });
  if (run.status !== 0) throw new Error('npm run build failed');
  return 'dist/src/main/gateway.js';
}

/** The env of a gateway child for benches: own prefix, no embedded Redis, quiet logs, open API. */
export function gatewayEnv(
  prefix: string,
  redisUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    PORT: '0',
    REDIS_URL: redisUrl,
    REDIS_EMBEDDED: 'false',
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'info',
    AUTH_MODE: 'open',
    RATE_LIMIT_PER_MINUTE: '0',
    METRICS_PORT: '0',
    ...extra,
  };
}

/** Matches the gateway's "listening on <url>" log line. */
export const LISTENING = /listening on (http:\/\/[^"\s]+)/;
