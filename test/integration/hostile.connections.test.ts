import { connect, type Socket } from 'node:net';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

/** Issue #11, rows 10 and 16: what unauthenticated and slow clients can hold. */
function open(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything the server sends until it closes the connection. */
function untilClosed(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.once('close', () => resolve(data));
  });
}

describe('connections: refusals before the body, timeouts, a cap', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(
      {
        AUTH_MODE: 'required',
        HTTP_HEADERS_TIMEOUT_MS: '1000',
        HTTP_REQUEST_TIMEOUT_MS: '2000',
        HTTP_MAX_CONNECTIONS: '20',
        RATE_LIMIT_PER_MINUTE: '5',
      },
      'hostile-conn',
    );
  });
  afterAll(async () => {
    await gw.close();
  });

  it.each([
    ['PUT /v1/jobs (a path without that method)', 'PUT /v1/jobs', 'application/json', '405'],
    ['POST /v1/messages without credentials', 'POST /v1/messages', 'application/xml', '401'],
    ['POST /v1/jobs without credentials', 'POST /v1/jobs', 'application/json', '401'],
  ])(
    'answers %s before reading a 100 MB body, and closes the connection (rows 10, 16)',
    async (_name, line, type, status) => {
      const socket = await open(gw.url);
      const closed = untilClosed(socket);
      socket.write(`${line} HTTP/1.1\r\nHost: x\r\nContent-Type: ${type}\r\nContent-Length: 104857600\r\n\r\n`);
      socket.write(Buffer.alloc(64 * 1024, 0x7b));
      const answer = await closed;
      expect(answer.split('\r\n')[0]).toContain(` ${status} `);
      expect(answer.toLowerCase()).toContain('connection: close');
      if (status === '405') expect(answer).toMatch(/allow: [A-Z, ]*POST/i);
    },
  );

  it('rate-limits unauthenticated traffic by address, 405s included (row 10)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++)
      statuses.push(
        (
          await fetch(`${gw.url}/v1/jobs`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json' },
            body: '{}',
          })
        ).status,
      );
    expect(statuses).toContain(429);
  });

  it('closes a connection whose headers never end, and one whose body never ends (row 16)', async () => {
    const slowHeaders = await open(gw.url);
    const headersClosed = untilClosed(slowHeaders);
    slowHeaders.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    await headersClosed;
    const slowBody = await open(gw.url);
    const bodyClosed = untilClosed(slowBody);
    slowBody.write(
      'POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: ApiKey xgw_0000000000000000_x\r\nContent-Length: 1000\r\n\r\n{',
    );
    await bodyClosed;
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
  });

  it('holds at most HTTP_MAX_CONNECTIONS connections; beyond them new ones are closed at once (row 16)', async () => {
    const held = await Promise.all(Array.from({ length: 20 }, () => open(gw.url)));
    for (const s of held) s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'); // half-open requests
    const extra = await open(gw.url);
    const extraClosed = untilClosed(extra);
    extra.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await extraClosed).toBe('');
    for (const s of held) s.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
  });
});
