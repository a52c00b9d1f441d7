import { request } from 'node:http';
import { example, startTestGateway, type TestGateway } from '../support/gateway.js';

/**
 * DNS rebinding protection of an open gateway (no credentials, loopback): a page on another site
 * whose name resolves to 127.0.0.1 sends its own name as Host; the gateway answers only to its own
 * names — on every route, the fast path of POST /v1/messages and /mcp included.
 */
describe('an open gateway answers only to its own names', () => {
  let gw: TestGateway;
  let port: string;
  beforeAll(async () => {
    gw = await startTestGateway({ PUBLIC_URL: 'http://xoev.lindenfurt.example' }, 'host-check');
    port = new URL(gw.url).port;
  });
  afterAll(async () => {
    await gw.close();
  });

  /** node:http, not fetch: fetch does not let a caller set Host, a rebound page's browser does. */
  const send = (
    method: string,
    path: string,
    host: string,
    body?: { type: string; data: Buffer | string },
  ): Promise<{ status: number; type: string; text: string }> =>
    new Promise((resolve, reject) => {
      const req = request(
        `${gw.url}${path}`,
        {
          method,
          headers: {
            host,
            accept: 'application/json, text/event-stream',
            ...(body === undefined
              ? {}
              : { 'content-type': body.type, 'content-length': Buffer.byteLength(body.data) }),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString('utf8')));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), text }),
          );
        },
      );
      req.on('error', reject);
      req.end(body?.data);
    });

  it('refuses a rebound name with a 403 problem on REST routes, the fast path and /mcp', async () => {
    const evil = `rebind.attacker.example:${port}`;
    const standards = await send('GET', '/v1/standards', evil);
    expect(standards.status).toBe(403);
    expect(standards.type).toContain('application/problem+json');
    expect(JSON.parse(standards.text)).toMatchObject({
      code: 'XGW_AUTH_FORBIDDEN',
      detail: expect.stringContaining('DNS rebinding'),
    });
    const xml = example('examples/messages/xdomea-3.0.0-Widerspruch.0503.xml');
    const message = await send('POST', '/v1/messages', evil, { type: 'application/xml', data: xml });
    expect(message.status).toBe(403);
    expect(JSON.parse(message.text)).toMatchObject({ code: 'XGW_AUTH_FORBIDDEN' });
    const mcp = await send('POST', '/mcp', evil, {
      type: 'application/json',
      data: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(mcp.status).toBe(403);
    expect((await send('GET', '/v1/standards', 'localhost.attacker.example')).status).toBe(403);
  });

  it('answers loopback names on any port and PUBLIC_URL host', async () => {
    for (const host of [
      `localhost:${port}`,
      `127.0.0.1:${port}`,
      `[::1]:${port}`,
      'localhost:9000',
      `127.0.1.1:${port}`,
    ])
      expect([host, (await send('GET', '/v1/standards', host)).status]).toEqual([host, 200]);
    expect((await send('GET', '/v1/standards', 'xoev.lindenfurt.example')).status).toBe(200);
    expect((await send('GET', '/v1/standards', 'XOEV.Lindenfurt.example:443')).status).toBe(200);
    const xml = example('examples/messages/xdomea-3.0.0-Widerspruch.0503.xml');
    const message = await send('POST', '/v1/messages', `localhost:${port}`, { type: 'application/xml', data: xml });
    expect([202, 200]).toContain(message.status);
  });
});
