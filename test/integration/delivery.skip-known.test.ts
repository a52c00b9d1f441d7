/**
 * Once-only for the people asked: with `skipExtractionIfKnown`, a fact the register already holds
 * is not extracted again. Real catalog (XBau profile), real PostgreSQL register.
 */
import { BUILT_IN_CONNECTORS } from '../../connectors/index.js';
import { createTaskPlanner } from '../../src/pipeline/task-planner.js';
import { fromRoot } from '../../src/config/paths.js';
import { ConnectorSet } from '../../src/delivery/connector-set.js';
import { deliveryKey } from '../../src/delivery/delivery-key.js';
import { pruneKnownFacts } from '../../src/delivery/skip-known-facts.js';
import { createLogger } from '../../src/observability/logger.js';
import { createJobPreparer } from '../../src/pipeline/job-preparer.js';
import { DocumentReader } from '../../src/documents/document-reader.js';
import { DEFAULT_DOCUMENT_LIMITS } from '../../src/documents/document-limits.js';
import { loadCatalog, type XoevCatalog } from '../../src/xoev/catalog.js';
import { example } from '../support/gateway.js';
import { dropTable, PG, pgClient, testTable } from '../support/postgres.js';

const XBAU = 'test/fixtures/xbau/baugenehmigung.antrag.0200.xml';
const XBAU_ID = '5d3c1b9e-7f0a-4c51-9a61-2b7e0c4d8f11';
const logger = createLogger('silent');

describe('skipExtractionIfKnown', () => {
  const table = testTable('skip');
  let catalog: XoevCatalog;
  let connectors: ConnectorSet;
  const documents = new DocumentReader(DEFAULT_DOCUMENT_LIMITS);
  beforeAll(async () => {
    catalog = await loadCatalog(fromRoot('xoev-schemas'), { partMinChars: 12, limits: { maxBodyBytes: 10_000_000 } });
    connectors = ConnectorSet.fromValue(
      { connectors: { bauregister: { type: 'postgres-register', config: { ...PG, table, createTable: true } } } },
      'connectors.json',
      BUILT_IN_CONNECTORS,
      {},
      fetch,
      logger,
    );
    await connectors.get('bauregister')?.healthCheck();
  });
  afterAll(async () => {
    await connectors.close();
    catalog.close();
    documents.close();
    await dropTable(table);
  });

  // The XBau profile with its vorhaben fact marked skippable (the shipped profile marks anlagen, whose
  // classify task has no attachment text to run on in this fixture).
  const profileOf = (standard: string, version: string, messageType: string) => {
    const p = catalog.profile(standard, version, messageType);
    return p === undefined
      ? undefined
      : {
          ...p,
          deliveries: [
            {
              connector: 'bauregister',
              fact: 'vorhaben',
              subject: 'header.messageId',
              fields: { art: 'vorhaben.vorhabenArt', eingegangenAm: 'header.createdAt' },
              skipExtractionIfKnown: true,
            },
          ],
        };
  };
  const prepare = async () =>
    pruneKnownFacts(
      await createJobPreparer(
        catalog,
        createTaskPlanner(catalog),
        documents,
      )({
        jobId: 'j1',
        tenant: 'default',
        kind: 'message',
        xmlBase64: example(XBAU).toString('base64'),
        receivedAt: new Date().toISOString(),
      }),
      'j1',
      connectors,
      profileOf,
      logger,
    );

  it('runs the extraction while the register does not know the fact, and skips it once it does', async () => {
    const before = await prepare();
    expect(before.plan.filter((t) => t.task.kind === 'extract').length).toBeGreaterThan(0);
    const db = await pgClient();
    try {
      await db.query(
        `INSERT INTO ${table} (delivery_key, subject, fact, fields, job_id, tenant, models, prompt_versions) VALUES ($1, $2, 'vorhaben', '{"art":"Neubau"}', 'earlier', 'default', '{}', '{}')`,
        [deliveryKey({ connector: 'bauregister', subject: XBAU_ID, fact: 'vorhaben', sourceId: 'earlier' }), XBAU_ID],
      );
    } finally {
      await db.end();
    }
    const after = await prepare();
    expect(after.plan.filter((t) => t.task.kind === 'extract')).toHaveLength(0);
    expect(after.parts).toEqual(before.parts);
  });

  it('analyses as usual when the lookup fails', async () => {
    const broken = ConnectorSet.fromValue(
      { connectors: { bauregister: { type: 'postgres-register', config: { ...PG, port: 1, table, timeoutMs: 500 } } } },
      'connectors.json',
      BUILT_IN_CONNECTORS,
      {},
      fetch,
      logger,
    );
    try {
      const read = await createJobPreparer(
        catalog,
        createTaskPlanner(catalog),
        documents,
      )({
        jobId: 'j2',
        tenant: 'default',
        kind: 'message',
        xmlBase64: example(XBAU).toString('base64'),
        receivedAt: new Date().toISOString(),
      });
      const prepared = await pruneKnownFacts(read, 'j2', broken, profileOf, logger);
      expect(prepared.plan.filter((t) => t.task.kind === 'extract').length).toBeGreaterThan(0);
    } finally {
      await broken.close();
    }
  });
});

describe('connectors file validation', () => {
  const types = BUILT_IN_CONNECTORS;
  const load =
    (value: unknown, env: Record<string, string> = {}) =>
    () =>
      ConnectorSet.fromValue(value, 'connectors.json', types, env, fetch, logger);

  it('names the connector and field of a wrong config', () => {
    expect(
      load({ connectors: { crm: { type: 'http-register', config: { baseUrl: 'http://crm', timeoutMs: 5 } } } }),
    ).toThrow('connectors.json: connector "crm": field /connectors/crm/config/timeoutMs: must be >= 100');
  });
  it('rejects an unknown connector type', () => {
    expect(load({ connectors: { x: { type: 'ftp', config: {} } } })).toThrow(
      'field /connectors/x/type: unknown connector type ftp',
    );
  });
  it('reads secrets from the named environment variable and never from the file', () => {
    expect(
      load({
        connectors: {
          hook: {
            type: 'webhook',
            config: { url: 'https://example.org/h' },
            secrets: { signingSecret: 'HOOK_SECRET' },
          },
        },
      }),
    ).toThrow('field /connectors/hook/secrets/signingSecret: environment variable HOOK_SECRET is not set');
    expect(load({ connectors: { hook: { type: 'webhook', config: { url: 'https://example.org/h' } } } })).toThrow(
      'required secret',
    );
    expect(
      load({
        connectors: { hook: { type: 'webhook', config: { url: 'https://example.org/h', signingSecret: 'inline' } } },
      }),
    ).toThrow('field /connectors/hook/config: must NOT have additional properties');
    const set = load(
      {
        connectors: {
          hook: {
            type: 'webhook',
            config: { url: 'https://example.org/h' },
            secrets: { signingSecret: 'HOOK_SECRET' },
          },
        },
      },
      { HOOK_SECRET: 's3cret' },
    )();
    expect(set.webhooks()).toEqual([{ name: 'hook', events: ['done', 'failed', 'review'] }]);
    void set.close();
  });
  it('checks that defaultDelivery names an enabled connector', () => {
    expect(load({ connectors: {}, defaultDelivery: { connector: 'nope' } })).toThrow(
      'field /defaultDelivery/connector: no connector named nope',
    );
  });
});
