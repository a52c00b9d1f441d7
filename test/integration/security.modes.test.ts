import { spawn } from 'node:child_process';
import { fromRoot } from '../../src/config/paths.js';
import { isLoopbackHost, resolveAuthMode } from '../../src/security/auth-mode.js';
import { example, postMessage, startTestGateway, type TestGateway } from '../support/gateway.js';

const XDOMEA = 'examples/messages/xdomea-3.0.0-Aussonderung.0503.xml';

describe('auth mode', () => {
  it('is open by default only on loopback, and an open API on another address is refused', () => {
    expect(resolveAuthMode(undefined, '127.0.0.1')).toBe('open');
    expect(resolveAuthMode(undefined, '::1')).toBe('open');
    expect(resolveAuthMode(undefined, '0.0.0.0')).toBe('required');
    expect(resolveAuthMode('required', '127.0.0.1')).toBe('required');
    expect(() => resolveAuthMode('open', '0.0.0.0')).toThrow(/loopback/);
    expect(isLoopbackHost('192.168.1.5')).toBe(false);
  });

  it('npm start refuses AUTH_MODE=open on a non-loopback HOST with a clear message', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fromRoot('src/main/gateway.ts')], {
      env: { ...process.env, AUTH_MODE: 'open', HOST: '0.0.0.0', PORT: '0', REDIS_EMBEDDED: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /AUTH_MODE=open with HOST=0\.0\.0\.0: an API without authentication may only listen on a loopback address/,
    );
  });
});

describe('open mode on loopback, rate limits and security headers', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ RATE_LIMIT_PER_MINUTE: '5' }, 'open');
  });
  afterAll(async () => {
    await gw.close();
  });

  it('admits anonymous callers as admin of tenant default, but still refuses bad credentials', async () => {
    const res = await postMessage(gw.url, example(XDOMEA));
    expect(res.status).toBe(202);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect((await fetch(`${gw.url}/v1/standards`, { headers: { authorization: 'ApiKey nope' } })).status).toBe(401);
  });

  it('answers 429 problem+json with Retry-After beyond RATE_LIMIT_PER_MINUTE', async () => {
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 8; i++) {
      const res = await fetch(`${gw.url}/v1/standards`);
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(limited?.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    if (limited === undefined) throw new Error('no 429 answer');
    expect(((await limited.json()) as { code: string }).code).toBe('XGW_RATE_LIMITED');
    // Probes are never limited: orchestrators must always get an answer.
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
  });
});
