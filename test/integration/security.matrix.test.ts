import type { RedisClient } from '../../src/jobs/redis-connection.js';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { fromRoot } from '../../src/config/paths.js';
import { ApiKeyStore } from '../../src/security/api-key-store.js';
import { ROLES, type Role } from '../../src/security/principal.js';
import { example, startTestGateway, type TestGateway } from '../support/gateway.js';
import { startLocalIdp, type LocalIdp } from '../unit/security/local-idp.js';
import { testRedis } from '../support/redis.js';

/**
 * Who may do what, driven by the OpenAPI file: every operation × every role × own/other tenant ×
 * no/invalid/expired credentials. A new operation is in this matrix by being in the file, and an
 * operation without `x-roles` fails it.
 */
const XDOMEA = 'examples/messages/xdomea-3.0.0-Aussonderung.0503.xml';
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface Op {
  method: string;
  path: string;
  operationId: string;
  roles: unknown;
  op: Record<string, unknown>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const spec: unknown = parse(readFileSync(fromRoot('openapi/gateway.yaml'), 'utf8'));
const paths = isRecord(spec) && isRecord(spec['paths']) ? spec['paths'] : {};
const OPERATIONS: Op[] = Object.entries(paths).flatMap(([path, item]) =>
  METHODS.flatMap((method) => {
    const op = isRecord(item) ? item[method] : undefined;
    return isRecord(op)
      ? [{ method: method.toUpperCase(), path, operationId: String(op['operationId']), roles: op['x-roles'], op }]
      : [];
  }),
);
const PROTECTED = OPERATIONS.filter((o) => !(Array.isArray(o.roles) && o.roles[0] === 'public'));
const PUBLIC_OPS = OPERATIONS.filter((o) => Array.isArray(o.roles) && o.roles[0] === 'public');

function admitted(op: Op): readonly string[] {
  return Array.isArray(op.roles) ? op.roles.map(String) : [];
}

/** A request body the operation's schema accepts, as far as the spec tells (its example), else something. */
function requestFor(op: Op, id: string, seq: number): { url: string; init: RequestInit } {
  const url = op.path.replace(/\{[^}]+\}/g, id);
  const content =
    isRecord(op.op['requestBody']) && isRecord(op.op['requestBody']['content'])
      ? op.op['requestBody']['content']
      : undefined;
  if (content === undefined) return { url, init: { method: op.method } };
  if ('application/xml' in content) {
    const body = example(XDOMEA)
      .toString('utf8')
      .replace('9fde4e7a-b41b-11ec-9225-005056871b7c', `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`);
    return { url, init: { method: op.method, headers: { 'content-type': 'application/xml' }, body } };
  }
  const json = isRecord(content['application/json']) ? content['application/json'] : {};
  const schema = isRecord(json['schema']) ? json['schema'] : {};
  let body: unknown = json['example'] ?? schema['example'];
  if (body === undefined && typeof schema['$ref'] === 'string') {
    const name = schema['$ref'].split('/').at(-1) ?? '';
    const components =
      isRecord(spec) && isRecord(spec['components']) && isRecord(spec['components']['schemas'])
        ? spec['components']['schemas']
        : {};
    const target = components[name];
    body = isRecord(target) ? target['example'] : undefined;
  }
  return {
    url,
    init: { method: op.method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) },
  };
}

