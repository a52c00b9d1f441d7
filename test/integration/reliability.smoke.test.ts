import { spawnSync } from 'node:child_process';
import { fromRoot } from '../../src/config/paths.js';

/**
 * Short runs of `npm run chaos` and `npm run fuzz` (the full runs are separate: RELIABILITY.md).
 * They start their own processes (and, for chaos, their own Redis), so they run as child processes.
 */
function run(script: string, args: string[]): { status: number | null; out: string } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fromRoot(script), ...args], { cwd: fromRoot('.'), encoding: 'utf8', timeout: 110_000, env: { ...process.env } });
  return { status: child.status, out: `${child.stdout}\n${child.stderr}` };
}

describe('reliability smoke runs', () => {
  it('chaos: 200 jobs, killed workers, a Redis restart, 20 % LLM faults — nothing lost, no regressions, 503 while Redis is away', () => {
    const { status, out } = run('scripts/chaos/chaos.ts', ['--jobs', '200', '--kills-every', '4000', '--seed', '1', '--max-seconds', '100']);
    expect(out).toContain('chaos: PASSED');
    expect(out).toMatch(/"lost": 0/);
    expect(out).toMatch(/"redisRestarts": 1/);
    expect(out).not.toMatch(/"workerKills": 0/);
    expect(status).toBe(0);
  }, 120_000);

  it('fuzz: 300 seeded mutations — no 5xx, problem+json, within budget, no crash', () => {
    const { status, out } = run('scripts/fuzz/fuzz.ts', ['--inputs', '300', '--seed', '1', '--budget-ms', '5000']);
    expect(out).toContain('fuzz: PASSED');
    expect(status).toBe(0);
  }, 120_000);
});
