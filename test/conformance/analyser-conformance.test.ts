/**
 * The conformance suite every analyser runs: the offline rules analyser, the `openai` kind against
 * the OpenAI-compatible test server (real SDK, real HTTP), and a tiny test-only kind — so a new kind
 * is conformant by being added to `CASES`. What every analyser must do: answer a task with a
 * finding that names itself and the exact input; classify only into the task's label set;
 * extract only the schema's fields, each value's evidence grounded in the text or marked not
 * grounded; be safe to call concurrently; stop on an aborted signal.
 */
import { createHash } from 'node:crypto';
import type { Analyser } from '../../src/analysis/analysis.types.js';
import { analyserFor, PROVIDER_KINDS } from '../../src/analysis/providers/provider-kinds.js';
import { RulesAnalyser } from '../../src/analysis/rules/rules.analyser.js';
import type { ProviderConfig } from '../../src/config/providers.js';
import type { Finding, TaskSpec } from '../../src/jobs/finding.js';
import { startFakeLlm, type FakeLlm } from '../support/fake-llm-server.js';
import { scriptedKind } from '../support/scripted-kind.js';

const TEXT =
  'Widerspruch gegen den Bescheid vom 12.03.2024, Az. 63-2024-00123. Rückfragen an poststelle@landkreis-muster.de.';
const CLASSIFY: TaskSpec = {
  kind: 'classify',
  labels: [
    { code: 'WID', name: 'Widerspruch', keywords: ['widerspruch'] },
    { code: 'ANT', name: 'Antrag', keywords: ['antrag'] },
  ],
};
const EXTRACT: TaskSpec = {
  kind: 'extract',
  schema: {
    type: 'object',
    properties: { datum: { type: 'string', 'x-entity': 'date' }, email: { type: 'string', 'x-entity': 'email' } },
  },
};

function provider(kind: string, baseUrl: string): ProviderConfig {
  return {
    id: `conf-${kind}`,
    kind,
    baseUrl,
    model: 'fake-model',
    external: false,
    concurrency: 4,
    requestsPerMinute: 0,
    tokensPerMinute: 0,
    timeoutMs: 5000,
  };
}

let llm: FakeLlm;
beforeAll(async () => {
  llm = await startFakeLlm();
});
afterAll(async () => {
  await llm.close();
});

const CASES: [string, () => Analyser][] = [
  ['rules', () => new RulesAnalyser()],
  ...Object.keys(PROVIDER_KINDS).map((kind): [string, () => Analyser] => [
    kind,
    () => analyserFor(provider(kind, llm.url), { apiKey: 'none' }),
  ]),
  [
    'scripted (test-only kind)',
    () => analyserFor(provider('scripted', 'http://unused.invalid'), { apiKey: 'none' }, { scripted: scriptedKind }),
  ],
];

describe.each(CASES)('analyser conformance: %s', (_name, make) => {
  const sha256 = createHash('sha256').update(TEXT).digest('hex');

  const common = (f: Finding, task: TaskSpec['kind'], analyser: Analyser): void => {
    expect(f).toMatchObject({ partId: 'p7', task, analyser: analyser.name, inputHash: sha256 });
    for (const field of ['provider', 'model', 'promptVersion'] as const) expect(f[field]).toEqual(expect.any(String));
    expect(Array.isArray(f.reviewReasons)).toBe(true);
    expect(f.durationMs).toBeGreaterThanOrEqual(0);
    expect(typeof f.aiGenerated).toBe('boolean');
  };

  it("classifies into the task's label set only, with a confidence in [0, 1]", async () => {
    const analyser = make();
    const f = await analyser.analyse({ partId: 'p7', text: TEXT, task: CLASSIFY });
    common(f, 'classify', analyser);
    const codes = f.classification?.labels.map((l) => l.code) ?? [];
    for (const code of codes) expect(['WID', 'ANT']).toContain(code);
    expect(codes.length).toBeLessThanOrEqual(1);
    expect(f.classification?.confidence).toBeGreaterThanOrEqual(0);
    expect(f.classification?.confidence).toBeLessThanOrEqual(1);
  });

  it("extracts only the schema's fields, each value grounded in the text or marked not grounded", async () => {
    const analyser = make();
    const f = await analyser.analyse({ partId: 'p7', text: TEXT, task: EXTRACT });
    common(f, 'extract', analyser);
    for (const key of Object.keys(f.extraction?.data ?? {})) expect(['datum', 'email']).toContain(key);
    for (const v of f.extraction?.values ?? []) {
      if (v.grounded) expect(TEXT.slice(v.evidence?.start, v.evidence?.end)).toBe(v.evidence?.quote);
      else expect(v.evidence === null || v.evidence.start === -1).toBe(true);
    }
  });

  it('answers the same when called concurrently as one at a time', async () => {
    const analyser = make();
    const strip = (f: Finding): unknown => ({ ...f, durationMs: 0 });
    const alone = strip(await analyser.analyse({ partId: 'p7', text: TEXT, task: CLASSIFY }));
    const together = await Promise.all(
      Array.from({ length: 8 }, () => analyser.analyse({ partId: 'p7', text: TEXT, task: CLASSIFY })),
    );
    for (const f of together) expect(strip(f)).toEqual(alone);
  });

  it('stops on an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(make().analyse({ partId: 'p7', text: TEXT, task: CLASSIFY }, controller.signal)).rejects.toBeDefined();
  });
});
