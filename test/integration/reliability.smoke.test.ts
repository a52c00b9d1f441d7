import { spawnSync } from 'node:child_process';
import { fromRoot } from '../../src/config/paths.js';

/**
 * Short runs of `npm run chaos` and `npm run fuzz` (the full runs are separate: RELIABILITY.md).
 * They start their own processes (and, for chaos, their own Redis), so they run as child processes.
 */
function run(script: string, args: string[]): { status: number | null; out: string } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fromRoot(script), ...args], {
    cwd: fromRoot('.'),
    encoding: 'utf8',
    timeout: 110_000,
    env: { ...process.env },
  });
  return { status: child.status, out: `${child.stdout}\n${child.stderr}` };
}

/** A numeric figure of the chaos report's `deliveries` block (the JSON object printed before the verdict). */
function deliveryFigure(out: string, name: string): number {
  const json = /\n(\{\n[\s\S]*?\n\})\n/.exec(out)?.[1];
  const report: unknown = json === undefined ? undefined : JSON.parse(json);
  const deliveries: unknown =
    typeof report === 'object' && report !== null ? Reflect.get(report, 'deliveries') : undefined;
  const value: unknown =
    typeof deliveries === 'object' && deliveries !== null ? Reflect.get(deliveries, name) : undefined;
  if (typeof value !== 'number') throw new Error(`chaos report has no deliveries.${name}:\n${out}`);
  return value;
}

/**
 * A 200-job chaos run with killed workers, 20 % LLM faults and 5 % register faults, and the checks
 * every such run must pass: nothing lost, every fact and notification at the register once (counted
 * at the register sink against the job records and ledger, not from the gateway's claims).
 */
function chaosSmoke(seed: string, extra: string[]): string {
  const { status, out } = run('scripts/chaos/chaos.ts', [
    '--jobs',
    '200',
    '--kills-every',
    '4000',
    '--seed',
    seed,
    '--max-seconds',
    '100',
    ...extra,
  ]);
  expect(out).toContain('chaos: PASSED');
  expect(out).toMatch(/"lost": 0/);
  expect(out).not.toMatch(/"workerKills": 0/);
  expect(deliveryFigure(out, 'deliveriesExpected')).toBeGreaterThan(0);
  expect(deliveryFigure(out, 'duplicateRecords')).toBe(0);
  expect(deliveryFigure(out, 'lostDeliveries')).toBe(0);
  expect(deliveryFigure(out, 'notificationsStored')).toBeGreaterThan(0);
  expect(deliveryFigure(out, 'duplicateNotifications')).toBe(0);
  expect(deliveryFigure(out, 'lostNotifications')).toBe(0);
  expect(status).toBe(0);
  return out;
}

describe('reliability smoke runs', () => {
  it('chaos: 200 jobs, killed workers, a Redis restart, 20 % LLM faults, 5 % register faults — nothing lost, no regressions, every fact at the register once', () => {
    expect(chaosSmoke('1', [])).toMatch(/"redisRestarts": 1/);
  }, 120_000);

  it('chaos --cluster: the same on a Redis Cluster whose master is killed mid-run — its replica takes over, nothing lost, the API never hangs', () => {
    const out = chaosSmoke('2', ['--cluster']);
    expect(out).toMatch(/"failoverMs": \d+/);
    expect(out).toMatch(/SIGKILL Redis master/);
  }, 120_000);

  it('fuzz: 300 seeded mutations — no 5xx, problem+json, within budget, no crash', () => {
    const { status, out } = run('scripts/fuzz/fuzz.ts', ['--inputs', '300', '--seed', '1', '--budget-ms', '5000']);
    expect(out).toContain('fuzz: PASSED');
    expect(status).toBe(0);
  }, 120_000);
});
