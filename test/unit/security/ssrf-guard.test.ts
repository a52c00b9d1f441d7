import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../../../src/errors/app-error.js';
import { isPublicAddress, parseAllowlist } from '../../../src/security/outbound-policy.js';
import { assertSafeUrl, safeFetch, type OutboundPolicy } from '../../../src/security/ssrf-guard.js';

const NONE: OutboundPolicy = { allowlist: [] };

async function blockedBy(p: Promise<unknown>): Promise<string> {
  const error: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect(error instanceof AppError ? error.code : '').toBe('XGW_OUTBOUND_BLOCKED');
  return error instanceof AppError ? (error.detail ?? '') : '';
}

/** A local HTTP server whose handler the test chooses per path. */
async function serve(
  handler: (path: string, res: import('node:http').ServerResponse) => void,
): Promise<{ port: number; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    handler(req.url ?? '', res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address: AddressInfo | string | null = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    hits,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

describe('SSRF guard: what is refused', () => {
  it.each([
    'https://127.0.0.1/',
    'https://127.8.9.10/',
    'https://localhost/', // a name that resolves to loopback: checked after DNS
    'https://[::1]/',
    'https://0.0.0.0/',
    'https://[::]/',
    'https://10.1.2.3/',
    'https://172.16.0.1/',
    'https://192.168.1.1/',
    'https://100.64.0.1/',
    'https://169.254.169.254/latest/meta-data/',
    'https://[fe80::1]/',
    'https://[fc00::1]/',
    'https://[fd12:3456::1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://[::ffff:10.0.0.1]/',
    'https://[64:ff9b::a00:1]/', // NAT64 of 10.0.0.1
    'https://224.0.0.1/',
    'https://[::7f00:1]/', // IPv4-compatible ::127.0.0.1 (issue #11)
    'https://[::a00:1]/', // IPv4-compatible ::10.0.0.1
  ])('%s', async (url) => {
    expect(await blockedBy(assertSafeUrl(url, NONE))).toMatch(/loopback|private|reserved/);
  });

  it('refuses plain http, other schemes and credentials in the URL', async () => {
    expect(await blockedBy(assertSafeUrl('http://93.184.215.14/', NONE))).toMatch(/https/);
    expect(await blockedBy(assertSafeUrl('file:///etc/passwd', NONE))).toMatch(/Scheme/);
    expect(await blockedBy(assertSafeUrl('https://user:pw@93.184.215.14/', NONE))).toMatch(/Credentials/);
  });

  it('accepts https to a public address', async () => {
    await expect(assertSafeUrl('https://93.184.215.14/', NONE)).resolves.toEqual([
      { address: '93.184.215.14', family: 4 },
    ]);
    expect(isPublicAddress('2a00:1450:4001:82b::200e')).toBe(true);
  });

  it('accepts allow-listed hosts, host:port and CIDR ranges, also over http', async () => {
    await expect(
      assertSafeUrl('http://localhost:8081/x', { allowlist: parseAllowlist('localhost:8081') }),
    ).resolves.toBeDefined();
    await expect(
      blockedBy(assertSafeUrl('http://localhost:8082/x', { allowlist: parseAllowlist('localhost:8081') })),
    ).resolves.toBeDefined();
    await expect(
      assertSafeUrl('http://10.20.30.40/', { allowlist: parseAllowlist('10.20.0.0/16') }),
    ).resolves.toBeDefined();
    await expect(
      assertSafeUrl('https://[::ffff:10.20.30.40]/', { allowlist: parseAllowlist('10.20.0.0/16') }),
    ).resolves.toBeDefined();
    await expect(
      blockedBy(assertSafeUrl('http://10.21.0.1/', { allowlist: parseAllowlist('10.20.0.0/16') })),
    ).resolves.toBeDefined();
  });

  it('parses OUTBOUND_ALLOWLIST and refuses bad entries', () => {
    expect(parseAllowlist(' register.intern , 10.0.0.0/8, [fd00::1]:8443, kfz.intern:8080 ')).toHaveLength(4);
    expect(() => parseAllowlist('10.0.0.0/99')).toThrow(/CIDR/);
  });
});

describe('safeFetch against local servers', () => {
  it('fetches from an allow-listed local server and returns a Response', async () => {
    const s = await serve((_p, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    try {
      const res = await safeFetch(
        `http://127.0.0.1:${s.port}/hook`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
        { allowlist: parseAllowlist(`127.0.0.1:${s.port}`) },
      );
      expect(res.status).toBe(200);
      await expect(res.json()).resolves.toEqual({ ok: true });
    } finally {
      await s.close();
    }
  });

  it('refuses the same server when it is not allow-listed (no connection is made)', async () => {
    const s = await serve((_p, res) => res.writeHead(200).end('x'));
    try {
      await blockedBy(safeFetch(`http://127.0.0.1:${s.port}/`, {}, NONE));
      expect(s.hits).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('refuses a redirect to a private address (302), re-checked on every hop', async () => {
    const inner = await serve((_p, res) => res.writeHead(200).end('secret metadata'));
    const outer = await serve((p, res) => {
      if (p === '/to-private') res.writeHead(302, { location: 'http://10.0.0.1/latest/meta-data/' }).end();
      else if (p === '/to-loopback') res.writeHead(302, { location: `http://localhost:${inner.port}/` }).end();
      else res.writeHead(404).end();
    });
    const policy: OutboundPolicy = { allowlist: parseAllowlist(`127.0.0.1:${outer.port}`) };
    try {
      expect(await blockedBy(safeFetch(`http://127.0.0.1:${outer.port}/to-private`, {}, policy))).toMatch(
        /10\.0\.0\.1/,
      );
      expect(await blockedBy(safeFetch(`http://127.0.0.1:${outer.port}/to-loopback`, {}, policy))).toMatch(
        /loopback|https/,
      );
      expect(inner.hits).toEqual([]);
    } finally {
      await outer.close();
      await inner.close();
    }
  });

  it('follows allowed redirects up to the limit, then refuses', async () => {
    const s = await serve((p, res) => {
      const n = Number(p.slice(1));
      if (n < 5) res.writeHead(307, { location: `/${n + 1}` }).end();
      else res.writeHead(200).end(`landed at ${n}`);
    });
    const allowlist = parseAllowlist(`127.0.0.1:${s.port}`);
    try {
      await expect(
        (await safeFetch(`http://127.0.0.1:${s.port}/2`, {}, { allowlist, maxRedirects: 3 })).text(),
      ).resolves.toBe('landed at 5');
      expect(await blockedBy(safeFetch(`http://127.0.0.1:${s.port}/0`, {}, { allowlist, maxRedirects: 3 }))).toMatch(
        /redirects/,
      );
    } finally {
      await s.close();
    }
  });

  it('enforces the response size limit and the timeout', async () => {
    const s = await serve((p, res) => {
      if (p === '/big') res.writeHead(200).end(Buffer.alloc(64 * 1024, 1));
      // '/slow' never answers
    });
    const allowlist = parseAllowlist(`127.0.0.1:${s.port}`);
    try {
      expect(
        await blockedBy(safeFetch(`http://127.0.0.1:${s.port}/big`, {}, { allowlist, maxResponseBytes: 1024 })),
      ).toMatch(/exceeds/);
      await expect(
        safeFetch(`http://127.0.0.1:${s.port}/slow`, {}, { allowlist, timeoutMs: 200 }),
      ).rejects.toMatchObject({ name: expect.stringMatching(/TimeoutError|AbortError/) });
    } finally {
      await s.close();
    }
  });
});
