/**
 * The example bot (examples/bot/bot.ts) against a real gateway: it submits a task with a
 * callbackUrl, receives the signed callback, verifies it and prints the result.
 */
import { spawn } from 'node:child_process';
import { fromRoot } from '../../src/config/paths.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

describe('example bot client', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(
      { CALLBACK_SIGNING_SECRET: 'bot-secret-9c1e', OUTBOUND_ALLOWLIST: '127.0.0.1', DELIVERY_BACKOFF_MS: '50' },
      'bot',
    );
  });
  afterAll(async () => {
    await gw.close();
  });

  async function runBot(
    secret: string,
    where: Record<string, string> = { GATEWAY_URL: gw.url },
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const { GATEWAY_URL: _url, PORT: _port, ...env } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', fromRoot('examples/bot/bot.ts')], {
      env: { ...env, ...where, CALLBACK_SIGNING_SECRET: secret, BOT_TIMEOUT_MS: '8000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { code, stdout, stderr };
  }

  it('finds the gateway by PORT as the gateway reads it (issue #13)', async () => {
    const { code, stdout } = await runBot('bot-secret-9c1e', { PORT: new URL(gw.url).port });
    expect(code).toBe(0);
    expect(stdout).toMatch(/callback verified: event done/);
  }, 30_000);

  it('names the address it could not reach (issue #13)', async () => {
    const { code, stderr } = await runBot('bot-secret-9c1e', { GATEWAY_URL: 'http://127.0.0.1:1' });
    expect(code).toBe(1);
    expect(stderr).toContain('the gateway at http://127.0.0.1:1 could not be reached');
  }, 30_000);

  it('gets the signed callback, verifies it and prints the result', async () => {
    const { code, stdout, stderr } = await runBot('bot-secret-9c1e');
    expect(stderr).not.toContain('rejected');
    expect(code).toBe(0);
    expect(stdout).toMatch(/callback verified: event done, job \S+ is done/);
    expect(stdout).toContain('DE89370400440532013000');
  }, 30_000);

  it('rejects a callback signed with another secret', async () => {
    const { code, stderr } = await runBot('not-the-gateways-secret');
    expect(stderr).toContain('callback rejected: bad or stale signature');
    expect(code).toBe(1);
  }, 30_000);
});
