import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RulesAnalyser } from '../../src/analysis/rules/rules.analyser.js';
import { evalReport } from '../../src/evaluation/eval-report.js';
import { runEval } from '../../src/evaluation/eval-run.js';
import { readEvalSet } from '../../src/evaluation/eval-set.js';
import { startFakeLlm, type FakeLlm } from '../support/fake-llm-server.js';
import { startTestGateway, waitForJob, type TestGateway } from '../support/gateway.js';

const LABELS = [
  { code: 'WID', name: 'Widerspruch', keywords: ['widerspruch'] },
  { code: 'ANT', name: 'Antrag', keywords: ['antrag'] },
];

/** Seeded personal data that must never reach the external provider. */
const PERSONAL = {
  name: 'Erika Mustermann',
  iban: 'DE89 3704 0044 0532 0130 00',
  email: 'erika.mustermann@example.org',
  phone: '0171 2345678',
  street: 'Heidestraße 17',
  az: '63-2024-00123',
};
const LETTER = `Sehr geehrte Damen und Herren, hiermit lege ich, Frau ${PERSONAL.name}, ${PERSONAL.street}, 51147 Köln, Widerspruch gegen den Bescheid Az.: ${PERSONAL.az} ein. Erstattung bitte auf ${PERSONAL.iban}. Erreichbar unter ${PERSONAL.email} oder ${PERSONAL.phone}.`;

