import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromRoot } from '../../src/config/paths.js';
import { childPids } from '../support/proc.js';
import { freePort } from '../support/ports.js';
import { spawnGateway } from '../support/gateway.js';
import { cleanPrefix, testPrefix } from '../support/redis.js';
import { until } from '../support/until.js';

/**
 * The gateway processes a supervisor runs: its children that run the gateway (under tsx the
 * supervisor also has esbuild's service process as a child, which must not be taken for one).
 */
function gatewayChildren(pid: number): number[] {
  return childPids(pid).filter((child) => {
    try {
      return readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('gateway');
    } catch {
      return false;
    }
  });
}

/** The supervisor's gateway children once there are two, none of them in `gone` (a killed one's place taken). */
function twoChildren(primary: number, gone?: number): Promise<number[]> {
  return until(
    () => gatewayChildren(primary),
    (c) => c.length === 2 && (gone === undefined || !c.includes(gone)),
    90_000,
  );
}

/**
 * Issue #20, every core used: PROCESSES=2 runs two API processes sharing one port under a
 * supervisor. A process that dies is replaced (also while it starts); SIGHUP replaces both one by one while requests keep
 * being answered; SIGTERM stops them all.
 */
it('runs N gateway processes on one port, replaces a dead one, restarts them without a gap, stops them all', async () => {
  const prefix = testPrefix('processes');
  const port = await freePort();
  const child = spawnGateway({ QUEUE_PREFIX: prefix, ROLE: 'api', PROCESSES: '2', PORT: String(port) });
  const primary = child.pid ?? 0;
  const url = `http://127.0.0.1:${port}`;
  const answers = async (): Promise<number> => (await fetch(`${url}/readyz`).catch(() => undefined))?.status ?? 0;
  try {
    // Started with tsx on two shared cores: the start-up may take long; what follows is the point.
    const two = await twoChildren(primary);
    expect(two).toHaveLength(2);
    // One is killed while it still starts (tsx takes seconds): it is replaced, nothing gives up.
    process.kill(two[0] ?? 0, 'SIGKILL');
    const afterStart = await twoChildren(primary, two[0]);
    expect(afterStart).toHaveLength(2);
    await until(answers, (s) => s === 200, 60_000);
    const statuses = await Promise.all(Array.from({ length: 20 }, answers));
    expect(statuses).toEqual(Array.from({ length: 20 }, () => 200));

    // One dies later: another takes its place, the port keeps answering.
    process.kill(two[1] ?? 0, 'SIGKILL');
    const replaced = await twoChildren(primary, two[1]);
    expect(replaced).toHaveLength(2);
    // A keep-alive connection the dead process held fails once (a client retries); then it answers.
    expect(await until(answers, (status) => status === 200, 30_000)).toBe(200);

    // SIGHUP: both replaced one by one; requests meanwhile are all answered.
    let restarting = true;
    const during: number[] = [];
    const load = (async () => {
      while (restarting) {
        during.push(await answers());
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    process.kill(primary, 'SIGHUP');
    const fresh = await until(
      () => gatewayChildren(primary),
      (c) => c.length === 2 && c.every((pid) => !replaced.includes(pid)),
      120_000,
    );
    restarting = false;
    await load;
    expect(fresh.every((pid) => !replaced.includes(pid))).toBe(true);
    expect(during.length).toBeGreaterThan(10);
    expect(during.filter((s) => s !== 200)).toEqual([]);

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(fresh.filter((pid) => existsSync(`/proc/${pid}`))).toEqual([]);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await cleanPrefix(prefix);
  }
}, 300_000);

/**
 * A replacement that cannot start (its standards folder is gone: it exits by itself, code 2) is tried
 * again within the restart budget rather than given up on, so the supervisor gets its full count back
 * once the cause is fixed — instead of serving on a process short.
 */
it('keeps replacing a dead process while its replacements cannot start, until they can', async () => {
  const root = mkdtempSync(join(tmpdir(), 'xgw-processes-'));
  const schemas = join(root, 'xoev-schemas');
  cpSync(fromRoot('xoev-schemas'), schemas, { recursive: true });
  const prefix = testPrefix('processes-retry');
  const port = await freePort();
  const child = spawnGateway({
    QUEUE_PREFIX: prefix,
    ROLE: 'api',
    PROCESSES: '2',
    PORT: String(port),
    XOEV_SCHEMAS_DIR: schemas,
  });
  const primary = child.pid ?? 0;
  const answers = async (): Promise<number> =>
    (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status ?? 0;
  try {
    const two = await twoChildren(primary);
    expect(two).toHaveLength(2);
    await until(answers, (s) => s === 200, 60_000);
    renameSync(schemas, `${schemas}.away`);
    process.kill(two[0] ?? 0, 'SIGKILL');
    // Replacements start, find no standards and exit; the supervisor starts more.
    const tried = new Set<number>();
    await until(
      () => {
        for (const pid of gatewayChildren(primary)) if (!two.includes(pid)) tried.add(pid);
        return tried.size;
      },
      (n) => n >= 2,
      90_000,
    );
    expect(tried.size).toBeGreaterThanOrEqual(2);
    expect(child.exitCode).toBeNull();
    renameSync(`${schemas}.away`, schemas);
    const back = await until(
      async () => (await answers()) === 200 && gatewayChildren(primary).length === 2,
      (ok) => ok,
      90_000,
    );
    expect(back).toBe(true);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
    await cleanPrefix(prefix);
  }
}, 300_000);
