import { anbieteverzeichnis } from '../support/aussonderung.js';
import { type FakeLlm, startFakeLlm } from '../support/fake-llm-server.js';
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
      responder: (req) =>
        req.source.includes('Straßenreinigung')
          ? { labels: ['V'], confidence: 0.9, rationale: 'Routinevorgang ohne bleibenden Wert.' }
          : { labels: ['A'], confidence: 0.9, rationale: 'Überlieferungswert.' },
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
});
