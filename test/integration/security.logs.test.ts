import type { RedisClient } from '../../src/jobs/redis-connection.js';
import { ApiKeyStore } from '../../src/security/api-key-store.js';
import { example, startTestGateway, type TestGateway } from '../support/gateway.js';
import { testRedis } from '../support/redis.js';

const XDOMEA = 'examples/messages/xdomea-3.0.0-Aussonderung.0503.xml';

/** Personal data a citizen might write into a free-text field. */
const SEEDED = [
  'Annegret Wiesenthal-Kowalski',
  'Jürgen Oberhäuser',
  'DE89 3704 0044 0532 0130 00',
  'DE89370400440532013000',
  'annegret.wiesenthal@example.org',
  '86095742719',
  'Lindenallee 47',
];

describe('logs never carry message content, personal data or secrets', () => {
  let gw: TestGateway;
  let redis: RedisClient;
  const lines: string[] = [];
  beforeAll(async () => {
    // The most verbose level, so that anything any component logs is captured.
    gw = await startTestGateway({ LOG_LEVEL: 'trace' }, 'logs', {
      logDestination: { write: (line: string) => void lines.push(line) },
    });
    redis = testRedis();
  });
  afterAll(async () => {
    await gw.close();
    redis.disconnect();
  });

  it('processes a message full of personal data to done without any of it in the log', async () => {
    const { key } = await new ApiKeyStore(redis, gw.prefix).create({
      name: 'log-test',
      roles: ['submitter'],
      tenant: 'default',
    });
    const remark = `Antragstellerin ${SEEDED[0]}, Lindenallee 47, 12345 Musterstadt, Steuer-ID 86095742719, Erstattung auf ${SEEDED[2]}; Rückfragen an ${SEEDED[4]}. Vertreten durch Herrn ${SEEDED[1]}.`;
    const body = example(XDOMEA)
      .toString('utf8')
      .replace('9fde4e7a-b41b-11ec-9225-005056871b7c', '55555555-2222-4333-8444-555555555555')
      .replace('[Freitext-Bemerkungsfeld]', remark);
    const headers = { authorization: `ApiKey ${key}` };
    const res = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/xml' },
      body,
    });
    expect(res.status).toBe(202);
    const { location } = (await res.json()) as { location: string };
    let state = '';
    for (let i = 0; i < 200 && !['done', 'review', 'failed'].includes(state); i++) {
      await new Promise((r) => setTimeout(r, 50));
      state = ((await (await fetch(gw.url + location, { headers })).json()) as { state: string }).state;
    }
    expect(state).toBe('done');
    // A broken request and a bad key must not put content or secrets into the log either.
    await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/xml' },
      body: `<x>${SEEDED[0]}`,
    });
    await fetch(`${gw.url}/v1/standards`, { headers: { authorization: `ApiKey ${key.slice(0, -4)}abcd` } });

    const log = lines.join('');
    expect(log.length).toBeGreaterThan(0);
    // The secret is base64url and may itself contain '_', so cut after the fixed-length prefix `xgw_<16 hex>_`.
    const secret = key.slice('xgw_'.length + 16 + 1);
    expect(secret).toHaveLength(43);
    for (const s of [...SEEDED, key, secret]) expect([s, log.includes(s)]).toEqual([s, false]);
  });
});
