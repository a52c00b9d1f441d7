import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { parse } from 'yaml';
import { fromRoot } from '../../src/config/paths.js';
import type { RedisClient } from '../../src/jobs/redis-connection.js';
import { ApiKeyStore } from '../../src/security/api-key-store.js';
import { readOperations } from '../../src/security/operation-table.js';
import { example, startTestGateway, type TestGateway, waitForJob } from '../support/gateway.js';
import { testRedis } from '../support/redis.js';

const XDOMEA = 'examples/messages/xdomea-3.0.0-Aussonderung.0503.xml';
/** Each tool and the REST operation whose x-roles decide who may use it. */
const TOOL_OPERATIONS: Record<string, string> = {
  list_standards: 'listStandards',
  validate_message: 'listStandards',
  submit_message: 'submitMessage',
  submit_task: 'submitTask',
  get_job: 'getJob',
  list_reviews: 'listReviews',
  get_audit_trail: 'getJobAudit',
};
const ROLES = ['submitter', 'rpa', 'reviewer', 'admin'] as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Issue #19, the MCP server: the SDK's own client against the real gateway (required auth, API
 * keys per role and tenant): tools per role from the OpenAPI file's x-roles, each tool called,
 * refusals as tool errors, tenants kept apart, no credentials → 401.
 */
