import { RedisKeys } from '../../src/jobs/redis-keys.js';
import type { ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import { XmlDocument } from 'libxml2-wasm';
import { startFakeLlm, type FakeLlm } from '../support/fake-llm-server.js';
import {
  example,
  postMessage,
  spawnWorker,
  startTestGateway,
  waitForJob,
  type TestGateway,
} from '../support/gateway.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';

const XDOMEA = 'examples/messages/xdomea-3.0.0-Aussonderung.0503.xml';
const XBAU = 'test/fixtures/xbau/baugenehmigung.antrag.0200.xml';

describe('gateway end to end (rules analyser, real Redis)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({}, 'e2e');
  });
  afterAll(async () => {
    await gw.close();
  });

  it('takes a real xdomea message to done with a structured, traceable result', async () => {
    const res = await postMessage(gw.url, example(XDOMEA));
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { id: string; location: string; state: string };
    expect(res.headers.get('location')).toBe(`/v1/jobs/${accepted.id}`);
    expect(accepted.location).toBe(`/v1/jobs/${accepted.id}`);
    const job = await waitForJob(gw.url, accepted.location);
    expect(job.state).toBe('done');
    const result = job.result as Record<string, unknown> & {
      header: Record<string, unknown>;
      parts: { id: string; text?: string }[];
      findings: Record<string, unknown>[];
    };
    expect(result.standard).toBe('xdomea');
    expect(result.version).toBe('3.0.0');
    expect(result.messageType).toBe('Aussonderung.Aussonderung.0503');
    expect(result.header.messageId).toBe('9fde4e7a-b41b-11ec-9225-005056871b7c');
    expect(result.header.messageType).toMatchObject({
      code: '0503',
      listURI: 'urn:xoev-de:xdomea:codeliste:nachrichtentyp',
    });
    expect(result.header.reader).toMatchObject({ name: 'Landesarchiv NRW' });
    const textParts = result.parts.filter((p) => p.text !== undefined);
    expect(textParts.length).toBeGreaterThan(0);
    expect(result.findings).toHaveLength(textParts.length);
    for (const finding of result.findings) {
      expect(finding).toMatchObject({
        analyser: 'rules',
        provider: 'rules',
        model: expect.stringMatching(/^rules-/),
        promptVersion: 'rules-1',
        aiGenerated: false,
      });
      expect(textParts.map((p) => p.id)).toContain(finding.partId);
    }
  });

  it('finds real entities in the free text of a message', async () => {
    const remark =
      'Rückfrage zum Az.: 63-2024-00123 vom 12.03.2024 bitte an bauamt@musterstadt.de oder 030 1234567; Erstattung auf DE89 3704 0044 0532 0130 00.';
    const body = example(XDOMEA)
      .toString('utf8')
      .replace('9fde4e7a-b41b-11ec-9225-005056871b7c', '22222222-2222-4333-8444-555555555555')
      .replace('[Freitext-Bemerkungsfeld]', remark);
    const res = await postMessage(gw.url, body);
    expect(res.status).toBe(202);
    const job = await waitForJob(gw.url, ((await res.json()) as { location: string }).location);
    const result = job.result as {
      parts: { id: string; text?: string }[];
      findings: {
        partId: string;
        extraction?: {
          data: Record<string, string[]>;
          values: { evidence: { quote: string; start: number; end: number } | null }[];
        };
      }[];
    };
    const part = result.parts.find((p) => p.text === remark);
    expect(part).toBeDefined();
    const finding = result.findings.find((f) => f.partId === part?.id);
    expect(finding?.extraction?.data).toMatchObject({
      daten: ['2024-03-12'],
      emails: ['bauamt@musterstadt.de'],
      ibans: ['DE89370400440532013000'],
    });
    expect(finding?.extraction?.data.aktenzeichen?.[0]).toContain('63-2024-00123');
    for (const v of finding?.extraction?.values ?? [])
      expect(remark.slice(v.evidence?.start, v.evidence?.end)).toBe(v.evidence?.quote);
  });

  it('runs the profile of a message type that has one (XBau Bauantrag)', async () => {
    const res = await postMessage(gw.url, example(XBAU));
    expect(res.status).toBe(202);
    const job = await waitForJob(gw.url, ((await res.json()) as { location: string }).location);
    // The profile's completeness check proposes a 0201 reply: a person decides first (issue #15).
    expect(job.state).toBe('review');
    const result = job.result as {
      standard: string;
      header: { author: Record<string, string> };
      parts: { id: string; kind: string; text?: string }[];
      findings: { partId: string; task: string }[];
    };
    expect(result.standard).toBe('xbau');
    expect(result.header.author).toMatchObject({ behoerdenkennung: 'ags:09162000-portal', verzeichnisdienst: 'DVDV' });
    const textPartIds = result.parts
      .filter((p) => p.kind === 'text')
      .map((p) => p.id)
      .sort();
    expect(
      result.findings
        .filter((f) => f.task === 'extract')
        .map((f) => f.partId)
        .sort(),
    ).toEqual(textPartIds);
  });

  it('returns the existing job for the same message instead of creating a second one', async () => {
    const body = example(XDOMEA)
      .toString('utf8')
      .replace('9fde4e7a-b41b-11ec-9225-005056871b7c', '11111111-2222-4333-8444-555555555555');
    // The gateway's own Redis, one server or the cluster (a connection to the one server saw no queue
    // at all in the cluster project, and the check passed without looking).
    const connection = testRedis();
    const queue = new Queue('analyse', { connection, prefix: new RedisKeys(gw.prefix).bullmq() });
    const allJobs = async (): Promise<number> =>
      Object.values(await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed')).reduce(
        (n, c) => n + c,
        0,
      );
    const before = await allJobs();
    const first = await postMessage(gw.url, body);
    const second = await postMessage(gw.url, body);
    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    const a = (await first.json()) as { id: string };
    const b = (await second.json()) as { id: string; duplicate: boolean };
    expect(b.id).toBe(a.id);
    expect(b.duplicate).toBe(true);
    await waitForJob(gw.url, `/v1/jobs/${a.id}`);
    // One queue job in all for the two posts. (The job record is final a moment before BullMQ moves its
    // job to completed; counting only waiting and active jobs raced with that moment.)
    expect((await allJobs()) - before).toBe(1);
    expect(await queue.getJob(a.id)).toBeDefined();
    await queue.close();
    connection.disconnect();
  });

  it('uses the Idempotency-Key over the message id', async () => {
    const key = `key-${Date.now()}`;
    const one = example(XDOMEA)
      .toString('utf8')
      .replace('9fde4e7a-b41b-11ec-9225-005056871b7c', 'aaaaaaaa-2222-4333-8444-555555555555');
    const other = example(XDOMEA)
      .toString('utf8')
      .replace('9fde4e7a-b41b-11ec-9225-005056871b7c', 'bbbbbbbb-2222-4333-8444-555555555555');
    const a = await postMessage(gw.url, one, { 'Idempotency-Key': key });
    const b = await postMessage(gw.url, other, { 'Idempotency-Key': key });
    expect(a.status).toBe(202);
    expect(b.status).toBe(200);
    expect(((await b.json()) as { messageId: string }).messageId).toBe('aaaaaaaa-2222-4333-8444-555555555555');
  });

  it('answers bad input with problem+json and never a 5xx', async () => {
    const malformed = await postMessage(gw.url, '<?xml version="1.0"?>\n<a>\n  <b></a>');
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await malformed.json()) as { code: string; errors: { line: number; column?: number }[] };
    expect(problem.code).toBe('XGW_XML_MALFORMED');
    expect(problem.errors[0]?.line).toBe(3);

    const invalid = await postMessage(
      gw.url,
      example(XDOMEA)
        .toString('utf8')
        .replace(/<xdomea:Erstellungszeitpunkt>[^<]*<\/xdomea:Erstellungszeitpunkt>/, ''),
    );
    expect(invalid.status).toBe(422);
    const violations = (await invalid.json()) as { code: string; errors: { message: string; line: number }[] };
    expect(violations.code).toBe('XGW_XOEV_INVALID');
    expect(violations.errors[0]?.line).toBeGreaterThan(1);

    const unknown = await postMessage(gw.url, '<x:Nachricht xmlns:x="urn:example:unknown"/>');
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as { code: string }).code).toBe('XGW_XOEV_UNKNOWN_STANDARD');

    const wrongType = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(wrongType.status).toBe(415);
    expect(wrongType.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    const missing = await fetch(`${gw.url}/v1/jobs/does-not-exist`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('XGW_REQ_NOT_FOUND');
  });

  it('answers with an XÖV-style XML reply when asked for application/xml', async () => {
    const res = await postMessage(
      gw.url,
      example(XDOMEA)
        .toString('utf8')
        .replace('9fde4e7a-b41b-11ec-9225-005056871b7c', '33333333-2222-4333-8444-555555555555'),
    );
    const { location } = (await res.json()) as { location: string };
    await waitForJob(gw.url, location);
    const xml = await fetch(gw.url + location, { headers: { accept: 'application/xml' } });
    expect(xml.status).toBe(200);
    expect(xml.headers.get('content-type')).toMatch(/^application\/xml/);
    const doc = XmlDocument.fromString(await xml.text());
    try {
      expect(doc.get('//*[local-name()="nachrichtenUUID"]')?.content).toBe('33333333-2222-4333-8444-555555555555');
      expect(doc.get('//*[local-name()="nachrichtentyp"]/@listURI')?.content).toBe(
        'urn:xoev-de:xdomea:codeliste:nachrichtentyp',
      );
      expect(doc.get('/*/@status')?.content).toBe('done');
    } finally {
      doc.dispose();
    }
  });

  it('says so when the header codes another message type than the root element, in JSON and XML', async () => {
    const res = await postMessage(
      gw.url,
      example(XDOMEA)
        .toString('utf8')
        .replace('9fde4e7a-b41b-11ec-9225-005056871b7c', '44444444-2222-4333-8444-555555555555')
        .replace('<code>0503</code>', '<code>0502</code>'),
    );
    expect(res.status).toBe(202);
    const { location } = (await res.json()) as { location: string };
    const job = await waitForJob(gw.url, location);
    // The response is checked against the contract (validateResponses), warnings included.
    expect((job.result as { warnings?: unknown }).warnings).toEqual([
      {
        code: 'XGW_HEADER_TYPE_MISMATCH',
        detail: expect.stringContaining('Aussonderung.Aussonderung.0503'),
        headerCode: '0502',
        rootCode: '0503',
      },
    ]);
    const xml = await fetch(gw.url + location, { headers: { accept: 'application/xml' } });
    const doc = XmlDocument.fromString(await xml.text());
    try {
      expect(doc.get('//*[local-name()="hinweis"]/@code')?.content).toBe('XGW_HEADER_TYPE_MISMATCH');
      expect(doc.get('//*[local-name()="hinweis"]/@nachrichtentypKopf')?.content).toBe('0502');
      expect(doc.get('//*[local-name()="hinweis"]/@nachrichtentypWurzel')?.content).toBe('0503');
    } finally {
      doc.dispose();
    }
  });

  it('answers health and readiness probes', async () => {
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${gw.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { redis: { ok: true }, workers: { ok: true } },
    });
  });
});

