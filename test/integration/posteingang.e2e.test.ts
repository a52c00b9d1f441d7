import { readFileSync } from 'node:fs';
import { fromRoot } from '../../src/config/paths.js';
import { startTestGateway, type TestGateway, waitForJob } from '../support/gateway.js';

interface Item {
  id: string;
  kind: string;
  text: string;
  code?: { code: string; name?: string };
  deadline?: { rule: string; fromDate?: string; end?: string; unknown?: string; steps: string[] };
  postfach?: string;
  aiGenerated?: boolean;
  dropped?: boolean;
}
interface Result {
  findings: {
    name?: string;
    task: string;
    summary?: {
      sentences: { text: string; grounded: boolean; evidence: { quote: string; start: number; end: number }[] }[];
    };
    extraction?: { data: Record<string, unknown> };
  }[];
  parts: { id: string; text?: string }[];
  proposal?: { check: string; facts: Record<string, unknown>; items: Item[] };
  useCase?: { name: string; eingang: string };
  reply?: { messageType: string; text?: string; xml?: string };
}

/** Issue #16: citizens' requests by e-mail, contact form and text through the Posteingang profile, decided by a person. */
describe('Posteingang end to end', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ HOLIDAY_REGION: 'NW' }, 'posteingang');
  });
  afterAll(async () => {
    await gw.close();
  });

  const post = (path: string, body: unknown, type = 'application/json'): Promise<Response> =>
    fetch(gw.url + path, {
      method: 'POST',
      headers: { 'content-type': type },
      body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });

  it('an e-mail: Anliegen, cited summary, the Widerspruchsfrist from the Bescheid, the unit and a draft; a person corrects the unit and accepts', async () => {
    const mail = readFileSync(fromRoot('examples/mail/widerspruch.eml'));
    const res = await post('/v1/messages', mail, 'message/rfc822');
    expect(res.status).toBe(202);
    const { id, location } = (await res.json()) as { id: string; location: string };
    const job = await waitForJob(gw.url, location);
    expect(job.state).toBe('review');
    const result = job.result as Result;
    expect(result.useCase?.name).toBe('posteingang');
    const proposal = result.proposal;
    expect(proposal?.check).toBe('posteingang');
    const items = proposal?.items ?? [];
    expect(items.filter((i) => i.kind === 'anliegen').map((i) => i.code?.code)).toContain('WID');
    const deadline = items.find((i) => i.id === 'deadline:widerspruch')?.deadline;
    // Posted Thu 12.11.2026 → announced Mon 16.11. (§ 41 (2) VwVfG) → one month: Wed 16.12.2026.
    expect(deadline).toMatchObject({ fromDate: '2026-11-12', end: '2026-12-16' });
    const receipt = items.find((i) => i.kind === 'receipt');
    expect(receipt?.aiGenerated).toBe(true);
    expect(receipt?.text).toContain('Kassenzeichen: 5.1234.567890.1');
    // Every summary sentence rests on the mail's text, at the offsets it names.
    const summary = result.findings.find((f) => f.name === 'zusammenfassung')?.summary?.sentences ?? [];
    const text = result.parts[0]?.text ?? '';
    expect(summary.length).toBeGreaterThan(0);
    for (const s of summary) {
      expect(s.grounded).toBe(true);
      for (const e of s.evidence) expect(text.slice(e.start, e.end)).toBe(e.quote);
    }
    expect(summary.map((s) => s.text).join(' ')).toContain('Widerspruch');
    // No reply before a person decided.
    expect((await fetch(`${gw.url}/v1/jobs/${id}/reply`)).status).toBe(409);

    const decided = await post(`/v1/reviews/${id}/decision`, {
      decision: 'correct',
      proposal: [{ item: 'routing', code: 'STADTKASSE' }],
    });
    expect(decided.status).toBe(200);
    const done = await waitForJob(gw.url, location, ['done', 'failed']);
    expect(done.state).toBe('done');
    const final = done.result as Result;
    expect(final.proposal?.facts.zustaendig).toBe('STADTKASSE');
    expect(final.proposal?.items.find((i) => i.kind === 'receipt')?.aiGenerated).toBe(false);
    const reply = await fetch(`${gw.url}/v1/jobs/${id}/reply`);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/plain/);
    const letter = await reply.text();
    expect(letter).toContain('Zuständig: Stadtkasse');
    expect(letter).toContain(`Vorgang ${id}`);
    // The audit trail names the reviewer's decision.
    const audit = (await (await fetch(`${gw.url}/v1/jobs/${id}/audit`)).json()) as { entries: { type: string }[] };
    expect(audit.entries.map((e) => e.type)).toEqual(expect.arrayContaining(['received', 'analysed', 'reviewed']));
  });

  it('a contact form with a day of receipt: the Auskunft deadline runs from it; unknown start dates are said, not guessed', async () => {
    const res = await post('/v1/jobs', {
      profile: 'posteingang',
      receivedAt: '2026-04-14',
      form: {
        Name: 'Markus Klein',
        'E-Mail': 'markus.klein@example.org',
        Betreff: 'Auskunft nach Art. 15 DSGVO',
        Nachricht: 'Gemäß Art. 15 DSGVO bitte ich um Auskunft, welche personenbezogenen Daten Sie über mich speichern.',
      },
    });
    expect(res.status).toBe(202);
    const job = await waitForJob(gw.url, ((await res.json()) as { location: string }).location);
    const proposal = (job.result as Result).proposal;
    // One month after 14.4. is Thursday 14.5.2026, Christi Himmelfahrt: the period ends on Friday 15.5.
    expect(proposal?.facts).toMatchObject({ anliegen: 'AUS', zustaendig: 'DATENSCHUTZ', frist: '2026-05-15' });
    expect(proposal?.items.find((i) => i.kind === 'receipt')?.text).toContain('spätestens bis zum 15.05.2026');

    const text = await post('/v1/jobs', {
      profile: 'posteingang',
      text: 'Hiermit lege ich Widerspruch gegen Ihren Bescheid ein. Er ist falsch.',
    });
    const job2 = await waitForJob(gw.url, ((await text.json()) as { location: string }).location);
    const unknown = (job2.result as Result).proposal?.items.find((i) => i.kind === 'deadline')?.deadline;
    expect(unknown?.end).toBeUndefined();
    expect(unknown?.unknown).toMatch(/steht nicht in der Anfrage/);
    expect((job2.result as Result).proposal?.facts.fristUnbekannt).toBe(true);
  });

  it('a reviewer re-points the evidence of a value; a span outside the text or on a list is refused', async () => {
    const text = 'Name: Paula Petersen\nNachricht: Ich lege Widerspruch ein. Gruß, Paula Petersen';
    const res = await post('/v1/jobs', { profile: 'posteingang', text });
    const { id, location } = (await res.json()) as { id: string; location: string };
    await waitForJob(gw.url, location);
    const second = text.lastIndexOf('Paula Petersen');
    const decide = (evidence: unknown, data: Record<string, unknown> = { absender: 'Paula Petersen' }) =>
      post(`/v1/reviews/${id}/decision`, {
        decision: 'correct',
        corrections: [{ partId: 'p1', task: 'extract', data, evidence }],
      });
    for (const [evidence, data] of [
      [{ absender: { start: second, end: text.length + 5 } }, undefined],
      [{ absender: { start: 10, end: 10 } }, undefined],
      [{ aktenzeichen: { start: 0, end: 4 } }, { absender: 'Paula Petersen', aktenzeichen: ['X-1'] }],
    ] as const) {
      const refused = await decide(evidence, data);
      expect(refused.status).toBe(422);
      expect(JSON.stringify(await refused.json())).toContain('/corrections/0/evidence/');
    }
    expect((await decide({ absender: { start: second, end: second + 14 } })).status).toBe(200);
    const done = await waitForJob(gw.url, location, ['done', 'failed']);
    const findings = (
      done.result as {
        findings: {
          name?: string;
          extraction?: { values: { field: string; evidence: { quote: string; start: number } }[] };
        }[];
      }
    ).findings;
    const values = findings.find((f) => f.name === 'angaben')?.extraction?.values;
    expect(values?.find((v) => v.field === 'absender')?.evidence).toMatchObject({
      quote: 'Paula Petersen',
      start: second,
    });
  });

  it('a summarise task job cites its source', async () => {
    const res = await post('/v1/jobs', {
      task: 'summarise',
      maxSentences: 1,
      text: 'Sehr geehrte Damen und Herren,\n\nich beantrage einen Bewohnerparkausweis für Zone B. Mein Kennzeichen ist LF-JW 218.\n\nMit freundlichen Grüßen',
    });
    expect(res.status).toBe(202);
    const job = await waitForJob(gw.url, ((await res.json()) as { location: string }).location);
    const sentences = (job.result as Result).findings[0]?.summary?.sentences ?? [];
    expect(sentences).toHaveLength(1);
    expect(sentences[0]?.text).toContain('Bewohnerparkausweis');
  });

  it.each([
    [{ profile: 'gibt-es-nicht', text: 'x' }, '/profile'],
    [{ profile: 'posteingang', task: 'classify', text: 'x' }, '/task'],
    [{ profile: 'posteingang', text: 'x', form: { Name: 'y' } }, '/form'],
    [{ profile: 'posteingang', form: { Name: 1 } }, '/form'],
    [{ profile: 'posteingang', form: {} }, '/form'],
    [{ task: 'classify', labels: [{ code: 'A', name: 'A' }], text: 'x', receivedAt: '2026-01-01' }, '/receivedAt'],
    [{ profile: 'posteingang', receivedAt: '01.01.2026', text: 'x' }, '/receivedAt'],
    [{ profile: 'posteingang', receivedAt: '2026-02-30', text: 'x' }, '/receivedAt'],
  ])('refuses %j with problem+json naming %s', async (body, where) => {
    const res = await post('/v1/jobs', body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    const problem = (await res.json()) as { errors?: { path?: string }[] };
    expect(JSON.stringify(problem.errors ?? [])).toContain(where);
  });
});
