/**
 * The conformance suite every built-in connector runs: health check, idempotent delivery (the same
 * key delivered twice leaves one record at the target), lookup where declared, config rejection
 * naming the field, clean close. Targets are real: PostgreSQL and HTTP servers started here.
 */
import { randomUUID } from 'node:crypto';
import type { Connector, ConnectorType, Delivery } from '../../connectors/connector.js';
import { BUILT_IN_CONNECTORS } from '../../connectors/index.js';
import { UIPATH_START_JOBS } from '../../connectors/rpa/rpa.connector.js';
import { verify } from '../../connectors/webhook/signature.js';
import { createOutboundFetch } from '../../src/delivery/outbound-fetch.js';
import { parseAllowlist } from '../../src/security/ssrf-guard.js';
import { startHttpRegister, type HttpRegister } from '../support/http-register-server.js';
import { type FakeZustelldienst, startFakeZustelldienst, writeDestinationKeys } from '../support/fake-zustelldienst.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropTable, PG, pgClient, testTable } from '../support/postgres.js';

const fetchGuarded = createOutboundFetch({ allowlist: parseAllowlist('127.0.0.1'), timeoutMs: 5000 });
const logger = { info: () => undefined, warn: () => undefined };
const SECRET = 'conformance-secret';

/** What the suite needs to know about one connector to check it. */
interface Case {
  name: string;
  type: string;
  config: () => Record<string, unknown>;
  secrets?: Record<string, string>;
  /** A config that must be rejected and the field (JSON pointer inside config) named. */
  bad: { config: Record<string, unknown>; field: string };
  /** How many records the target holds for a key. */
  count: (key: string) => Promise<number>;
  /** Extra checks of what reached the target. */
  inspect?: (key: string) => Promise<void>;
  /** The delivery's fields, where the connector needs its own (a reply message). */
  fields?: Record<string, unknown>;
  /** An inbound connector: it receives (and takes callbacks) instead of delivering. */
  inbound?: { accepted: (start: () => Promise<void>) => Promise<boolean> };
}

let http: HttpRegister;
let zd: FakeZustelldienst;
let keyDir: string;
const DESTINATION = '7b3e1c2a-1d2e-4f5a-9b8c-0d1e2f3a4b5c';
const table = testTable('conf');

function delivery(fields: Record<string, unknown> = { art: 'Neubau', geschosse: 2 }): Delivery {
  const key = randomUUID().replace(/-/g, '').slice(0, 40);
  return {
    key,
    fact: 'vorhaben',
    subject: `subj-${key.slice(0, 6)}`,
    fields,
    provenance: {
      jobId: 'job-1',
      tenant: 'default',
      sourceMessageId: 'msg-1',
      models: ['rules-1'],
      promptVersions: ['rules-1'],
    },
  };
}

const httpCount = async (key: string): Promise<number> => (http.records.has(key) ? 1 : 0);