describe('MCP server at /mcp', () => {
  let gw: TestGateway;
  let redis: RedisClient;
  const keys: Record<string, string> = {};
  const clients: Client[] = [];

  const connect = async (key: string): Promise<Client> => {
    const client = new Client({ name: 'xgw-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${gw.url}/mcp`), {
        requestInit: { headers: { authorization: `ApiKey ${key}` } },
      }),
    );
    clients.push(client);
    return client;
  };
  const data = (result: unknown): Record<string, unknown> => {
    const structured = isRecord(result) ? result.structuredContent : undefined;
    if (!isRecord(structured)) throw new Error(`no structured content: ${JSON.stringify(result).slice(0, 300)}`);
    return structured;
  };

  beforeAll(async () => {
    gw = await startTestGateway({ AUTH_MODE: 'required', RATE_LIMIT_PER_MINUTE: '0' }, 'mcp');
    redis = testRedis();
    const store = new ApiKeyStore(redis, gw.prefix);
    for (const tenant of ['a', 'b'])
      for (const role of ROLES)
        keys[`${role}@${tenant}`] = (await store.create({ name: `${role}-${tenant}`, roles: [role], tenant })).key;
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    await gw.close();
    redis.disconnect();
  });

  it.each(ROLES.map((r) => [r] as const))('lists to a %s exactly the tools its role may use', async (role) => {
    const operations = readOperations(parse(readFileSync(fromRoot('openapi/gateway.yaml'), 'utf8')));
    const expected = Object.entries(TOOL_OPERATIONS)
      .filter(([, opId]) => {
        const roles = operations.find((o) => o.operationId === opId)?.roles;
        return Array.isArray(roles) && roles.includes(role);
      })
      .map(([tool]) => tool)
      .sort();
    const client = await connect(keys[`${role}@a`] ?? '');
    const tools = (await client.listTools()).tools;
    expect(tools.map((t) => t.name).sort()).toEqual(expected);
    for (const t of tools) {
      expect(t.description?.length).toBeGreaterThan(40);
      expect(t.outputSchema).toBeDefined();
    }
  });

  it('checks, submits, reads a job, its audit trail and the standards; refuses another tenant', async () => {
    const submitter = await connect(keys['submitter@a'] ?? '');
    const xml = example(XDOMEA).toString('utf8');
    const valid = data(await submitter.callTool({ name: 'validate_message', arguments: { xml } }));
    expect(valid).toMatchObject({ valid: true, standard: 'xdomea', version: '3.0.0' });
    const invalid = data(await submitter.callTool({ name: 'validate_message', arguments: { xml: '<kein XÖV/>' } }));
    expect(invalid.valid).toBe(false);
    expect(JSON.stringify(invalid.problem)).toMatch(/XGW_/);

    const accepted = data(await submitter.callTool({ name: 'submit_message', arguments: { xml } }));
    expect(accepted).toMatchObject({ duplicate: false, standard: 'xdomea' });
    const id = String(accepted.id);
    await waitForJob(gw.url, `/v1/jobs/${id}`, ['done', 'review', 'failed'], 20_000, {
      authorization: `ApiKey ${keys['submitter@a']}`,
    });
    const job = data(await submitter.callTool({ name: 'get_job', arguments: { id } }));
    expect(isRecord(job.job) && job.job.id).toBe(id);
    const trail = data(await submitter.callTool({ name: 'get_audit_trail', arguments: { id } }));
    expect(trail.verified).toBe(true);
    expect(Array.isArray(trail.entries) && trail.entries.length).toBeGreaterThan(0);
    const standards = data(await submitter.callTool({ name: 'list_standards', arguments: {} }));
    expect(JSON.stringify(standards)).toContain('xbau');
    const resource = await submitter.readResource({ uri: 'xoev://standards' });
    expect(JSON.stringify(resource.contents)).toContain('xdomea');

    const task = data(
      await submitter.callTool({
        name: 'submit_task',
        arguments: { task: 'summarise', text: 'Ich bitte um Verlängerung der Frist bis zum 30.06.2026. Danke.' },
      }),
    );
    expect(task.state).toBe('queued');

    // Another tenant's job does not exist for the caller: a tool error with the problem, not a crash.
    const other = await connect(keys['submitter@b'] ?? '');
    const foreign = await other.callTool({ name: 'get_job', arguments: { id } });
    expect(foreign.isError).toBe(true);
    expect(JSON.stringify(foreign.content)).toMatch(/XGW_REQ_NOT_FOUND/);
    // A reviewer sees the cases waiting in its tenant only.
    const reviewer = await connect(keys['reviewer@b'] ?? '');
    const page = data(await reviewer.callTool({ name: 'list_reviews', arguments: {} }));
    expect(page.reviews).toEqual([]);
  });

  it('refuses a tool the role may not use, bad arguments, and callers without credentials (401 with a challenge)', async () => {
    const reviewer = await connect(keys['reviewer@a'] ?? '');
    const notListed = await reviewer
      .callTool({ name: 'submit_message', arguments: { xml: '<a/>' } })
      .then((r) => r.isError === true)
      .catch(() => true);
    expect(notListed).toBe(true);
    const submitter = await connect(keys['submitter@a'] ?? '');
    const bad = await submitter
      .callTool({ name: 'get_job', arguments: { id: 42 } })
      .then((r) => r.isError === true)
      .catch(() => true);
    expect(bad).toBe(true);
    const anonymous = await fetch(`${gw.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(anonymous.status).toBe(401);
    // The challenge names the protected resource metadata (RFC 9728), which says what the resource is.
    const challenge = anonymous.headers.get('www-authenticate') ?? '';
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1] ?? '';
    expect(challenge).toMatch(/^ApiKey, Bearer /);
    const metadata = (await (await fetch(metadataUrl)).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({ resource: `${gw.url}/mcp`, bearer_methods_supported: ['header'] });
    // REST operations keep their own challenge.
    const rest = await fetch(`${gw.url}/v1/standards`);
    expect(rest.headers.get('www-authenticate')).toBe('ApiKey, Bearer');
  });

  it('refuses a foreign Origin (DNS rebinding protection, MCP transport rules); credentials, not the Host, guard a required-auth gateway', async () => {
    const { port } = new URL(gw.url);
    // node:http, not fetch: fetch does not let a caller set Host, an attacker's rebound name does.
    const post = (headers: Record<string, string>): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = request(
          `${gw.url}/mcp`,
          {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              accept: 'application/json, text/event-stream',
              authorization: `ApiKey ${keys['submitter@a'] ?? ''}`,
              ...headers,
            },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }));
      });
    expect(await post({ origin: `http://evil.example.com:${port}` })).toBe(403);
    expect(await post({ host: `localhost:${port}`, origin: `http://localhost:${port}` })).toBe(200);
    expect(await post({ host: `localhost:${port}`, origin: `https://localhost:${port}` })).toBe(200);
    expect(await post({})).toBe(200);
    // A rebound name carries no credentials of the gateway's; with a key, as here, any Host is served.
    expect(await post({ host: `gateway.example.org:${port}` })).toBe(200);
  });
});
