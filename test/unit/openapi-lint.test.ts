import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fromRoot } from '../../src/config/paths.js';

// The CLI's own entry point, run with this node (no npx, no network), with redocly.yaml from the root.
const CLI = join(dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin', 'cli.js');

describe('openapi/gateway.yaml', () => {
  it('passes `redocly lint` (recommended rules, redocly.yaml) without errors', () => {
    const run = spawnSync(process.execPath, [CLI, 'lint', 'openapi/gateway.yaml', '--format=stylish'], {
      cwd: fromRoot('.'),
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    const output = `${run.stdout}\n${run.stderr}`;
    const errors = output.split('\n').filter((line) => /^\s*\d+:\d+\s+error\s/.test(line));
    expect(errors).toEqual([]);
    expect(run.status).toBe(0);
  });
});
