import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair } from 'jose';
import {
  InboundRefusal,
  type InboundMessage,
  type InboundReceipt,
  type InboundReport,
} from '../../connectors/connector.js';
import { createHmac } from 'node:crypto';
import {
  createFitConnect,
  type FitConnectConnector,
  verifyCallback,
} from '../../connectors/fit-connect/fit-connect.connector.js';
import {
  type FakeZustelldienst,
  type StoredSubmission,
  startFakeZustelldienst,
  writeDestinationKeys,
} from '../support/fake-zustelldienst.js';

/** The payload of a submission's first event, under its event type. */
function eventBody(s: StoredSubmission): Record<string, unknown> {
  const e = s.events[0];
  const events = e?.payload.events;
  if (e === undefined || typeof events !== 'object' || events === null) return {};
  const body: unknown = Reflect.get(events, e.type);
  return typeof body === 'object' && body !== null ? Object.fromEntries(Object.entries(body)) : {};
}

/**
 * Issue #18, the subscriber's core: a submission fetched from a Zustelldienst that speaks the
 * Submission API, decrypted with the destination's key, checked against the hashes of its
 * metadata, handed over with its attachments, and accepted with the authentication tags — or
 * rejected, with the problem, when it cannot be decrypted, does not match its hashes, its
 * attachments do not match the metadata, or the gateway refuses the Fachdaten.
 */
