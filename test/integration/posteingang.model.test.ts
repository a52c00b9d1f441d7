import { type FakeLlm, startFakeLlm } from '../support/fake-llm-server.js';
import { startTestGateway, type TestGateway, waitForJob } from '../support/gateway.js';

/**
 * Issue #16 on the model path: the Posteingang profile's three tasks through an external provider
 * (the fake OpenAI-compatible server): personal data pseudonymised before it leaves, the summary's
 * quotes grounded in the original text, an ungrounded sentence sending the job to review with its reason.
 */
describe('Posteingang with a model', () => {
  let gw: TestGateway;
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
    gw = await startTestGateway(
      { LLM_BASE_URL: llm.url, LLM_MODEL: 'fake-model', LLM_EXTERNAL: 'true', OUTBOUND_ALLOWLIST: '127.0.0.1' },
      'posteingang-model',
    );
  });
  afterAll(async () => {
    await gw.close();
    await llm.close();
  });

  // Each test its own text: the finding cache would otherwise answer the second from the first.
  const submit = async (extra = ''): Promise<Record<string, unknown>> => {
    const res = await fetch(`${gw.url}/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        profile: 'posteingang',
        text: `Sehr geehrte Damen und Herren,\n\nhiermit lege ich, Erika Musterfrau, Widerspruch gegen den Bescheid vom 12.11.2026 ein. Die Gebühr ist aus meiner Sicht zu hoch berechnet worden.${extra}\n\nMit freundlichen Grüßen\nErika Musterfrau`,
      }),
    });
    expect(res.status).toBe(202);
    return waitForJob(gw.url, ((await res.json()) as { location: string }).location);
  };

  interface Summary {
    name?: string;
    provider: string;
    pseudonymised?: boolean;
    summary?: {
      sentences: { text: string; grounded: boolean; evidence: { quote: string; start: number; end: number }[] }[];
    };
  }

  it('summarises with quotes grounded in the original, after the names were hidden from the provider', async () => {
    llm.reset();
    const job = await submit();
    const result = job.result as { findings: Summary[]; parts: { text?: string }[] };
    const summary = result.findings.find((f) => f.name === 'zusammenfassung');
    expect(summary?.provider).not.toBe('rules');
    const sentences = summary?.summary?.sentences ?? [];
    expect(sentences.length).toBeGreaterThan(0);
    const text = result.parts[0]?.text ?? '';
    for (const s of sentences) {
      expect(s.grounded).toBe(true);
      for (const e of s.evidence) expect(text.slice(e.start, e.end)).toBe(e.quote);
    }
    // Restored after the call: the name is back in the quotes, and never reached the provider.
    expect(JSON.stringify(sentences)).toContain('Erika Musterfrau');
    expect(JSON.stringify(llm.requests.map((r) => r.body))).not.toContain('Musterfrau');
  });

  it('a sentence whose quote is not in the text sends the job to review as ungrounded', async () => {
    llm.reset();
    // Classify and extract answer as usual; the summary's quotes are made up.
    llm.setBehaviour({ kind: 'ungrounded-quote', quote: 'Der Bürger droht mit Klage.' });
    const job = await submit(' Ich bitte um eine kurze Bestätigung.');
    expect(job.state).toBe('review');
    const result = job.result as { findings: Summary[]; reviewReasons: string[] };
    const summary = result.findings.find((f) => f.name === 'zusammenfassung');
    expect(summary?.summary?.sentences.every((s) => !s.grounded)).toBe(true);
    expect(result.reviewReasons).toEqual(expect.arrayContaining(['p1:summarise:ungrounded_evidence']));
  });
});