const CASES: Case[] = [
  {
    name: 'postgres-register',
    type: 'postgres-register',
    config: () => ({ ...PG, table, createTable: true }),
    bad: { config: { ...PG, table: 'x; DROP TABLE y', createTable: true }, field: '/table' },
    count: async (key) => {
      const c = await pgClient();
      try {
        return Number(
          (await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE delivery_key = $1`, [key])).rows[0]
            ?.n ?? 0,
        );
      } finally {
        await c.end();
      }
    },
    inspect: async (key) => {
      const c = await pgClient();
      try {
        const row = (
          await c.query<{ source_message_id: string; job_id: string; models: string[]; fields: unknown }>(
            `SELECT * FROM ${table} WHERE delivery_key = $1`,
            [key],
          )
        ).rows[0];
        expect(row).toMatchObject({
          source_message_id: 'msg-1',
          job_id: 'job-1',
          models: ['rules-1'],
          fields: { art: 'Neubau', geschosse: 2 },
        });
      } finally {
        await c.end();
      }
    },
  },
  {
    name: 'http-register',
    type: 'http-register',
    config: () => ({ baseUrl: http.url }),
    secrets: { token: 'register-token' },
    bad: { config: { baseUrl: 'ftp://nope', method: 'PATCH' }, field: '/baseUrl' },
    count: httpCount,
    inspect: async (key) => {
      const writes = http.requests.filter((r) => r.headers['idempotency-key'] === key);
      expect(writes).toHaveLength(2);
      expect(writes[0]).toMatchObject({ method: 'PUT', path: `/facts/${key}` });
      expect(writes[0]?.headers.authorization).toBe('Bearer register-token');
    },
  },
  {
    name: 'webhook',
    type: 'webhook',
    config: () => ({ url: `${http.url}/hook` }),
    secrets: { signingSecret: SECRET },
    bad: { config: { url: `${'http'}://x`, events: ['exploded'] }, field: '/events/0' },
    count: httpCount,
    inspect: async (key) => {
      const call = http.requests.find((r) => r.headers['idempotency-key'] === key);
      expect(call).toBeDefined();
      expect(verify(SECRET, call?.headers['x-xgw-signature'], call?.headers['x-xgw-timestamp'], call?.body ?? '')).toBe(
        true,
      );
      expect(
        verify('wrong', call?.headers['x-xgw-signature'], call?.headers['x-xgw-timestamp'], call?.body ?? ''),
      ).toBe(false);
    },
  },
  {
    name: 'xoev-reply',
    type: 'xoev-reply',
    config: () => ({ url: `${http.url}/xoev/eingang` }),
    secrets: { token: 'fv-token' },
    bad: { config: { url: 'mailto:fv@example.de' }, field: '/url' },
    fields: { xml: '<?xml version="1.0"?><antwort/>', messageType: 'baugenehmigung.formellePruefung.0201' },
    count: httpCount,
    inspect: async (key) => {
      const posts = http.requests.filter((r) => r.headers['idempotency-key'] === key);
      expect(posts).toHaveLength(2);
      expect(posts[0]).toMatchObject({
        method: 'POST',
        path: '/xoev/eingang',
        body: '<?xml version="1.0"?><antwort/>',
      });
      expect(posts[0]?.headers['content-type']).toMatch(/^application\/xml/);
      expect(posts[0]?.headers['x-xoev-message-type']).toBe('baugenehmigung.formellePruefung.0201');
      expect(posts[0]?.headers.authorization).toBe('Bearer fv-token');
    },
  },
  {
    name: 'rpa (generic trigger)',
    type: 'rpa',
    config: () => ({ mode: 'generic', url: `${http.url}/bots/start` }),
    bad: { config: { mode: 'uipath', url: 'http://orchestrator' }, field: '/releaseKey' },
    count: httpCount,
    inspect: async (key) => {
      const call = http.requests.find((r) => r.headers['idempotency-key'] === key);
      expect(JSON.parse(call?.body ?? '{}')).toMatchObject({
        key,
        fact: 'vorhaben',
        arguments: { art: 'Neubau', geschosse: 2 },
      });
    },
  },
  {
    name: 'rpa (UiPath Orchestrator)',
    type: 'rpa',
    config: () => ({
      mode: 'uipath',
      url: http.url,
      releaseKey: 'b5a8c7e2-0000-4000-8000-000000000001',
      folderId: '42',
    }),
    secrets: { token: 'uipath-token' },
    bad: {
      config: { mode: 'uipath', url: 'https://orchestrator.example', folderId: 'abc', releaseKey: 'k' },
      field: '/folderId',
    },
    count: httpCount,
    inspect: async (key) => {
      const calls = http.requests.filter((r) => r.path === UIPATH_START_JOBS && r.body.includes(key));
      expect(calls).toHaveLength(2);
      const body = JSON.parse(calls[0]?.body ?? '{}') as {
        startInfo: { ReleaseKey: string; Strategy: string; InputArguments: string; Reference: string };
      };
      expect(body.startInfo).toMatchObject({
        ReleaseKey: 'b5a8c7e2-0000-4000-8000-000000000001',
        Strategy: 'ModernJobsCount',
        Reference: key,
      });
      expect(typeof body.startInfo.InputArguments).toBe('string');
      expect(JSON.parse(body.startInfo.InputArguments)).toMatchObject({
        art: 'Neubau',
        geschosse: 2,
        xgwDeliveryKey: key,
      });
      expect(calls[0]?.headers['x-uipath-organizationunitid']).toBe('42');
      expect(calls[0]?.headers.authorization).toBe('Bearer uipath-token');
    },
  },
  {
    name: 'fit-connect',
    type: 'fit-connect',
    config: () => ({
      destinationId: DESTINATION,
      submissionApi: zd.url,
      tokenUrl: zd.tokenUrl,
      decryptionKeyFile: join(keyDir, 'decrypt.jwk'),
      signingKeyFile: join(keyDir, 'sign.jwk'),
      // 2048-bit test keys keep the suite quick; production keys have 4096.
      minKeyBits: 2048,
    }),
    secrets: {},
    bad: { config: { destinationId: 'nope', submissionApi: 'x', tokenUrl: 'y' }, field: '/destinationId' },
    count: async () => 0,
    inbound: {
      // A submission waiting at the Zustelldienst is received and accepted by the running connector.
      accepted: async (start) => {
        const s = await zd.submit({ data: { bytes: Buffer.from('<a/>'), mimeType: 'application/xml' } });
        await start();
        for (let i = 0; i < 100 && s.state === 'submitted'; i++) await new Promise((r) => setTimeout(r, 20));
        return s.state === 'accepted';
      },
    },
  },
];

beforeAll(async () => {
  http = await startHttpRegister();
  keyDir = await mkdtemp(join(tmpdir(), 'conformance-fc-'));
  zd = await startFakeZustelldienst({
    destinationId: DESTINATION,
    ...(await writeDestinationKeys(keyDir, { sign: 's' })),
  });
  const fc = CASES.find((c) => c.type === 'fit-connect');
  if (fc !== undefined) fc.secrets = { clientId: zd.clientId, clientSecret: zd.clientSecret };
});
afterAll(async () => {
  await zd.close();
  await rm(keyDir, { recursive: true, force: true });
  await http.close();
  await dropTable(table);
});

it('every built-in connector type has a conformance case', () => {
  expect(new Set(CASES.map((c) => c.type))).toEqual(new Set(Object.keys(BUILT_IN_CONNECTORS)));
});

describe.each(CASES.map((c) => [c.name, c] as const))('connector %s', (_name, c) => {
  const found = BUILT_IN_CONNECTORS[c.type];
  if (found === undefined) throw new Error(`no connector ${c.type}`);
  const type: ConnectorType = found;
  let connector: Connector;
  beforeAll(() => {
    connector = type.create(c.config(), {
      name: `conf-${c.type}`,
      secrets: c.secrets ?? {},
      fetch: fetchGuarded,
      logger,
    });
  });
  afterAll(async () => {
    await connector.close();
  });

  it('has a manifest: id, semver, capabilities, config schema, declared secrets', () => {
    expect(type.manifest.id).toBe(c.type);
    expect(type.manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(type.manifest.capabilities.length).toBeGreaterThan(0);
    expect(type.manifest.configSchema).toMatchObject({ type: 'object' });
    for (const s of type.manifest.secrets) expect(s.doc.length).toBeGreaterThan(0);
    expect(connector.deliver !== undefined).toBe(type.manifest.capabilities.includes('outbound'));
    expect(connector.lookup !== undefined).toBe(type.manifest.capabilities.includes('lookup'));
  });

  it('passes its health check', async () => {
    await expect(connector.healthCheck()).resolves.toMatchObject({ ok: true });
  });

  it('receives what its source holds (when it declares inbound)', async () => {
    expect(connector.receive !== undefined).toBe(type.manifest.capabilities.includes('inbound'));
    if (c.inbound === undefined) return;
    expect(
      await c.inbound.accepted(async () => connector.receive?.(async () => ({ jobId: 'j', stage: 'received' }))),
    ).toBe(true);
  });

  it('delivers idempotently: the same key twice leaves one record', async () => {
    if (c.inbound !== undefined) return;
    const d = delivery(c.fields);
    const first = await connector.deliver?.(d);
    const second = await connector.deliver?.(d);
    expect(first?.outcome).toBe('delivered');
    expect(['delivered', 'duplicate']).toContain(second?.outcome);
    expect(await c.count(d.key)).toBe(1);
    await c.inspect?.(d.key);
  });

  it('looks up what it holds (when it declares lookup)', async () => {
    if (connector.lookup === undefined) return;
    const d = delivery(c.fields);
    await expect(connector.lookup(d.subject, d.fact)).resolves.toMatchObject({ found: false });
    await connector.deliver?.(d);
    await expect(connector.lookup(d.subject, d.fact)).resolves.toMatchObject({
      found: true,
      fields: { art: 'Neubau' },
    });
  });

  it('rejects a wrong config, naming the field', () => {
    const problems = type.check(c.bad.config);
    expect(problems.map((p) => p.field)).toContain(c.bad.field);
    expect(() => type.create(c.bad.config, { name: 'bad', secrets: {}, fetch: fetchGuarded, logger })).toThrow(
      c.bad.field,
    );
  });

  it('closes cleanly, twice', async () => {
    const extra = type.create(c.config(), { name: 'closing', secrets: c.secrets ?? {}, fetch: fetchGuarded, logger });
    await extra.healthCheck();
    await expect(extra.close()).resolves.toBeUndefined();
    await expect(extra.close()).resolves.toBeUndefined();
  });
});
