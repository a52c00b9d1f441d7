import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromRoot } from '../../src/config/paths.js';
import { anbieteverzeichnis } from '../support/aussonderung.js';
import { example, postMessage, startTestGateway, type TestGateway, waitForJob } from '../support/gateway.js';

interface ProposalView {
  check: string;
  replyType: string;
  items: { id: string; kind: string; code?: { code: string }; text: string; objectId?: string; evidence: unknown[] }[];
  facts: Record<string, string | boolean>;
}

/**
 * xmllint's verdict on a reply against the standard's entry XSD, next to the project's own check
 * (.ci/run installs xmllint). Asynchronous: the gateway runs in this process.
 */
async function xmllint(xml: string, xsd: string): Promise<{ status: number; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'reply-'));
  try {
    const file = join(dir, 'reply.xml');
    writeFileSync(file, xml);
    await promisify(execFile)('xmllint', ['--nonet', '--noout', '--schema', fromRoot(xsd), file]);
    return { status: 0, stderr: '' };
  } catch (error) {
    const code = error instanceof Error ? Reflect.get(error, 'code') : undefined;
    const stderr = error instanceof Error ? Reflect.get(error, 'stderr') : undefined;
    return {
      status: typeof code === 'number' ? code : -1,
      stderr: typeof stderr === 'string' ? stderr : String(error),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("replies in the standard's own message type (issue #15)", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({}, 'replies');
  });
  afterAll(async () => {
    await gw.close();
  });

  const submit = async (body: Buffer | string): Promise<{ id: string; location: string }> => {
    const res = await postMessage(gw.url, body);
    expect(res.status).toBe(202);
    return (await res.json()) as { id: string; location: string };
  };
  const decide = (id: string, body: unknown): Promise<Response> =>
    fetch(`${gw.url}/v1/reviews/${id}/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('checks a Bauantrag for completeness, lets a person drop and edit Befunde, and answers with a valid 0201', async () => {
    const job = await submit(example('test/fixtures/xbau/baugenehmigung.antrag.0200.xml'));
    const inReview = await waitForJob(gw.url, job.location, ['review', 'done', 'failed']);
    expect(inReview.state).toBe('review');
    const result = inReview.result as { proposal: ProposalView; reviewReasons: string[] };
    expect(result.reviewReasons).toContain('reply:proposal');
    const proposal = result.proposal;
    expect(proposal).toMatchObject({ check: 'completeness', replyType: 'baugenehmigung.formellePruefung.0201' });
    expect(proposal.facts.antragVollstaendig).toBe(false);
    expect(proposal.facts.frist).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // The application carries one attachment, «Lageplan im Maßstab 1:500» declared 0100
    // (Befähigungsnachweis, which no requirement asks for): read by its name as the Lageplan it is;
    // every other required Bauvorlage is missing.
    const missing = proposal.items.filter((i) => i.kind === 'missing').map((i) => i.code?.code);
    expect(missing).toEqual(['2001', '2002', '2003', '1501', '2801', '0400']);
    for (const item of proposal.items) expect(item.evidence.length).toBeGreaterThan(0);

    // Before a person decided: 409, with the problem's code.
    const early = await fetch(`${gw.url}/v1/jobs/${job.id}/reply`);
    expect(early.status).toBe(409);
    expect(((await early.json()) as { code: string }).code).toBe('XGW_REPLY_NOT_READY');

    // A change outside the proposal's code list is refused, nothing decided.
    const wrong = await decide(job.id, { decision: 'correct', proposal: [{ item: 'missing:2801', code: 'ZZZZ' }] });
    expect(wrong.status).toBe(422);

    const decided = await decide(job.id, {
      decision: 'correct',
      proposal: [
        { item: 'missing:2801', drop: true },
        { item: 'missing:2001', text: 'Bitte reichen Sie Grundrisse aller Geschosse im Maßstab 1:100 nach.' },
      ],
    });
    expect(decided.status).toBe(200);
    const done = await waitForJob(gw.url, job.location, ['done', 'failed']);
    expect(done.state).toBe('done');

    const res = await fetch(`${gw.url}/v1/jobs/${job.id}/reply`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/xml/);
    const xml = await res.text();
    expect(xml).toContain('<xbau:antragVollstaendig>false</xbau:antragVollstaendig>');
    expect(xml).toContain('<referenz>5d3c1b9e-7f0a-4c51-9a61-2b7e0c4d8f11</referenz>');
    expect(xml).toContain('Grundrisse aller Geschosse im Maßstab 1:100');
    expect(xml).not.toContain('<code>2801</code>');
    expect(xml.match(/<xbau:befund>/g)).toHaveLength(5);
    // Author and reader swapped: the authority answers the portal.
    expect(xml).toMatch(/<leser>[\s\S]*ags:09162000-portal[\s\S]*<\/leser>/);
    expect(() => gw.services.xoev.check(Buffer.from(xml))).not.toThrow();
    expect(await xmllint(xml, 'xoev-schemas/xbau/2.6/xsd/gateway-entry.xsd')).toMatchObject({ status: 0 });
  });

  it('answers a complete application, once every Befund is dropped, with antragVollstaendig=true and no Frist', async () => {
    const job = await submit(
      example('test/fixtures/xbau/baugenehmigung.antrag.0200.xml')
        .toString()
        .replace('5d3c1b9e-7f0a-4c51-9a61-2b7e0c4d8f11', '5d3c1b9e-7f0a-4c51-9a61-2b7e0c4d8f12'),
    );
    const inReview = await waitForJob(gw.url, job.location, ['review']);
    const items = (inReview.result as { proposal: ProposalView }).proposal.items;
    expect(
      (await decide(job.id, { decision: 'correct', proposal: items.map((i) => ({ item: i.id, drop: true })) })).status,
    ).toBe(200);
    await waitForJob(gw.url, job.location, ['done']);
    const xml = await (await fetch(`${gw.url}/v1/jobs/${job.id}/reply`)).text();
    expect(xml).toContain('<xbau:antragVollstaendig>true</xbau:antragVollstaendig>');
    expect(xml).not.toContain('befundFrist');
    expect(() => gw.services.xoev.check(Buffer.from(xml))).not.toThrow();
  });

  it.each(['3.0.0', '2.4.0'] as const)(
    'proposes an appraisal per Schriftgutobjekt of an xdomea %s Anbieteverzeichnis and answers with a valid 0502',
    async (version) => {
      const ids = {
        akte: crypto.randomUUID(),
        reise: crypto.randomUUID(),
        doc: crypto.randomUUID(),
        kasse: crypto.randomUUID(),
        strasse: crypto.randomUUID(),
      };
      const xml = anbieteverzeichnis(
        [
          {
            kind: 'Akte',
            id: ids.akte,
            betreff: 'Städtepartnerschaft mit Zadar',
            aktenplan: '10.2',
            beginn: '2001-01-01',
            ende: '2019-12-31',
            inner: [
              {
                kind: 'Vorgang',
                id: ids.reise,
                betreff: 'Reisekosten der Delegation 2018',
                aktenplan: '10.2',
                ende: '2018-06-01',
                inner: [{ kind: 'Dokument', id: ids.doc, betreff: 'Abrechnung' }],
              },
            ],
          },
          { kind: 'Vorgang', id: ids.kasse, betreff: 'Anordnungen 2015', aktenplan: '94.1', ende: '2015-12-31' },
          {
            kind: 'Vorgang',
            id: ids.strasse,
            betreff: 'Straßenreinigung Nordviertel',
            aktenplan: '66.3',
            ende: '2016-12-31',
          },
        ],
        { version },
      );
      const job = await submit(xml);
      const inReview = await waitForJob(gw.url, job.location, ['review', 'done', 'failed']);
      expect(inReview.state).toBe('review');
      const proposal = (inReview.result as { proposal: ProposalView }).proposal;
      const codes = Object.fromEntries(proposal.items.map((i) => [i.objectId, i.code?.code]));
      expect(codes).toEqual({
        [ids.akte]: 'A',
        [ids.reise]: 'V',
        [ids.doc]: 'V',
        [ids.kasse]: 'V',
        [ids.strasse]: 'A',
      });
      const strasse = proposal.items.find((i) => i.objectId === ids.strasse);
      expect(strasse?.text).toContain('Keine Regel');

      // An archive decides every object offered: dropping one is refused, as is a text XML cannot carry.
      expect(
        (await decide(job.id, { decision: 'correct', proposal: [{ item: `object:${ids.kasse}`, drop: true }] })).status,
      ).toBe(422);
      expect(
        (
          await decide(job.id, {
            decision: 'correct',
            proposal: [{ item: `object:${ids.kasse}`, text: 'Bitte \u0001 prüfen' }],
          })
        ).status,
      ).toBe(422);
      // The archivist decides the open one otherwise; everything else is accepted as proposed.
      expect(
        (await decide(job.id, { decision: 'correct', proposal: [{ item: `object:${ids.strasse}`, code: 'V' }] }))
          .status,
      ).toBe(200);
      await waitForJob(gw.url, job.location, ['done']);
      const reply = await (await fetch(`${gw.url}/v1/jobs/${job.id}/reply`)).text();
      expect(reply).toContain(
        `<xdomea:Aussonderung.Bewertungsverzeichnis.0502 xmlns:xdomea="urn:xoev-de:xdomea:schema:${version}"`,
      );
      expect(reply.match(/<xdomea:BewertetesObjekt>/g)).toHaveLength(5);
      expect(reply).toMatch(
        new RegExp(`${ids.strasse}</xdomea:ID>\\s*<xdomea:Aussonderungsart>[\\s\\S]*?<code>V</code>`),
      );
      expect(() => gw.services.xoev.check(Buffer.from(reply))).not.toThrow();
      expect(
        await xmllint(
          reply,
          `xoev-schemas/xdomea/${version}/xsd/${version === '3.0.0' ? 'xdomea.xsd' : 'gateway-entry.xsd'}`,
        ),
      ).toMatchObject({ status: 0 });
    },
  );

  it('answers 404 for the reply of a message type without a use case', async () => {
    const job = await submit(example('examples/messages/xdomea-3.0.0-Widerspruch.0503.xml'));
    await waitForJob(gw.url, job.location, ['done', 'review', 'failed']);
    expect((await fetch(`${gw.url}/v1/jobs/${job.id}/reply`)).status).toBe(404);
  });
});
