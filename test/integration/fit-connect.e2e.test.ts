import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromRoot } from '../../src/config/paths.js';
import { jobIdFor } from '../../src/pipeline/job-id.js';
import { writeConnectorsFile } from '../support/connectors-file.js';
import {
  type FakeZustelldienst,
  fitConnectEntry,
  startFakeZustelldienst,
  writeDestinationKeys,
} from '../support/fake-zustelldienst.js';
import { startTestGateway, type TestGateway, waitForJob } from '../support/gateway.js';
import { until } from '../support/until.js';

/**
 * Issue #18 end to end: a Zustelldienst announces a submission by callback; the gateway checks the
 * callback's HMAC, fetches and opens the submission, runs the XBau Fachdaten through the catalog
 * (XSD, nachrichtenkopf, profile) like POST /v1/messages, and accepts it with a signed event — once,
 * however often it is announced. Fachdaten the XSD refuses are rejected with the reason.
 */
describe('FIT-Connect inbound through the gateway', () => {
  const destinationId = '0c7a8f5e-3b1d-4c2e-9f6a-1b2c3d4e5f60';
  let dir: string;
  const laterDestinationId = '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a';
  let zd: FakeZustelldienst;
  /** The Zustelldienst of a destination accepted only once analysed. */
  let zdLater: FakeZustelldienst;
  let gw: TestGateway;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fit-connect-e2e-'));
    const keys = await writeDestinationKeys(dir);
    zd = await startFakeZustelldienst({ destinationId, ...keys });
    zdLater = await startFakeZustelldienst({ destinationId: laterDestinationId, ...keys });
    const file = writeConnectorsFile({
      connectors: {
        ozg: fitConnectEntry(
          zd,
          destinationId,
          dir,
          { pollIntervalSeconds: 3600, tenant: 'bauamt' },
          { clientId: 'FC_CLIENT_ID', clientSecret: 'FC_CLIENT_SECRET', callbackSecret: 'FC_CALLBACK_SECRET' },
        ),
        'ozg-later': fitConnectEntry(
          zdLater,
          laterDestinationId,
          dir,
          { pollIntervalSeconds: 3600, acceptOn: 'analysis' },
          { clientId: 'FC2_CLIENT_ID', clientSecret: 'FC2_CLIENT_SECRET', callbackSecret: 'FC_CALLBACK_SECRET' },
        ),
      },
    });
    gw = await startTestGateway(
      {
        CONNECTORS_FILE: file,
        OUTBOUND_ALLOWLIST: '127.0.0.1',
        FC_CLIENT_ID: zd.clientId,
        FC_CLIENT_SECRET: zd.clientSecret,
        FC_CALLBACK_SECRET: 'zustelldienst-callback-secret',
        FC2_CLIENT_ID: zdLater.clientId,
        FC2_CLIENT_SECRET: zdLater.clientSecret,
      },
      'fit-connect',
    );
  });
  afterAll(async () => {
    await gw.close();
    await zd.close();
    await zdLater.close();
    await rm(dir, { recursive: true, force: true });
  });

  const callbackUrl = () => `${gw.url}/v1/inbound/ozg/callback`;

  it('takes an announced XBau submission as a job of the configured tenant and accepts it once', async () => {
    const xml = await readFile(fromRoot('examples/messages/xbau-2.6-baugenehmigung.antrag.0200.xml'));
    const s = await zd.submit({ data: { bytes: xml, mimeType: 'application/xml', schemaUri: 'urn:xoev-de:xbau:2.6' } });
    const first = await zd.callback(callbackUrl(), 'zustelldienst-callback-secret', [s.submissionId]);
    expect(first.status).toBe(200);
    // Announced again (the Zustelldienst repeats callbacks): still one job, one answer.
    expect((await zd.callback(callbackUrl(), 'zustelldienst-callback-secret', [s.submissionId])).status).toBe(200);
    await until(
      () => s.state,
      (state) => state !== 'submitted',
    );
    expect(s.state).toBe('accepted');
    expect(s.events).toHaveLength(1);
    const id = jobIdFor({ tenant: 'bauamt', idempotencyKey: `fit-connect:${s.submissionId}` });
    const job = await waitForJob(gw.url, `/v1/jobs/${id}`, ['review', 'done', 'failed']);
    expect(job).toMatchObject({
      standard: 'xbau',
      messageType: 'baugenehmigung.antrag.0200',
      source: { channel: 'fit-connect', ids: { destinationId, submissionId: s.submissionId, caseId: s.caseId } },
    });
  });

  it('rejects Fachdaten the XSD refuses, naming the reason, and makes no job', async () => {
    const s = await zd.submit({
      data: { bytes: Buffer.from('<nachricht>kein XÖV</nachricht>'), mimeType: 'application/xml' },
    });
    expect((await zd.callback(callbackUrl(), 'zustelldienst-callback-secret', [s.submissionId])).status).toBe(200);
    await until(
      () => s.state,
      (state) => state !== 'submitted',
    );
    expect(s.state).toBe('rejected');
    expect(JSON.stringify(s.events[0]?.payload)).toContain('XGW_XOEV_UNKNOWN_STANDARD');
  });

  it('refuses a callback with a wrong signature or an old timestamp (401), and one for no such connector (404)', async () => {
    const wrong = await zd.callback(callbackUrl(), 'not-the-secret', []);
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('content-type')).toMatch(/problem\+json/);
    const old = await zd.callback(
      callbackUrl(),
      'zustelldienst-callback-secret',
      [],
      Math.floor(Date.now() / 1000) - 600,
    );
    expect(old.status).toBe(401);
    const none = await zd.callback(`${gw.url}/v1/inbound/nope/callback`, 'zustelldienst-callback-secret', []);
    expect(none.status).toBe(404);
  });

  it('records the answer in the audit trail of the job and counts submissions by outcome and reason', async () => {
    const xml = await readFile(fromRoot('examples/messages/xbau-2.6-baugenehmigung.antrag.0200.xml'));
    const s = await zd.submit({ data: { bytes: xml, mimeType: 'application/xml' } });
    const tampered = await zd.submit({ data: { bytes: xml, mimeType: 'application/xml' }, tamper: 'data-hash' });
    await zd.callback(callbackUrl(), 'zustelldienst-callback-secret', [s.submissionId, tampered.submissionId]);
    await until(
      () => [s.state, tampered.state],
      (states) => !states.includes('submitted'),
    );
    expect([s.state, tampered.state]).toEqual(['accepted', 'rejected']);
    const id = jobIdFor({ tenant: 'bauamt', idempotencyKey: `fit-connect:${s.submissionId}` });
    const trail = await until(
      async () => (await (await fetch(`${gw.url}/v1/jobs/${id}/audit`)).json()) as { entries: AuditEntryView[] },
      (t) => t.entries.some((e) => e.type === 'answered'),
    );
    expect(trail.entries.map((e) => e.type)).toContain('received');
    expect(trail.entries.find((e) => e.type === 'answered')).toMatchObject({
      actor: { kind: 'client', id: 'connector:ozg' },
      details: { channel: 'fit-connect', answer: 'accept', ids: { submissionId: s.submissionId, caseId: s.caseId } },
    });
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/xgw_inbound_submissions_total\{connector="ozg",outcome="accepted",reason="ok"\} [1-9]/);
    expect(metrics).toMatch(
      /xgw_inbound_submissions_total\{connector="ozg",outcome="rejected",reason="hash-mismatch"\} [1-9]/,
    );
  });

  it('lists a submission it cannot handle, with the reason, until it is answered (nothing times out unseen)', async () => {
    const s = await zd.submit({
      data: { bytes: Buffer.from('{"anliegen":"Bitte um Rückruf"}'), mimeType: 'application/json' },
      attachments: [{ filename: 'foto.jpg', mimeType: 'image/jpeg', bytes: Buffer.from('jpeg') }],
    });
    await zd.callback(callbackUrl(), 'zustelldienst-callback-secret', [s.submissionId]);
    const held = await until(
      async () =>
        (await (await fetch(`${gw.url}/v1/inbound/ozg/held`)).json()) as {
          held: { ref: string; reason: string; detail: string; attempts: number; ids: Record<string, string> }[];
        },
      (h) => h.held.some((m) => m.ref === s.submissionId),
    );
    const entry = held.held.find((m) => m.ref === s.submissionId);
    expect(entry).toMatchObject({ reason: 'XGW_CONFIG_INVALID', ids: { caseId: s.caseId } });
    expect(entry?.detail).toMatch(/attachments/);
    expect(s.state).toBe('submitted');
    // Tried again: still one entry, counted.
    await zd.callback(callbackUrl(), 'zustelldienst-callback-secret', [s.submissionId]);
    await until(
      async () =>
        ((await (await fetch(`${gw.url}/v1/inbound/ozg/held`)).json()) as { held: { ref: string; attempts: number }[] })
          .held,
      (h) => (h.find((m) => m.ref === s.submissionId)?.attempts ?? 0) >= 2,
    );
    expect((await fetch(`${gw.url}/v1/inbound/nope/held`)).status).toBe(404);
  });

  it('takes JSON Fachdaten of an online service as a Posteingang request, read field by field', async () => {
    const form = {
      antragsteller: { vorname: 'Erika', familienname: 'Mustermann', email: 'erika@example.org' },
      anliegen: 'Ich beantrage die Verlängerung meines Personalausweises.',
    };
    const s = await zd.submit({ data: { bytes: Buffer.from(JSON.stringify(form)), mimeType: 'application/json' } });
    await zd.callback(callbackUrl(), 'zustelldienst-callback-secret', [s.submissionId]);
    await until(
      () => s.state,
      (state) => state !== 'submitted',
    );
    expect(s.state).toBe('accepted');
    const id = jobIdFor({ tenant: 'bauamt', idempotencyKey: `fit-connect:${s.submissionId}` });
    const job = await waitForJob(gw.url, `/v1/jobs/${id}`, ['review', 'done']);
    expect(job).toMatchObject({ kind: 'task', source: { channel: 'fit-connect' } });
  });

  it('accepts only once the job is analysed where so configured (acceptOn: analysis)', async () => {
    const xml = await readFile(fromRoot('examples/messages/xbau-2.6-baugenehmigung.antrag.0200.xml'));
    const s = await zdLater.submit({ data: { bytes: xml, mimeType: 'application/xml' } });
    const later = `${gw.url}/v1/inbound/ozg-later/callback`;
    expect((await zdLater.callback(later, 'zustelldienst-callback-secret', [s.submissionId])).status).toBe(200);
    const id = jobIdFor({ tenant: 'default', idempotencyKey: `fit-connect:${s.submissionId}` });
    await waitForJob(gw.url, `/v1/jobs/${id}`, ['review', 'done']);
    // The job was taken before its analysis ended, so the submission still waits; the next round answers.
    expect(s.events).toHaveLength(0);
    await zdLater.callback(later, 'zustelldienst-callback-secret', [s.submissionId]);
    await until(
      () => s.state,
      (state) => state !== 'submitted',
    );
    expect(s.state).toBe('accepted');
    expect(s.events).toHaveLength(1);
  });
});

/** An audit entry as GET /v1/jobs/{id}/audit shows it. */
interface AuditEntryView {
  type: string;
  actor: { kind: string; id: string };
  details: Record<string, unknown>;
}
