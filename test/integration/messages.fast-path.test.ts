import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/observability/logger.js';
import { startRuntime, type GatewayRuntime } from '../../src/main/gateway-runtime.js';
import { buildServices, type Services } from '../../src/main/services.js';
import { ApiKeyStore } from '../../src/security/api-key-store.js';
import { cleanPrefix, testPrefix, testRedis, testRedisEnv } from '../support/redis.js';
import { example } from '../support/gateway.js';

/**
 * POST /v1/messages answers the same on the node:http fast path as through express (router,
 * express-openapi-validator, response validation): every case is sent to one gateway of each kind
 * and status, headers that carry meaning, and body must be equal. Cases the fast path does not
 * admit (wrong media type, bad Idempotency-Key, query string) are in the list too: they must be
 * handed to express and answered as before.
 */
const XDOMEA = 'examples/messages/xdomea-3.0.0-Aussonderung.0503.xml';
const UUID = '9fde4e7a-b41b-11ec-9225-005056871b7c';
const HEADERS = [
  'content-type',
  'location',
  'retry-after',
  'www-authenticate',
  'content-security-policy',
  'x-content-type-options',
  'strict-transport-security',
  'cache-control',
];

interface Side {
  runtime: GatewayRuntime;
  services: Services;
  prefix: string;
  url: string;
  keys: Record<string, string>;
}

async function start(fastPath: boolean): Promise<Side> {
  const prefix = testPrefix(fastPath ? 'fast' : 'express');
  const config = loadConfig({
    PORT: '0',
    ...testRedisEnv(),
    REDIS_EMBEDDED: 'false',
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    AUTH_MODE: 'required',
    RATE_LIMIT_PER_MINUTE: '20',
    MAX_BODY_BYTES: '8192',
    ROLE: 'api',
  });
  const logger = createLogger(config.logLevel);
  const services = await buildServices(config, logger);
  const runtime = await startRuntime({ config, logger, ...services, validateResponses: true, fastPath });
  const redis = testRedis();
  const store = new ApiKeyStore(redis, prefix);
  const keys: Record<string, string> = {};
  for (const role of ['submitter', 'reviewer'] as const)
    keys[role] = (await store.create({ name: role, roles: [role], tenant: 'a' })).key;
  keys['limited'] = (await store.create({ name: 'limited', roles: ['submitter'], tenant: 'a' })).key;
  redis.disconnect();
  return { runtime, services, prefix, url: runtime.url ?? '', keys };
}

function message(n: number, extra = ''): string {
  return (
    example(XDOMEA)
      .toString('utf8')
      .replace(UUID, `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`) + extra
  );
}

interface Case {
  name: string;
  path?: string;
  key?: string;
  headers?: Record<string, string>;
  body: string;
}

const CASES: Case[] = [
  { name: 'accepted', key: 'submitter', body: message(1) },
  { name: 'duplicate', key: 'submitter', body: message(1) },
  {
    name: 'charset parameter',
    key: 'submitter',
    headers: { 'content-type': 'text/xml; charset=utf-8' },
    body: message(2),
  },
  { name: 'idempotency key', key: 'submitter', headers: { 'idempotency-key': 'k-1' }, body: message(3) },
  {
    name: 'same idempotency key, other message',
    key: 'submitter',
    headers: { 'idempotency-key': 'k-1' },
    body: message(4),
  },
  {
    name: 'idempotency key too long (express)',
    key: 'submitter',
    headers: { 'idempotency-key': 'k'.repeat(201) },
    body: message(5),
  },
  { name: 'empty idempotency key (express)', key: 'submitter', headers: { 'idempotency-key': '' }, body: message(5) },
  { name: 'query string (express)', key: 'submitter', path: '/v1/messages?x=1', body: message(6) },
  {
    name: 'json media type (express)',
    key: 'submitter',
    headers: { 'content-type': 'application/json' },
    body: '{"a":1}',
  },
  { name: 'malformed xml', key: 'submitter', body: '<?xml version="1.0"?>\n<a>\n  <b></a>' },
  { name: 'doctype', key: 'submitter', body: '<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY x "y">]>\n<a>&x;</a>' },
  {
    name: 'xsd violation',
    key: 'submitter',
    body: message(7).replace(/<xdomea:Erstellungszeitpunkt>[^<]*<\/xdomea:Erstellungszeitpunkt>/, ''),
  },
  { name: 'unknown standard', key: 'submitter', body: '<x:Nachricht xmlns:x="urn:example:unknown"/>' },
  { name: 'too large', key: 'submitter', body: message(8, `<!--${'x'.repeat(4000)}-->`) },
  { name: 'no credentials', body: message(9) },
  {
    name: 'unknown api key',
    headers: { authorization: `ApiKey xgw_0123456789abcdef_${'x'.repeat(43)}` },
    body: message(9),
  },
  { name: 'malformed authorization', headers: { authorization: 'Basic YWRtaW46YWRtaW4=' }, body: message(9) },
  { name: 'wrong role', key: 'reviewer', body: message(9) },
  ...Array.from({ length: 22 }, (_, i) => ({ name: `rate limit ${i + 1}`, key: 'limited', body: message(100 + i) })),
];

