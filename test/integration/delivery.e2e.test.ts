import { RedisKeys } from '../../src/jobs/redis-keys.js';
/**
 * Once-only delivery end to end: a real XBau Bauantrag with the profile's `deliveries` goes to a
 * real PostgreSQL register exactly once however often it is submitted; a signed webhook reports
 * the job; a rejected delivery lands in the dead-letter list and is replayed; a wrong connectors
 * file stops start-up naming connector and field.
 */
import { spawn } from 'node:child_process';
import { fromRoot } from '../../src/config/paths.js';
import { verify } from '../../connectors/webhook/signature.js';
import { writeConnectorsFile } from '../support/connectors-file.js';
import { defaultAnswer, startFakeLlm, type FakeLlm } from '../support/fake-llm-server.js';
import {
  acceptedJob,
  example,
  postMessage,
  startTestGateway,
  waitForJob,
  type TestGateway,
} from '../support/gateway.js';
import { startHttpRegister, type HttpRegister } from '../support/http-register-server.js';
import { dropTable, PG, pgClient, testTable } from '../support/postgres.js';
import { testRedis } from '../support/redis.js';
import { until } from '../support/until.js';

const XBAU = 'test/fixtures/xbau/baugenehmigung.antrag.0200.xml';
const XBAU_ID = '5d3c1b9e-7f0a-4c51-9a61-2b7e0c4d8f11';
const SECRET_ENV = 'XGW_TEST_WEBHOOK_SECRET';
const SECRET = 'whsec-test-2f1b';

interface DeliveryView {
  key: string;
  connector: string;
  kind: string;
  fact: string;
  state: string;
  attempts: number;
  detail?: string;
}

async function deliveriesOf(gw: TestGateway, jobId: string): Promise<DeliveryView[]> {
  const res = await fetch(`${gw.url}/v1/jobs/${jobId}/deliveries`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { deliveries: DeliveryView[] }).deliveries;
}

function xbauWithId(id: string): string {
  return example(XBAU).toString('utf8').replaceAll(XBAU_ID, id);
}

