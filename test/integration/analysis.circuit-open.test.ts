import { startFakeLlm, type FakeLlm } from '../support/fake-llm-server.js';
import { startTestGateway, waitForJob, type TestGateway } from '../support/gateway.js';

const LABELS = [
  { code: 'WID', name: 'Widerspruch', keywords: ['widerspruch'] },
  { code: 'ANT', name: 'Antrag', keywords: ['antrag'] },
];
/** Short cooldown so the test waits seconds, not the production 30 s. */
const COOLDOWN_MS = 2000;

interface AuditBody {
  entries: { type: string; details: Record<string, unknown> }[];
}

async function postJob(gw: TestGateway, text: string): Promise<string> {
  const res = await fetch(`${gw.url}/v1/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ task: 'classify', text, labels: LABELS }),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { location: string }).location;
}

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * The chaos soak's 1,701 failed jobs: a run of provider faults opened the circuit, and every job
 * started while it was open failed at once and used up its attempts well inside the cooldown.
 * Real gateway, real Redis, the fake OpenAI-compatible server injecting the faults.
 */
describe('analysis while every provider circuit is open (real gateway, fake LLM with faults)', () => {
  let llm: FakeLlm;
  let gw: TestGateway;
  beforeAll(async () => {
    llm = await startFakeLlm();
    gw = await startTestGateway(
      {
        LLM_BASE_URL: llm.url,
        LLM_MODEL: 'fake-model',
        LLM_EXTERNAL: 'false',
        JOB_ATTEMPTS: '3',
        JOB_BACKOFF_MS: '50',
        LLM_CIRCUIT_FAILURES: '2',
        LLM_CIRCUIT_COOLDOWN_MS: String(COOLDOWN_MS),
      },
      'circuit',
    );
  });
  afterAll(async () => {
    await gw.close();
    await llm.close();
  });

  it('parks the queue until the circuit half-opens; jobs end done without using attempts for it', async () => {
    // Two 500s in a row open the circuit (LLM_CIRCUIT_FAILURES=2): they are job A's attempts 1 and 2.
    llm.enqueue({ kind: 'status', status: 500 }, { kind: 'status', status: 500 });
    const a = await postJob(gw, 'Antrag auf Erteilung einer Baugenehmigung für einen Carport.');
    await until('the two faults that open the circuit', () => llm.calls >= 2);
    const openedAt = Date.now();
    // Job B arrives while the circuit is open.
    const b = await postJob(gw, 'Hiermit lege ich Widerspruch gegen den Gebührenbescheid ein.');

    const jobB = await waitForJob(gw.url, b, ['done', 'review', 'failed'], 20_000);
    const jobA = await waitForJob(gw.url, a, ['done', 'review', 'failed'], 20_000);
    expect({ state: jobB.state, failedReason: jobB.failedReason }).toEqual({ state: 'done', failedReason: undefined });
    expect({ state: jobA.state, failedReason: jobA.failedReason }).toEqual({ state: 'done', failedReason: undefined });
    // B waited for the cooldown instead of failing inside it.
    expect(Date.now() - openedAt).toBeGreaterThanOrEqual(COOLDOWN_MS - 200);
    // Attempts: only the two genuine failures counted. A's third attempt is the one that waited for
    // the circuit and then succeeded; B never used more than its first.
    expect(jobA.attempts).toBe(3);
    expect(jobB.attempts).toBe(1);
    // Nothing was sent to the provider while its circuit was open: 2 faults, then one call per job.
    expect(llm.calls).toBe(4);

    const auditB = (await (await fetch(`${gw.url}${b}/audit`)).json()) as AuditBody;
    expect(auditB.entries.filter((e) => e.type === 'failed')).toEqual([]);
    expect(auditB.entries.filter((e) => e.type === 'analysing').map((e) => e.details.attempt)).not.toContain(2);
    const auditA = (await (await fetch(`${gw.url}${a}/audit`)).json()) as AuditBody;
    expect(auditA.entries.filter((e) => e.type === 'failed').map((e) => [e.details.code, e.details.final])).toEqual([
      ['XGW_LLM_UNAVAILABLE', false],
      ['XGW_LLM_UNAVAILABLE', false],
    ]);

    // Operators see why the queue stood still.
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    const parks = /^xgw_queue_parked_total\{reason="circuit_open"\} (\d+)/m.exec(metrics);
    expect(Number(parks?.[1] ?? 0)).toBeGreaterThan(0);
  });
});