describe('authorization matrix from openapi/gateway.yaml', () => {
  let gw: TestGateway;
  let idp: LocalIdp;
  let redis: RedisClient;
  const keys: Record<string, string> = {};
  let jobA = '';
  let seq = 0;

  const call = async (op: Op, headers: Record<string, string>, id = jobA): Promise<Response> => {
    const { url, init } = requestFor(op, id, ++seq);
    return fetch(gw.url + url, {
      ...init,
      headers: { ...(init.headers as Record<string, string> | undefined), ...headers },
    });
  };

  beforeAll(async () => {
    idp = await startLocalIdp();
    gw = await startTestGateway(
      { AUTH_MODE: 'required', RATE_LIMIT_PER_MINUTE: '0', OIDC_ISSUER: idp.issuer, OIDC_AUDIENCE: 'xoev-ai-gateway' },
      'authz',
    );
    redis = testRedis();
    const store = new ApiKeyStore(redis, gw.prefix);
    for (const tenant of ['a', 'b'])
      for (const role of ROLES)
        keys[`${role}@${tenant}`] = (await store.create({ name: `${role}-${tenant}`, roles: [role], tenant })).key;
    const res = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml', authorization: `ApiKey ${keys['submitter@a']}` },
      body: example(XDOMEA),
    });
    expect(res.status).toBe(202);
    jobA = ((await res.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await gw.close();
    await idp.close();
    redis.disconnect();
  });

  it('the spec declares security schemes and every operation declares x-roles', () => {
    expect(isRecord(spec) && isRecord(spec['components']) && isRecord(spec['components']['securitySchemes'])).toBe(
      true,
    );
    const missing = OPERATIONS.filter((o) => !Array.isArray(o.roles) || o.roles.length === 0).map((o) => o.operationId);
    expect(missing).toEqual([]);
    for (const o of PROTECTED) for (const r of admitted(o)) expect(ROLES).toContain(r);
    for (const o of PROTECTED)
      expect(Object.keys(isRecord(o.op['responses']) ? o.op['responses'] : {})).toEqual(
        expect.arrayContaining(['401', '403', '429']),
      );
  });

  it.each(PUBLIC_OPS.map((o) => [o.operationId, o] as const))('%s is open to everyone', async (_id, op) => {
    // A source's callback needs no API credentials; without a connector of that name it is 404, never 401.
    expect((await call(op, {})).status).toBe(op.operationId === 'inboundCallback' ? 404 : 200);
  });

  describe.each(PROTECTED.map((o) => [o.operationId, o] as const))('%s', (_id, op) => {
    it('401 without, with invalid, with expired or foreign credentials', async () => {
      const expired = await idp.sign({ realm_access: { roles: [...ROLES] }, tenant: 'a' }, { expiresInSeconds: -120 });
      const foreign = await idp.sign({ realm_access: { roles: [...ROLES] }, tenant: 'a' }, { unpublishedKey: true });
      const cases: Record<string, Record<string, string>> = {
        none: {},
        'unknown api key': { authorization: `ApiKey xgw_0123456789abcdef_${'x'.repeat(43)}` },
        'malformed x-api-key': { 'x-api-key': 'letmein' },
        'basic auth': { authorization: 'Basic YWRtaW46YWRtaW4=' },
        'expired token': { authorization: `Bearer ${expired}` },
        'token signed with an unknown key': { authorization: `Bearer ${foreign}` },
      };
      for (const [what, headers] of Object.entries(cases)) {
        const res = await call(op, headers);
        expect([what, res.status]).toEqual([what, 401]);
        expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      }
    });

    it.each(ROLES.map((r) => [r] as const))('role %s: own tenant, other tenant', async (role: Role) => {
      const own = await call(op, { authorization: `ApiKey ${keys[`${role}@a`]}` });
      if (!admitted(op).includes(role)) {
        expect([role, own.status]).toEqual([role, 403]);
        expect((await call(op, { 'x-api-key': keys[`${role}@b`] ?? '' })).status).toBe(403);
        return;
      }
      expect([401, 403]).not.toContain(own.status);
      expect(own.status).toBeLessThan(500);
      const other = await call(op, { 'x-api-key': keys[`${role}@b`] ?? '' });
      if (!op.path.includes('{')) {
        expect([401, 403]).not.toContain(other.status);
        expect(other.status).toBeLessThan(500);
      } else if (role === 'admin') {
        expect(other.status).toBe(own.status); // admins see all tenants
      } else {
        expect([role, other.status]).toEqual([role, 404]); // another tenant's resource does not exist for the caller
      }
    });
  });

  it('a valid OIDC token acts with its roles and tenant', async () => {
    const getJob = OPERATIONS.find((o) => o.operationId === 'getJob');
    if (getJob === undefined) throw new Error('getJob missing');
    const own = await idp.sign({ realm_access: { roles: ['reviewer'] }, tenant: 'a' });
    const other = await idp.sign({ realm_access: { roles: ['reviewer'] }, tenant: 'b' });
    const none = await idp.sign({ realm_access: { roles: ['offline_access'] }, tenant: 'a' });
    expect((await call(getJob, { authorization: `Bearer ${own}` })).status).toBe(200);
    expect((await call(getJob, { authorization: `Bearer ${other}` })).status).toBe(404);
    expect((await call(getJob, { authorization: `Bearer ${none}` })).status).toBe(403);
  });

  it('paths outside the spec are denied, and a revoked key stops working', async () => {
    expect(
      (await fetch(`${gw.url}/v1/secret-admin`, { headers: { authorization: `ApiKey ${keys['admin@a']}` } })).status,
    ).toBe(404);
    expect(
      (await fetch(`${gw.url}/admin/queues`, { headers: { authorization: `ApiKey ${keys['submitter@a']}` } })).status,
    ).toBe(403);
    const store = new ApiKeyStore(redis, gw.prefix);
    const { key, record } = await store.create({ name: 'short-lived', roles: ['submitter'], tenant: 'a' });
    expect((await fetch(`${gw.url}/v1/standards`, { headers: { authorization: `ApiKey ${key}` } })).status).toBe(200);
    await store.revoke(record.id);
    expect((await fetch(`${gw.url}/v1/standards`, { headers: { authorization: `ApiKey ${key}` } })).status).toBe(401);
  });
});
