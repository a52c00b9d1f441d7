import { readFileSync } from 'node:fs';
import { fromRoot } from '../../src/config/paths.js';
import { anbieteverzeichnis } from '../support/aussonderung.js';
import { makePdf } from '../support/documents.js';
import { defaultAnswer, type FakeLlm, startFakeLlm } from '../support/fake-llm-server.js';
import { postMessage, startTestGateway, type TestGateway, waitForJob } from '../support/gateway.js';

/**
 * Issue #15: what the Bewertungskatalog leaves open, a model classifies into the same code list
 * (the profile's classify task on the Betreff); rules keep deciding what they can. The model is the
 * fake OpenAI-compatible server, which reads the Betreff as a model would and answers V.
 */
describe('appraisal with a model for what the rules leave open', () => {
  let gw: TestGateway;
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm({
      responder: (req) => {
        // Extraction (the Bauantrag's Vorhaben): the fake's own deterministic answer.
        if (req.labels.length === 0) return defaultAnswer(req);
        // An XBau attachment's text: the model names its kind of Bauvorlage (Anlagen code list).
        if (req.labels.some((l) => l.code === '2003'))
          return req.source.includes('Ansicht')
            ? { labels: ['2003'], confidence: 0.9, rationale: 'Zeichnung der Ansichten.' }
            : { labels: ['1003'], confidence: 0.9, rationale: 'Schriftverkehr.' };
        return req.source.includes('Straßenreinigung')
          ? { labels: ['V'], confidence: 0.9, rationale: 'Routinevorgang ohne bleibenden Wert.' }
          : { labels: ['A'], confidence: 0.9, rationale: 'Überlieferungswert.' };
      },
    });
    gw = await startTestGateway(
      { LLM_BASE_URL: llm.url, LLM_MODEL: 'fake-model', LLM_EXTERNAL: 'false', OUTBOUND_ALLOWLIST: '127.0.0.1' },
      'usecase-model',
    );
  });
  afterAll(async () => {
    await gw.close();
    await llm.close();
  });

  it("takes the model's code where no rule holds, and says which model proposed it", async () => {
    const ids = { kasse: crypto.randomUUID(), strasse: crypto.randomUUID() };
    const xml = anbieteverzeichnis([
      { kind: 'Vorgang', id: ids.kasse, betreff: 'Kassenanordnungen 2015', aktenplan: '94.1', ende: '2015-12-31' },
      {
        kind: 'Vorgang',
        id: ids.strasse,
        betreff: 'Straßenreinigung Nordviertel',
        aktenplan: '66.3',
        ende: '2016-12-31',
      },
    ]);
    const res = await postMessage(gw.url, xml);
    const { location } = (await res.json()) as { location: string };
    const job = await waitForJob(gw.url, location, ['review', 'done', 'failed']);
    expect(job.state).toBe('review');
    const items = (
      job.result as {
        proposal: { items: { objectId: string; code: { code: string }; source: string; text: string }[] };
      }
    ).proposal.items;
    const byId = Object.fromEntries(items.map((i) => [i.objectId, i]));
    expect(byId[ids.kasse]).toMatchObject({ code: { code: 'V' }, source: 'rules' });
    expect(byId[ids.strasse]).toMatchObject({ code: { code: 'V' }, source: 'default/fake-model' });
    expect(byId[ids.strasse]?.text).toContain('Routinevorgang');
  });

  it("takes the model's kind of an attachment that declares none (completeness check)", async () => {
    const xml = readFileSync(fromRoot('examples/messages/xbau-2.6-baugenehmigung.antrag.0200.xml'), 'utf8')
      .replace('0c8f3a52-41d7-4e9b-8a3e-6b2d9f1c7e40', '0c8f3a52-41d7-4e9b-8a3e-6b2d9f1c7e4f')
      // An attachment whose name says nothing: only its content tells what it is.
      .replace('<bezeichnung>Schnitt A-A</bezeichnung>', '<bezeichnung>Plan 3</bezeichnung>')
      .replace('schnitt_a-a.pdf', 'plan3.pdf');
    const form = new FormData();
    form.append('message', new Blob([xml], { type: 'application/xml' }), 'message.xml');
    form.append(
      'attachments',
      new Blob([makePdf(['Ansicht Nord und Ansicht Süd, Maßstab 1:100'])], { type: 'application/pdf' }),
      'plan3.pdf',
    );
    const res = await fetch(`${gw.url}/v1/messages`, { method: 'POST', body: form });
    const { location } = (await res.json()) as { location: string };
    const job = await waitForJob(gw.url, location, ['review', 'done', 'failed']);
    const missing = (job.result as { proposal: { items: { kind: string; code?: { code: string } }[] } }).proposal.items
      .filter((i) => i.kind === 'missing')
      .map((i) => i.code?.code);
    // The model read plan3.pdf as Ansichten (2003): not missing; Schnitte (2002) now is.
    expect(missing).not.toContain('2003');
    expect(missing).toContain('2002');
  });
});