async function postJob(gw: TestGateway, body: unknown): Promise<string> {
  const res = await fetch(`${gw.url}/v1/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { location: string }).location;
}

function lowConfidence(answer: unknown): unknown {
  return typeof answer === 'object' && answer !== null ? { ...answer, confidence: 0.2 } : answer;
}

describe('analysis with an external provider: pseudonymisation, cache, review', () => {
  let llm: FakeLlm;
  let gw: TestGateway;
  beforeAll(async () => {
    llm = await startFakeLlm();
    gw = await startTestGateway(
      { LLM_BASE_URL: llm.url, LLM_MODEL: 'fake-model', LLM_EXTERNAL: 'true', JOB_ATTEMPTS: '3' },
      'review',
    );
  });
  afterAll(async () => {
    await gw.close();
    await llm.close();
  });
  beforeEach(() => llm.reset());

  it('never sends seeded personal data to the external provider, and restores it in the finding', async () => {
    const location = await postJob(gw, {
      task: 'extract',
      text: LETTER,
      schema: { type: 'object', properties: { iban: { type: 'string' }, aktenzeichen: { type: 'string' } } },
    });
    const job = await waitForJob(gw.url, location);
    const seen = JSON.stringify(llm.requests.map((r) => r.body));
    expect(llm.calls).toBeGreaterThan(0);
    for (const value of Object.values(PERSONAL)) expect(seen).not.toContain(value);
    expect(seen).toContain('[IBAN_1]');
    const finding = (
      job.result as {
        findings: {
          pseudonymised: boolean;
          inputHash: string;
          extraction: { values: { value: string; evidence: { quote: string; start: number; end: number } | null }[] };
        }[];
      }
    ).findings[0];
    expect(finding?.pseudonymised).toBe(true);
    for (const v of finding?.extraction.values ?? []) {
      if (v.evidence === null || v.evidence.start < 0) continue;
      expect(LETTER.slice(v.evidence.start, v.evidence.end)).toBe(v.evidence.quote);
    }
  });

  it('pseudonymises the repair round too, with the names and file numbers of everyday letters (issue #14)', async () => {
    const seeded = {
      applicant: 'Ayşe Yılmaz',
      holder: 'Nguyen Thi Lan',
      doctor: 'Dr. med. Katarzyna Nowak',
      signer: 'jürgen schäfer-brandt',
      az: '3-17/2026',
      court: '4 K 1234/25',
      bv: 'BV 2026/0412',
    };
    const text = `hiermit beantrage ich, ${seeded.applicant}, Wohngeld (az ${seeded.az}, Verfahren ${seeded.court}, Bauvorgang ${seeded.bv}). Kontoinhaberin: ${seeded.holder}. Attest von ${seeded.doctor} liegt bei.\nviele grüße\n${seeded.signer}`;
    // First answer breaks the schema, so the analyser asks again: both requests must be pseudonymised.
    llm.enqueue({ kind: 'schema-violation' });
    await waitForJob(
      gw.url,
      await postJob(gw, {
        task: 'extract',
        text,
        schema: { type: 'object', properties: { name: { type: 'string' } } },
      }),
    );
    expect(llm.calls).toBe(2);
    const seen = JSON.stringify(llm.requests.map((r) => r.body)).toLowerCase();
    for (const value of Object.values(seeded))
      for (const part of value.split(/[ ,]+/).filter((p) => p.length > 3 && !p.endsWith('.')))
        expect([value, seen.includes(part.toLowerCase())]).toEqual([value, false]);
  });

  it('answers an identical part from the cache without calling the model again', async () => {
    const body = {
      task: 'classify',
      text: 'Ich lege hiermit Widerspruch gegen den Gebührenbescheid ein.',
      labels: LABELS,
    };
    await waitForJob(gw.url, await postJob(gw, body));
    const calls = llm.calls;
    expect(calls).toBeGreaterThan(0);
    const again = await waitForJob(gw.url, await postJob(gw, body));
    expect(llm.calls).toBe(calls);
    expect((again.result as { findings: { cached: boolean }[] }).findings[0]?.cached).toBe(true);
    expect((again.result as { usage: { totalTokens: number } }).usage.totalTokens).toBe(0);
    const usage = (await (await fetch(`${gw.url}/v1/usage`)).json()) as {
      clients: { client: string; jobs: number; totalTokens: number }[];
    };
    const mine = usage.clients.find((c) => c.client === 'anonymous');
    expect(mine?.jobs).toBeGreaterThanOrEqual(2);
    expect(mine?.totalTokens).toBeGreaterThan(0);
  });

  it('parks on 429 with Retry-After and finishes afterwards without using up attempts', async () => {
    llm.enqueue(
      { kind: 'status', status: 429, retryAfter: '1' },
      { kind: 'status', status: 429, retryAfter: '1' },
      { kind: 'status', status: 429, retryAfter: '1' },
    );
    const job = await waitForJob(
      gw.url,
      await postJob(gw, {
        task: 'classify',
        text: 'Antrag auf Erteilung einer Baugenehmigung für ein Carport.',
        labels: LABELS,
      }),
      ['done', 'review', 'failed'],
      20_000,
    );
    expect(job.state).toBe('done');
    expect(llm.calls).toBe(4);
  });

  it('sends a low-confidence finding to review, where a person corrects it and the job completes', async () => {
    llm.setBehaviour({ kind: 'transform', fn: lowConfidence });
    const location = await postJob(gw, {
      task: 'classify',
      text: 'Ich bitte um Prüfung meines Anliegens vom 3. Mai.',
      labels: LABELS,
    });
    const job = await waitForJob(gw.url, location, ['review', 'done', 'failed']);
    expect(job.state).toBe('review');
    const id = String(job.id);

    const list = (await (await fetch(`${gw.url}/v1/reviews`)).json()) as {
      reviews: { id: string; reasons: string[] }[];
    };
    const item = list.reviews.find((r) => r.id === id);
    expect(item?.reasons.join(' ')).toContain('low_confidence');

    const detail = (await (await fetch(`${gw.url}/v1/reviews/${id}`)).json()) as {
      job: { result: { parts: { text: string }[]; findings: { aiGenerated: boolean }[] } };
    };
    expect(detail.job.result.parts[0]?.text).toContain('Anliegens');
    expect(detail.job.result.findings[0]?.aiGenerated).toBe(true);

    const decided = await fetch(`${gw.url}/v1/reviews/${id}/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        decision: 'correct',
        corrections: [{ partId: 'p1', task: 'classify', labels: ['ANT'] }],
        comment: 'Anliegen ist ein Antrag',
      }),
    });
    expect(decided.status).toBe(200);
    const after = (await decided.json()) as {
      state: string;
      result: {
        review: { decision: string; reviewer: string };
        findings: {
          aiGenerated: boolean;
          corrected: boolean;
          acceptedBy: string;
          classification: { labels: { code: string }[] };
        }[];
      };
    };
    expect(after.state).toBe('done');
    expect(after.result.review).toMatchObject({ decision: 'correct', reviewer: 'anonymous' });
    expect(after.result.findings[0]).toMatchObject({ aiGenerated: false, corrected: true, acceptedBy: 'anonymous' });
    expect(after.result.findings[0]?.classification.labels.map((l) => l.code)).toEqual(['ANT']);

    const again = await fetch(`${gw.url}/v1/reviews/${id}/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'accept' }),
    });
    expect(again.status).toBe(409);

    const examples = await (await fetch(`${gw.url}/v1/review-examples`)).text();
    const rows = examples
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { jobId: string; proposed: string[]; corrected: string[] });
    expect(rows.find((r) => r.jobId === id)).toMatchObject({ corrected: ['ANT'] });

    // The export is an evaluation set as it is (issue #14): the correction is the truth to score against.
    const dir = mkdtempSync(join(tmpdir(), 'xgw-examples-'));
    try {
      const file = join(dir, 'corrections.jsonl');
      writeFileSync(file, examples);
      const item = (await readEvalSet(file)).find((x) => x.id === `${id}/p1`);
      expect(item?.classification).toEqual({ labels: LABELS, expected: ['ANT'], multi: false });
      const report = evalReport(await runEval(item === undefined ? [] : [item], new RulesAnalyser()));
      expect(report.sets.corrections?.classificationExactMatch).toBe(0); // the rules see no Antrag in this text
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ends a rejected job failed with the reviewer reason', async () => {
    llm.setBehaviour({ kind: 'transform', fn: lowConfidence });
    const job = await waitForJob(
      gw.url,
      await postJob(gw, {
        task: 'classify',
        text: 'Unleserliches Schreiben ohne klares Anliegen, bitte prüfen.',
        labels: LABELS,
      }),
      ['review'],
    );
    const res = await fetch(`${gw.url}/v1/reviews/${String(job.id)}/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'reject', reason: 'kein Verwaltungsvorgang' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      state: 'failed',
      failedReason: { code: 'XGW_REVIEW_REJECTED', detail: 'kein Verwaltungsvorgang' },
    });
    // The end is announced like any other: a `failed` entry by the reviewer (webhooks hear of it too).
    const audit = (await (await fetch(`${gw.url}/v1/jobs/${String(job.id)}/audit`)).json()) as {
      entries: { type: string; actor: { id: string }; details: Record<string, unknown> }[];
    };
    expect(audit.entries.slice(-2).map((e) => e.type)).toEqual(['failed', 'reviewed']);
    expect(audit.entries.at(-2)).toMatchObject({
      actor: { id: 'anonymous' },
      details: { code: 'XGW_REVIEW_REJECTED', final: true },
    });
  });

  it('sends ungrounded evidence and invalid output to review, never as fact', async () => {
    llm.setBehaviour({ kind: 'ungrounded-quote', quote: 'Dieser Satz steht nirgends im Text.' });
    const ungrounded = await waitForJob(
      gw.url,
      await postJob(gw, {
        task: 'extract',
        text: 'Bauantrag für das Grundstück Flur 3, Flurstück 112.',
        schema: { type: 'object', properties: { flurstueck: { type: 'string' } } },
      }),
      ['review', 'done', 'failed'],
    );
    expect(ungrounded.state).toBe('review');
    expect((ungrounded.result as { reviewReasons: string[] }).reviewReasons.join(' ')).toContain('ungrounded_evidence');

    llm.setBehaviour({ kind: 'schema-violation' });
    const invalid = await waitForJob(
      gw.url,
      await postJob(gw, {
        task: 'classify',
        text: 'Widerspruch gegen den Bescheid über Abwassergebühren.',
        labels: LABELS,
      }),
      ['review', 'done', 'failed'],
    );
    expect(invalid.state).toBe('review');
    expect((invalid.result as { reviewReasons: string[] }).reviewReasons.join(' ')).toContain('invalid_output');
  });
});