describe('once-only delivery (real PostgreSQL register, signed webhook)', () => {
  const table = testTable('e2e');
  let receiver: HttpRegister;
  let gw: TestGateway;
  beforeAll(async () => {
    receiver = await startHttpRegister();
    const file = writeConnectorsFile({
      connectors: {
        bauregister: { type: 'postgres-register', config: { ...PG, table, createTable: true } },
        leitstelle: {
          type: 'webhook',
          config: { url: `${receiver.url}/hooks/xgw`, events: ['done'] },
          secrets: { signingSecret: SECRET_ENV },
        },
      },
    });
    gw = await startTestGateway(
      // The secret is named by variable in the connectors file and found in the gateway's environment.
      { CONNECTORS_FILE: file, OUTBOUND_ALLOWLIST: '127.0.0.1', DELIVERY_BACKOFF_MS: '50', [SECRET_ENV]: SECRET },
      'delivery',
    );
  });
  afterAll(async () => {
    await gw.close();
    await receiver.close();
    await dropTable(table);
  });

  it('delivers a Bauantrag to the register once, however often it is submitted, and signs the webhook', async () => {
    const statuses: number[] = [];
    let location = '';
    for (let i = 0; i < 3; i++) {
      const res = await postMessage(gw.url, example(XBAU));
      statuses.push(res.status);
      location = ((await res.json()) as { location: string }).location;
    }
    expect(statuses).toEqual([202, 200, 200]);
    const job = await acceptedJob(gw.url, location);
    expect(job.state).toBe('done');
    const jobId = String(job.id);

    const db = await pgClient();
    try {
      const rows = (
        await db.query<{
          fact: string;
          subject: string;
          fields: Record<string, unknown>;
          job_id: string;
          source_message_id: string;
          models: string[];
        }>(`SELECT * FROM ${table} ORDER BY fact`)
      ).rows;
      expect(rows.map((r) => r.fact)).toEqual(['eingang', 'vorhaben']);
      for (const r of rows) expect(r).toMatchObject({ subject: XBAU_ID, job_id: jobId, source_message_id: XBAU_ID });
      expect(rows[0]?.fields).toEqual({
        eingegangenAm: '2026-11-23T09:15:00+01:00',
        absender: 'ags:09162000-portal',
        eingereichtUeber: 'Bauportal Musterland',
        empfaenger: 'bab:09162000',
      });
      expect(rows[1]?.models[0]).toMatch(/^rules-/);

      // Submitted again after it is done: the same job, nothing new in the register.
      const again = await postMessage(gw.url, example(XBAU));
      expect(again.status).toBe(200);
      expect(((await again.json()) as { id: string }).id).toBe(jobId);
      expect(Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n)).toBe(2);
    } finally {
      await db.end();
    }

    const deliveries = await until(
      () => deliveriesOf(gw, jobId),
      (ds) => ds.some((d) => d.kind === 'notify' && d.state === 'delivered'),
    );
    const facts = deliveries.filter((d) => d.kind === 'fact');
    expect(facts.find((d) => d.fact === 'eingang')).toMatchObject({
      connector: 'bauregister',
      state: 'delivered',
      attempts: 1,
    });
    expect(facts.find((d) => d.fact === 'vorhaben')).toMatchObject({ state: 'delivered' });
    // The rules analyser cannot classify an attachment without text: nothing to deliver, recorded why.
    expect(facts.find((d) => d.fact === 'anlagen')).toMatchObject({
      state: 'skipped',
      detail: 'no values found for this fact',
    });
    expect(deliveries.find((d) => d.kind === 'notify')).toMatchObject({
      connector: 'leitstelle',
      fact: 'event:done',
      state: 'delivered',
    });

    const call = receiver.requests.find((r) => r.path === '/hooks/xgw');
    expect(call).toBeDefined();
    const body = call?.body ?? '';
    const signature = call?.headers['x-xgw-signature'];
    const timestamp = call?.headers['x-xgw-timestamp'];
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verify(SECRET, signature, timestamp, body)).toBe(true);
    expect(verify(SECRET, signature, timestamp, body.replace('done', 'fail'))).toBe(false);
    expect(verify(SECRET, signature, String(Number(timestamp) - 301), body)).toBe(false);
    expect(verify(SECRET, signature, timestamp, body, Number(timestamp) + 301)).toBe(false);
    expect(JSON.parse(body)).toMatchObject({ event: 'done', job: { id: jobId, state: 'done' } });
  });

  it('skips a fact the register already holds (found by lookup), without a second row', async () => {
    const id = '6e4d2cbf-8a1b-4d62-8b72-3c8f1d5e9a22';
    const db = await pgClient();
    try {
      // Another system already registered this application's Eingang.
      await db.query(
        `INSERT INTO ${table} (delivery_key, subject, fact, fields, job_id, tenant, models, prompt_versions) VALUES ('preexisting', $1, 'eingang', '{"absender":"elsewhere"}', 'other', 'default', '{}', '{}')`,
        [id],
      );
      const res = await postMessage(gw.url, xbauWithId(id));
      const job = await acceptedJob(gw.url, ((await res.json()) as { location: string }).location);
      expect(job.state).toBe('done');
      const rows = (
        await db.query<{ fact: string; delivery_key: string }>(
          `SELECT fact, delivery_key FROM ${table} WHERE subject = $1 ORDER BY fact`,
          [id],
        )
      ).rows;
      expect(rows).toEqual([
        { fact: 'eingang', delivery_key: 'preexisting' },
        { fact: 'vorhaben', delivery_key: expect.stringMatching(/^[0-9a-f]{40}$/) },
      ]);
      const ds = await deliveriesOf(gw, String(job.id));
      expect(ds.find((d) => d.fact === 'eingang')).toMatchObject({
        state: 'skipped',
        detail: 'the register already holds this fact',
      });
    } finally {
      await db.end();
    }
  });
});