async function send(
  side: Side,
  c: Case,
): Promise<{ status: number; headers: Record<string, string | null>; body: unknown }> {
  const headers: Record<string, string> = {
    'content-type': 'application/xml',
    ...(c.key === undefined ? {} : { authorization: `ApiKey ${side.keys[c.key] ?? ''}` }),
    ...c.headers,
  };
  const res = await fetch(side.url + (c.path ?? '/v1/messages'), { method: 'POST', headers, body: c.body });
  const text = await res.text();
  const picked: Record<string, string | null> = {};
  for (const h of HEADERS) picked[h] = h === 'retry-after' && res.headers.has(h) ? 'present' : res.headers.get(h);
  const body: unknown = text === '' ? '' : JSON.parse(text);
  // The seconds until the window ends may differ by one between the two sides.
  if (
    res.status === 429 &&
    typeof body === 'object' &&
    body !== null &&
    typeof Reflect.get(body, 'detail') === 'string'
  )
    Reflect.set(body, 'detail', String(Reflect.get(body, 'detail')).replace(/\d+ s\b/, 'N s'));
  return { status: res.status, headers: picked, body };
}

describe('POST /v1/messages: fast path and express answer alike', () => {
  let fast: Side;
  let slow: Side;
  beforeAll(async () => {
    [fast, slow] = await Promise.all([start(true), start(false)]);
  });
  afterAll(async () => {
    for (const side of [fast, slow]) {
      await side.runtime.close();
      await side.services.close();
      await cleanPrefix(side.prefix);
    }
  });

  it('gives the same status, headers and body for every case', async () => {
    // Rate limits count per minute window: start well inside one so both sides count alike.
    const intoMinute = (Date.now() / 1000) % 60;
    if (intoMinute > 45) await new Promise((r) => setTimeout(r, (61 - intoMinute) * 1000));
    const seen = new Set<number>();
    for (const c of CASES) {
      const [a, b] = [await send(fast, c), await send(slow, c)];
      expect({ case: c.name, ...a }).toEqual({ case: c.name, ...b });
      seen.add(a.status);
    }
    // The list covers what the operation can answer, so a case silently turning into another fails here.
    expect([...seen].sort()).toEqual([200, 202, 400, 401, 403, 413, 415, 422, 429]);
  });

  it('counts fast-path answers in the same metrics series as express answers', async () => {
    const read = async (side: Side): Promise<string[]> => {
      const res = await fetch(`${side.url}/metrics`);
      return (await res.text())
        .split('\n')
        .filter((l) => l.startsWith('xgw_http_requests_total') && l.includes('route="/v1/messages"'));
    };
    const [a, b] = [await read(fast), await read(slow)];
    expect(a.length).toBeGreaterThan(0);
    expect(a.sort()).toEqual(b.sort());
  });
});
