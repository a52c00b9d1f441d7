import { createHash } from 'node:crypto';
import { OpenAiAnalyser, type OpenAiAnalyserOptions } from '../../src/analysis/providers/openai/openai.analyser.js';
import type { AnalysisRequest } from '../../src/analysis/analysis.types.js';
import type { Label, TaskSpec } from '../../src/jobs/finding.js';
import { AppError } from '../../src/errors/app-error.js';
import { startFakeLlm, type FakeLlm } from '../support/fake-llm-server.js';

const LABELS: Label[] = [
  { code: '100', name: 'Neubau' },
  { code: '200', name: 'Abbruch', keywords: ['Rückbau'] },
  { code: '300', name: 'Nutzungsänderung' },
];
const TEXT =
  'Aktenzeichen:   AZ-2024-17\nBauherr: Erika Mustermann\nAnzahl Geschosse: 3\nWir beantragen den Abbruch der alten Scheune.';
const CLASSIFY: TaskSpec = { kind: 'classify', labels: LABELS, confidenceThreshold: 0.5 };
const EXTRACT: TaskSpec = {
  kind: 'extract',
  confidenceThreshold: 0.5,
  schema: {
    type: 'object',
    properties: {
      aktenzeichen: { type: 'string', description: 'Aktenzeichen des Vorgangs' },
      bauherr: { type: 'string' },
      anzahlGeschosse: { type: 'integer' },
    },
    required: ['aktenzeichen'],
  },
};

function req(task: TaskSpec, text = TEXT): AnalysisRequest {
  return { partId: 'part-1', text, task };
}

function userOf(body: unknown): string {
  const messages =
    typeof body === 'object' && body !== null && 'messages' in body && Array.isArray(body.messages)
      ? body.messages
      : [];
  return JSON.stringify(messages);
}