describe('dead letters and replay (REST register)', () => {
  let register: HttpRegister;
  let gw: TestGateway;
  beforeAll(async () => {
    register = await startHttpRegister();
    const file = writeConnectorsFile({
      connectors: { bauregister: { type: 'http-register', config: { baseUrl: register.url, timeoutMs: 2000 } } },
    });
    gw = await startTestGateway(
      { CONNECTORS_FILE: file, OUTBOUND_ALLOWLIST: '127.0.0.1', DELIVERY_BACKOFF_MS: '50', DELIVERY_ATTEMPTS: '3' },
      'dlq',
    );
  });
  afterAll(async () => {
    await gw.close();
    await register.close();
  });

  it('retries a transient failure, dead-letters a rejected delivery, and replays it once fixed', async () => {
    // Deliveries run in profile order (vorhaben, eingang): vorhaben meets a 503 and is retried,
    // eingang a 400, which no retry can fix.
    register.failNext([503, 400]);
    const res = await postMessage(gw.url, xbauWithId('7f5e3dc0-9b2c-4e73-9c83-4d9f2e6fab33'));
    const { location, id } = (await res.json()) as { location: string; id: string };
    const job = await acceptedJob(gw.url, location);
    expect(job.state).toBe('done');
    const ds = await deliveriesOf(gw, id);
    expect(ds.find((d) => d.fact === 'vorhaben')).toMatchObject({ state: 'delivered', attempts: 2 });
    const dead = ds.find((d) => d.fact === 'eingang');
    expect(dead).toMatchObject({ state: 'dead_letter', attempts: 1 });
    expect(dead?.detail).toContain('HTTP 400');

    const list = (await (await fetch(`${gw.url}/v1/dead-letters`)).json()) as { deadLetters: DeliveryView[] };
    expect(list.deadLetters.map((d) => d.key)).toContain(dead?.key);
    const limited = await fetch(`${gw.url}/v1/dead-letters?limit=1`);
    expect(limited.status).toBe(200);
    expect(((await limited.json()) as { deadLetters: unknown[] }).deadLetters).toHaveLength(1);
    expect((await fetch(`${gw.url}/v1/dead-letters?limit=0`)).status).toBe(400);
    expect((await fetch(`${gw.url}/v1/dead-letters/not-a-key/replay`, { method: 'POST' })).status).toBe(400);
    expect((await fetch(`${gw.url}/v1/dead-letters/${'0'.repeat(40)}/replay`, { method: 'POST' })).status).toBe(404);

    // The ledger keeps a dead letter's values for the replay, and drops them once delivered.
    const redis = testRedis();
    const hasValues = async (key: string | undefined): Promise<number> =>
      redis.hexists(new RedisKeys(gw.prefix).ledger(key ?? ''), 'delivery');
    expect(await hasValues(dead?.key)).toBe(1);
    expect(await hasValues(ds.find((d) => d.fact === 'vorhaben')?.key)).toBe(0);

    const replay = await fetch(`${gw.url}/v1/dead-letters/${dead?.key}/replay`, { method: 'POST' });
    expect(replay.status).toBe(202);
    const after = await until(
      () => deliveriesOf(gw, id),
      (xs) => xs.find((d) => d.key === dead?.key)?.state === 'delivered',
    );
    expect(after.find((d) => d.key === dead?.key)?.state).toBe('delivered');
    expect(
      ((await (await fetch(`${gw.url}/v1/dead-letters`)).json()) as { deadLetters: DeliveryView[] }).deadLetters.map(
        (d) => d.key,
      ),
    ).not.toContain(dead?.key);
    const again = await fetch(`${gw.url}/v1/dead-letters/${dead?.key}/replay`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(await hasValues(dead?.key)).toBe(0);
    redis.disconnect();
    // One record per fact at the register, each sent with its delivery key as Idempotency-Key.
    expect(
      [...register.records.values()]
        .filter((r) => r.subject === '7f5e3dc0-9b2c-4e73-9c83-4d9f2e6fab33')
        .map((r) => r.fact)
        .sort(),
    ).toEqual(['eingang', 'vorhaben']);
  });
});

describe('connectors file checked at start-up', () => {
  it('stops start-up naming the connector and the field', async () => {
    const file = writeConnectorsFile({
      connectors: { bauregister: { type: 'postgres-register', config: { ...PG, table: 'bad name!' } } },
    });
    const child = spawn(process.execPath, ['--import', 'tsx', fromRoot('src/main/gateway.ts')], {
      env: {
        ...process.env,
        CONNECTORS_FILE: file,
        PORT: '0',
        REDIS_EMBEDDED: 'false',
        LOG_LEVEL: 'silent',
        ROLE: 'worker',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(stderr).toContain('connector "bauregister"');
    expect(stderr).toContain('field /connectors/bauregister/config/table');
  }, 30_000);
});

describe('findings of a language model into the register (fake OpenAI-compatible server)', () => {
  const table = testTable('llm');
  let llm: FakeLlm;
  let gw: TestGateway;
  beforeAll(async () => {
    // A "model" that reads the kind of building project from the text, quoting its evidence.
    llm = await startFakeLlm({
      responder: (req) => {
        const answer = defaultAnswer(req);
        const art = /Neubau|Umbau|Nutzungsänderung/u.exec(req.source)?.[0];
        if (art === undefined || !JSON.stringify(req.schema ?? {}).includes('vorhabenArt')) return answer;
        const fields =
          typeof answer === 'object' && answer !== null && 'fields' in answer && typeof answer.fields === 'object'
            ? answer.fields
            : {};
        return { fields: { ...fields, vorhabenArt: { value: art, quote: art, confidence: 0.95 } } };
      },
    });
    const file = writeConnectorsFile({
      connectors: { bauregister: { type: 'postgres-register', config: { ...PG, table, createTable: true } } },
    });
    gw = await startTestGateway(
      {
        CONNECTORS_FILE: file,
        LLM_BASE_URL: llm.url,
        LLM_MODEL: 'fake-model',
        LLM_EXTERNAL: 'false',
        DELIVERY_BACKOFF_MS: '50',
      },
      'delivery-llm',
    );
  });
  afterAll(async () => {
    await gw.close();
    await llm.close();
    await dropTable(table);
  });

  it('delivers the extracted Vorhaben with model and prompt version as provenance', async () => {
    const res = await postMessage(gw.url, example(XBAU));
    const { location, id } = (await res.json()) as { location: string; id: string };
    let job = await waitForJob(gw.url, location, ['done', 'review', 'failed']);
    if (job.state === 'review') {
      // The fake model may be unsure; then a person accepts, and delivery follows the decision.
      await fetch(`${gw.url}/v1/reviews/${id}/decision`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ decision: 'accept' }),
      });
      job = await waitForJob(gw.url, location, ['done', 'failed']);
    }
    expect(job.state).toBe('done');
    const db = await pgClient();
    try {
      const row = (
        await db.query<{ fields: Record<string, unknown>; models: string[]; prompt_versions: string[] }>(
          `SELECT * FROM ${table} WHERE fact = 'vorhaben'`,
        )
      ).rows;
      expect(row).toHaveLength(1);
      expect(row[0]?.fields).toMatchObject({ art: 'Neubau', eingegangenAm: '2026-11-23T09:15:00+01:00' });
      expect(row[0]?.models).toEqual(['fake-model']);
      expect(row[0]?.prompt_versions[0]).toMatch(/extract/);
    } finally {
      await db.end();
    }
  });
});