describe('gateway with an LLM provider (fake OpenAI-compatible server)', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(async () => {
    await llm.close();
  });

  it('retries a failing analyser and ends failed with the reason', async () => {
    llm.reset();
    llm.setBehaviour({ kind: 'status', status: 500, body: { error: { message: 'boom' } } });
    const gw = await startTestGateway(
      { LLM_BASE_URL: llm.url, LLM_MODEL: 'fake-model', JOB_ATTEMPTS: '2', LLM_EXTERNAL: 'false' },
      'e2e-fail',
    );
    try {
      const res = await postMessage(gw.url, example(XDOMEA));
      const job = await waitForJob(gw.url, ((await res.json()) as { location: string }).location);
      expect(job.state).toBe('failed');
      expect(job.failedReason).toMatchObject({ code: 'XGW_LLM_UNAVAILABLE' });
      expect(job.attempts).toBe(2);
      // Each attempt stops starting calls after the first failure: at most the parallel lanes
      // (4) of calls per attempt, no retry storm.
      expect(llm.calls).toBeGreaterThanOrEqual(2);
      expect(llm.calls).toBeLessThanOrEqual(8);
    } finally {
      await gw.close();
    }
  });

  it('completes a job on another worker after its worker was killed mid-job', async () => {
    llm.reset();
    llm.setBehaviour({ kind: 'hang' });
    const prefix = testPrefix('e2e-kill');
    const env = {
      QUEUE_PREFIX: prefix,
      LLM_BASE_URL: llm.url,
      LLM_MODEL: 'fake-model',
      LLM_EXTERNAL: 'false',
      WORKER_LOCK_MS: '2000',
    };
    const api = await startTestGateway({ ...env, ROLE: 'api' }, 'e2e-kill');
    let child: ChildProcess | undefined;
    try {
      const res = await postMessage(api.url, example(XDOMEA));
      const { location } = (await res.json()) as { location: string };
      const spawned = spawnWorker(env);
      child = spawned;
      // A worker process compiled by tsx at start: on two cores shared with the browser tests that
      // can take longer than 20 s; the test is about what happens after, not about start-up time.
      await waitForJob(api.url, location, ['analysing'], 60_000);
      const deadline = Date.now() + 10_000;
      while (llm.calls === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(llm.calls).toBeGreaterThan(0);
      spawned.kill('SIGKILL');
      await new Promise((r) => spawned.once('exit', r));
      llm.setBehaviour({ kind: 'answer' });
      const worker = await startTestGateway({ ...env, ROLE: 'worker' }, 'e2e-kill');
      try {
        const job = await waitForJob(api.url, location, ['done', 'review', 'failed'], 20_000);
        expect(['done', 'review']).toContain(job.state);
        expect((job.result as { findings: { analyser: string }[] }).findings[0]?.analyser).toBe('openai');
      } finally {
        await worker.runtime.close();
        await worker.services.close();
      }
    } finally {
      if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
      await api.close();
      await cleanPrefix(prefix);
    }
  }, 120_000);
});