async function caught(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('OpenAiAnalyser against a fake OpenAI-compatible server', () => {
  let llm: FakeLlm;
  let analyser: OpenAiAnalyser;
  const make = (extra: Partial<OpenAiAnalyserOptions> = {}): OpenAiAnalyser =>
    new OpenAiAnalyser({
      providerId: 'local-vllm',
      baseURL: llm.url,
      apiKey: 'sk-test',
      model: 'fake-model',
      timeoutMs: 2000,
      ...extra,
    });

  beforeEach(async () => {
    llm = await startFakeLlm();
    analyser = make();
  });
  afterEach(async () => {
    await llm.close();
  });

  it('classifies with a strict JSON Schema and records provenance', async () => {
    const f = await analyser.analyse(req(CLASSIFY));
    expect(f.classification?.labels.map((l) => l.code)).toEqual(['200']);
    expect(f.classification?.labels[0]).toEqual(LABELS[1]);
    expect(f).toMatchObject({
      partId: 'part-1',
      task: 'classify',
      analyser: 'openai',
      provider: 'local-vllm',
      model: 'fake-model',
      promptVersion: 'classify.v1',
      aiGenerated: true,
      reviewReasons: [],
      inputHash: createHash('sha256').update(TEXT).digest('hex'),
    });
    expect(f.usage?.totalTokens).toBeGreaterThan(0);
    expect(f.durationMs).toBeGreaterThanOrEqual(0);

    expect(llm.calls).toBe(1);
    const body = llm.requests[0]?.body;
    expect(body).toMatchObject({
      model: 'fake-model',
      temperature: 0,
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'classification',
          strict: true,
          schema: { additionalProperties: false, properties: { labels: { items: { enum: ['100', '200', '300'] } } } },
        },
      },
    });
    expect(userOf(body)).toContain('<<<SOURCE-');
    expect(llm.requests[0]?.headers['authorization']).toBe('Bearer sk-test');
  });

  it('extracts values with evidence offsets into the original text', async () => {
    const f = await analyser.analyse(req(EXTRACT));
    expect(f.promptVersion).toBe('extract.v1');
    expect(f.reviewReasons).toEqual([]);
    expect(f.extraction?.data).toEqual({ aktenzeichen: 'AZ-2024-17', bauherr: 'Erika Mustermann', anzahlGeschosse: 3 });
    for (const v of f.extraction?.values ?? []) {
      expect(v.grounded).toBe(true);
      expect(v.evidence).not.toBeNull();
      expect(TEXT.slice(v.evidence?.start, v.evidence?.end)).toBe(v.evidence?.quote);
    }
    const az = f.extraction?.values.find((v) => v.field === 'aktenzeichen');
    expect(az?.evidence).toEqual({
      quote: 'AZ-2024-17',
      start: TEXT.indexOf('AZ-2024-17'),
      end: TEXT.indexOf('AZ-2024-17') + 10,
    });
  });

  it('maps 429 with Retry-After to XGW_LLM_RATE_LIMITED with seconds', async () => {
    llm.enqueue({ kind: 'status', status: 429, retryAfter: '17' });
    const e = await caught(analyser.analyse(req(CLASSIFY)));
    expect(e.code).toBe('XGW_LLM_RATE_LIMITED');
    expect(e.retryAfterSeconds).toBe(17);
    expect(e.retryable).toBe(true);
    expect(llm.calls).toBe(1); // the SDK does not retry: the queue is the one retry layer
  });

  it('maps 500 to XGW_LLM_UNAVAILABLE without retrying', async () => {
    llm.enqueue({ kind: 'status', status: 500 });
    const e = await caught(analyser.analyse(req(CLASSIFY)));
    expect(e.code).toBe('XGW_LLM_UNAVAILABLE');
    expect(e.extensions).toMatchObject({ provider: 'local-vllm', providerStatus: 500 });
    expect(llm.calls).toBe(1);
  });

  it('maps a dead endpoint to XGW_LLM_UNAVAILABLE', async () => {
    const url = llm.url;
    await llm.close();
    llm = await startFakeLlm();
    const e = await caught(
      new OpenAiAnalyser({ providerId: 'p', baseURL: url, apiKey: 'k', model: 'm', timeoutMs: 2000 }).analyse(
        req(CLASSIFY),
      ),
    );
    expect(e.code).toBe('XGW_LLM_UNAVAILABLE');
  });

  it('maps 401 to XGW_CONFIG_INVALID (retrying a wrong key does not help)', async () => {
    llm.enqueue({ kind: 'status', status: 401 });
    expect((await caught(analyser.analyse(req(CLASSIFY)))).code).toBe('XGW_CONFIG_INVALID');
  });

  it('times out quickly on a hanging provider with XGW_LLM_TIMEOUT', async () => {
    llm.setBehaviour({ kind: 'hang' });
    const t0 = Date.now();
    const e = await caught(make({ timeoutMs: 300 }).analyse(req(CLASSIFY)));
    expect(e.code).toBe('XGW_LLM_TIMEOUT');
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('maps a caller abort to XGW_LLM_TIMEOUT', async () => {
    llm.setBehaviour({ kind: 'hang' });
    const e = await caught(analyser.analyse(req(CLASSIFY), AbortSignal.timeout(100)));
    expect(e.code).toBe('XGW_LLM_TIMEOUT');
  });

  it('maps an answer without choices to XGW_LLM_BAD_OUTPUT', async () => {
    llm.enqueue({ kind: 'no-choices' });
    expect((await caught(analyser.analyse(req(CLASSIFY)))).code).toBe('XGW_LLM_BAD_OUTPUT');
  });

  it('repairs malformed JSON in a second call that names the problem', async () => {
    llm.enqueue({ kind: 'malformed' });
    const f = await analyser.analyse(req(CLASSIFY));
    expect(llm.calls).toBe(2);
    expect(f.classification?.labels.map((l) => l.code)).toEqual(['200']);
    expect(f.reviewReasons).toEqual([]);
    expect(userOf(llm.requests[1]?.body)).toContain('kein gültiges JSON');
    // usage covers both calls
    expect(f.usage?.totalTokens).toBeGreaterThan(0);
  });

  it('gives up after one repair: schema violations twice → invalid_output finding, not an exception', async () => {
    llm.enqueue({ kind: 'schema-violation' }, { kind: 'schema-violation' });
    const f = await analyser.analyse(req(CLASSIFY));
    expect(llm.calls).toBe(2);
    expect(f.reviewReasons).toEqual(['invalid_output']);
    expect(f.classification).toEqual({ labels: [], confidence: 0, rationale: '' });
    expect(userOf(llm.requests[1]?.body)).toContain('labels');
  });

  it('never lets a label outside the set into a finding', async () => {
    llm.setBehaviour({ kind: 'foreign-label', label: 'XYZ' });
    const f = await analyser.analyse(req(CLASSIFY));
    expect(f.classification?.labels).toEqual([]);
    expect(f.reviewReasons).toContain('invalid_output');
    expect(JSON.stringify(f)).not.toContain('XYZ');
  });

  it('marks an ungrounded quote: grounded false, offsets -1, ungrounded_evidence', async () => {
    llm.enqueue({ kind: 'ungrounded-quote', quote: 'AZ-9999-99' });
    const f = await analyser.analyse(req(EXTRACT));
    const az = f.extraction?.values.find((v) => v.field === 'aktenzeichen');
    expect(az).toMatchObject({ grounded: false, evidence: { quote: 'AZ-9999-99', start: -1, end: -1 } });
    expect(f.reviewReasons).toContain('ungrounded_evidence');
  });

  it('flags low confidence below the task threshold', async () => {
    const f = await analyser.analyse(req({ ...CLASSIFY, confidenceThreshold: 0.99 }));
    expect(f.reviewReasons).toEqual(['low_confidence']);
  });

  it('flags a violation of the caller target schema (missing required value)', async () => {
    const f = await analyser.analyse(req(EXTRACT, 'Bauherr: Erika Mustermann'));
    expect(f.extraction?.data).toEqual({ bauherr: 'Erika Mustermann' });
    expect(f.reviewReasons).toEqual(['target_schema_violation']);
  });

  it('falls back to json_object with the schema in the prompt when configured', async () => {
    const strictless = await startFakeLlm({ supportsJsonSchema: false });
    try {
      const a = new OpenAiAnalyser({
        providerId: 'ollama',
        baseURL: strictless.url,
        apiKey: 'k',
        model: 'm',
        timeoutMs: 2000,
        supportsJsonSchema: false,
      });
      const f = await a.analyse(req(CLASSIFY));
      expect(f.classification?.labels.map((l) => l.code)).toEqual(['200']);
      expect(strictless.calls).toBe(1);
      expect(strictless.requests[0]?.body).toMatchObject({ response_format: { type: 'json_object' } });
      expect(userOf(strictless.requests[0]?.body)).toContain('JSON Schema');
    } finally {
      await strictless.close();
    }
  });

  it('auto-detects a provider without json_schema and stays on json_object', async () => {
    const strictless = await startFakeLlm({ supportsJsonSchema: false });
    try {
      const a = new OpenAiAnalyser({
        providerId: 'proxy',
        baseURL: strictless.url,
        apiKey: 'k',
        model: 'm',
        timeoutMs: 2000,
      });
      const f1 = await a.analyse(req(EXTRACT));
      expect(f1.extraction?.data).toMatchObject({ aktenzeichen: 'AZ-2024-17' });
      expect(strictless.calls).toBe(2); // one 400, one json_object
      await a.analyse(req(CLASSIFY));
      expect(strictless.calls).toBe(3); // no second probe
    } finally {
      await strictless.close();
    }
  });

  it('is safe to call concurrently', async () => {
    const findings = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        analyser.analyse({ partId: `p${i}`, text: TEXT, task: i % 2 === 0 ? CLASSIFY : EXTRACT }),
      ),
    );
    expect(findings.map((f) => f.partId)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7']);
    expect(findings.every((f) => f.reviewReasons.length === 0)).toBe(true);
  });
});