describe('FIT-Connect subscriber', () => {
  const destinationId = '7b3e1c2a-1d2e-4f5a-9b8c-0d1e2f3a4b5c';
  let dir: string;
  let zd: FakeZustelldienst;
  let connector: FitConnectConnector;
  const handed: InboundMessage[] = [];
  const submit = async (m: InboundMessage): Promise<InboundReceipt> => {
    if (m.body.toString('utf8').includes('<kaputt')) throw new InboundRefusal('not valid against its XSD', 'line 1');
    handed.push(m);
    return { jobId: `job-${m.idempotencyKey ?? ''}`, stage: 'received' };
  };

  beforeAll(async () => {
    const other = await generateKeyPair('RSA-OAEP-256', { modulusLength: 2048 });
    dir = await mkdtemp(join(tmpdir(), 'fit-connect-'));
    zd = await startFakeZustelldienst({
      destinationId,
      ...(await writeDestinationKeys(dir, { decrypt: 'dest-1', sign: 'sig-1' })),
      otherKey: other.publicKey,
    });
    connector = make('receipt');
  });
  const make = (acceptOn: 'receipt' | 'analysis', minKeyBits = 2048): FitConnectConnector =>
    createFitConnect(
      {
        destinationId,
        submissionApi: zd.url,
        tokenUrl: zd.tokenUrl,
        decryptionKeyFile: join(dir, 'decrypt.jwk'),
        signingKeyFile: join(dir, 'sign.jwk'),
        pollIntervalSeconds: 60,
        setPayloadSchema: 'https://schema.fitko.de/fit-connect/set-payload/1.2.2/set-payload.schema.json',
        maxBytes: 1024 * 1024,
        maxAttachments: 50,
        tenant: 'default',
        acceptOn,
        minKeyBits,
      },
      {
        name: 'ozg',
        secrets: { clientId: zd.clientId, clientSecret: zd.clientSecret },
        fetch: (url, init) => fetch(url, init),
        logger: { info: () => undefined, warn: () => undefined },
      },
    );
  afterAll(async () => {
    await connector.close();
    await zd.close();
    await rm(dir, { recursive: true, force: true });
  });

  const xml = Buffer.from('<?xml version="1.0"?><antrag><anlage>lageplan.pdf</anlage></antrag>');

  it('accepts a sound submission after handing over the Fachdaten and attachments, once per submission id', async () => {
    const s = await zd.submit({
      data: { bytes: xml, mimeType: 'application/xml' },
      attachments: [{ filename: 'lageplan.pdf', mimeType: 'application/pdf', bytes: Buffer.from('%PDF-1.7 Lageplan') }],
    });
    const waiting = await connector.waiting();
    expect(waiting.map((w) => w.submissionId)).toContain(s.submissionId);
    expect(await connector.pickUp({ submissionId: s.submissionId, caseId: s.caseId }, submit)).toBe('accepted');
    const message = handed.find((m) => m.idempotencyKey === `fit-connect:${s.submissionId}`);
    expect(message?.body.equals(xml)).toBe(true);
    expect(message?.contentType).toBe('application/xml');
    expect(message?.attachments?.map((a) => [a.fileName, a.bytes.toString()])).toEqual([
      ['lageplan.pdf', '%PDF-1.7 Lageplan'],
    ]);
    // The accept event, signed PS512, names the authentication tags of exactly what was checked.
    const event = s.events[0];
    expect(event?.type).toBe('https://schema.fitko.de/fit-connect/events/accept-submission');
    expect(event?.header).toMatchObject({ alg: 'PS512', typ: 'secevent+jwt', kid: 'sig-1' });
    expect(event?.payload).toMatchObject({
      iss: destinationId,
      sub: `submission:${s.submissionId}`,
      txn: `case:${s.caseId}`,
    });
    const [attachmentId, compact] = [...s.attachments.entries()][0] ?? ['', ''];
    expect(eventBody(s).authenticationTags).toEqual({
      metadata: s.encryptedMetadata.split('.')[4],
      data: s.encryptedData?.split('.')[4],
      attachments: { [attachmentId]: compact.split('.')[4] },
    });
    expect(s.state).toBe('accepted');
    expect((await connector.waiting()).map((w) => w.submissionId)).not.toContain(s.submissionId);
  });

  it.each([
    ['data-hash', 'hash-mismatch'],
    ['corrupt-jwe', 'encryption-issue'],
    ['wrong-key', 'encryption-issue'],
    ['metadata-not-json', 'syntax-violation'],
    ['undeclared-attachment', 'incorrect-attachment'],
    ['missing-attachment', 'missing-attachment'],
  ] as const)('rejects a submission with %s, naming the problem, and hands nothing over', async (tamper, name) => {
    const before = handed.length;
    const s = await zd.submit({
      data: { bytes: xml, mimeType: 'application/xml' },
      attachments: [
        { filename: 'a.pdf', mimeType: 'application/pdf', bytes: Buffer.from('%PDF a') },
        { filename: 'b.pdf', mimeType: 'application/pdf', bytes: Buffer.from('%PDF b') },
      ],
      tamper,
    });
    expect(await connector.pickUp({ submissionId: s.submissionId, caseId: s.caseId }, submit)).toBe('rejected');
    expect(handed.length).toBe(before);
    const event = s.events[0];
    expect(event?.type).toBe('https://schema.fitko.de/fit-connect/events/reject-submission');
    expect(eventBody(s).problems).toMatchObject([
      { type: `https://schema.fitko.de/fit-connect/events/problems/${name}` },
    ]);
    expect(s.state).toBe('rejected');
  });

  it('rejects Fachdaten the gateway refuses, with its reason', async () => {
    const s = await zd.submit({ data: { bytes: Buffer.from('<kaputt'), mimeType: 'application/xml' } });
    expect(await connector.pickUp({ submissionId: s.submissionId, caseId: s.caseId }, submit)).toBe('rejected');
    expect(eventBody(s).problems).toMatchObject([{ detail: 'not valid against its XSD', instance: 'line 1' }]);
  });

  it('leaves a submission waiting when the service fails (5xx, retryable) and takes it on the next round', async () => {
    const s = await zd.submit({ data: { bytes: xml, mimeType: 'application/xml' } });
    zd.failNext([503]);
    await expect(connector.pickUp({ submissionId: s.submissionId, caseId: s.caseId }, submit)).rejects.toMatchObject({
      name: 'ConnectorError',
      retryable: true,
    });
    expect(s.state).toBe('submitted');
    // Picked up twice at once (a poll and a callback): both hand it over under the one idempotency key
    // (one job at the gateway), and the Zustelldienst takes one answer.
    const results = await Promise.allSettled([
      connector.pickUp({ submissionId: s.submissionId, caseId: s.caseId }, submit),
      connector.pickUp({ submissionId: s.submissionId, caseId: s.caseId }, submit),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(s.events).toHaveLength(1);
    expect(s.state).toBe('accepted');
  });

  it('leaves a submission for another key waiting (our key file is wrong), and keeps two attachments of one name apart', async () => {
    const foreign = await zd.submit({ data: { bytes: xml, mimeType: 'application/xml' }, tamper: 'foreign-kid' });
    await expect(
      connector.pickUp({ submissionId: foreign.submissionId, caseId: foreign.caseId }, submit),
    ).rejects.toMatchObject({ name: 'ConnectorError', retryable: true });
    expect(foreign.state).toBe('submitted');
    const twins = await zd.submit({
      data: { bytes: xml, mimeType: 'application/xml' },
      attachments: [
        { filename: 'Foto.jpg', mimeType: 'image/jpeg', bytes: Buffer.from('eins') },
        { filename: 'Foto.jpg', mimeType: 'image/jpeg', bytes: Buffer.from('zwei') },
      ],
    });
    expect(await connector.pickUp({ submissionId: twins.submissionId, caseId: twins.caseId }, submit)).toBe('accepted');
    const names = handed
      .find((m) => m.idempotencyKey === `fit-connect:${twins.submissionId}`)
      ?.attachments?.map((a) => a.fileName);
    expect(new Set(names).size).toBe(2);
    expect(names?.[0]).toBe('Foto.jpg');
  });

  it('checks callbacks: HMAC-SHA512 over timestamp and body, at most five minutes old, compared in constant time', () => {
    const body = Buffer.from('{"type":"https://schema.fitko.de/fit-connect/submission-api/callbacks/new-submissions"}');
    const now = Date.now();
    const ts = String(Math.floor(now / 1000));
    const mac = createHmac('sha512', 'geheim').update(`${ts}.`).update(body).digest('hex');
    const notice = (m: string, t: string) => ({
      headers: { 'callback-authentication': m, 'callback-timestamp': t },
      body,
    });
    expect(verifyCallback(notice(mac, ts), 'geheim', now)).toBeUndefined();
    expect(verifyCallback(notice(mac, ts), 'anderes', now)).toMatch(/does not check out/);
    expect(verifyCallback(notice(mac, ts), 'geheim', now + 6 * 60 * 1000)).toMatch(/five minutes/);
    expect(verifyCallback(notice(mac.slice(2), ts), 'geheim', now)).toMatch(/malformed/);
    expect(verifyCallback({ headers: {}, body }, 'geheim', now)).toMatch(/malformed/);
    const tampered = { ...notice(mac, ts), body: Buffer.concat([body, Buffer.from(' ')]) };
    expect(verifyCallback(tampered, 'geheim', now)).toMatch(/does not check out/);
  });

  it('fetches a new token once when the old one is refused, and leaves a submission alone when the gateway cannot take it now', async () => {
    const tokens = zd.tokens;
    zd.expireTokenOnce();
    const s = await zd.submit({ data: { bytes: xml, mimeType: 'application/xml' } });
    await expect(
      connector.pickUp({ submissionId: s.submissionId, caseId: s.caseId }, async (): Promise<InboundReceipt> => {
        throw new Error('Redis away');
      }),
    ).rejects.toThrow('Redis away');
    expect(zd.tokens).toBe(tokens + 1);
    // Not answered: the next round picks it up again.
    expect(s.state).toBe('submitted');
    expect(await connector.pickUp({ submissionId: s.submissionId, caseId: s.caseId }, submit)).toBe('accepted');
  });

  it('accepts only once the job is analysed when so configured, holds one whose job failed, and reports every outcome', async () => {
    const later = make('analysis');
    const reports: InboundReport[] = [];
    const report = async (r: InboundReport) => {
      reports.push(r);
    };
    let stage: InboundReceipt['stage'] = 'received';
    const staged = async (m: InboundMessage): Promise<InboundReceipt> => ({ jobId: `job-${m.idempotencyKey}`, stage });
    const s = await zd.submit({ data: { bytes: xml, mimeType: 'application/xml' } });
    const ref = { submissionId: s.submissionId, caseId: s.caseId };
    expect(await later.pickUp(ref, staged, report)).toBe('waiting');
    expect(s.state).toBe('submitted');
    stage = 'analysed';
    expect(await later.pickUp(ref, staged, report)).toBe('accepted');
    expect(s.events).toHaveLength(1);
    expect(reports.map((r) => r.outcome)).toEqual(['waiting', 'accepted']);
    expect(reports[1]).toMatchObject({
      ref: s.submissionId,
      jobId: `job-fit-connect:${s.submissionId}`,
      ids: { destinationId, submissionId: s.submissionId, caseId: s.caseId },
    });

    stage = 'failed';
    const failed = await zd.submit({ data: { bytes: xml, mimeType: 'application/xml' } });
    await expect(
      later.pickUp({ submissionId: failed.submissionId, caseId: failed.caseId }, staged, report),
    ).rejects.toThrow(/failed/);
    expect(failed.state).toBe('submitted');
    expect(reports.at(-1)).toMatchObject({ outcome: 'held', reason: 'analysis-failed' });

    const tampered = await zd.submit({ data: { bytes: xml, mimeType: 'application/xml' }, tamper: 'data-hash' });
    expect(await later.pickUp({ submissionId: tampered.submissionId, caseId: tampered.caseId }, staged, report)).toBe(
      'rejected',
    );
    expect(reports.at(-1)).toMatchObject({ outcome: 'rejected', reason: 'hash-mismatch' });
    await later.close();
  });

  it('refuses key files below the required modulus (FIT-Connect: 4096 bits), naming the file, not the key', async () => {
    const strict = make('receipt', 4096);
    const health = await strict.healthCheck();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(/decrypt\.jwk has 2048 bits; at least 4096/);
    await strict.close();
  });
});
