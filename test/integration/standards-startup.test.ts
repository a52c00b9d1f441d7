import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromRoot } from '../../src/config/paths.js';

/**
 * Issue #13, point 8: a broken standard folder stops the gateway and the CLI with a message that
 * names file and field (exit 2), never a raw ENOENT or a stack trace.
 */
async function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    env: { ...process.env, PORT: '0', REDIS_EMBEDDED: 'false', LOG_LEVEL: 'silent', ROLE: 'worker', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stderr };
}

describe('a broken standard folder at start-up', () => {
  let dir: string;
  let descriptor: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xoev-broken-'));
    cpSync(fromRoot('test/fixtures/xmeldung/1.0'), join(dir, 'xmeldung', '1.0'), { recursive: true });
    descriptor = join(dir, 'xmeldung', '1.0', 'standard.json');
    const d = JSON.parse(readFileSync(descriptor, 'utf8'));
    d.codeLists = 'codelisten';
    writeFileSync(descriptor, JSON.stringify(d));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stops the gateway naming file and field, no stack trace', async () => {
    const { code, stderr } = await run([fromRoot('src/main/gateway.ts')], { XOEV_SCHEMAS_DIR: dir });
    expect(code).toBe(2);
    expect(stderr).toContain(`XGW_CONFIG_INVALID: ${descriptor}: field /codeLists`);
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 30_000);

  it('stops xoev-gw validate the same way', async () => {
    const { code, stderr } = await run(
      [
        fromRoot('src/main/cli.ts'),
        'validate',
        '--schemas',
        dir,
        fromRoot('test/fixtures/xmeldung/buerger.hinweis.0001.xml'),
      ],
      {},
    );
    expect(code).toBe(2);
    expect(stderr).toContain(`XGW_CONFIG_INVALID: ${descriptor}: field /codeLists`);
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 30_000);
});
