import { example, postMessage, startTestGateway, waitForJob, type TestGateway } from '../support/gateway.js';
import { freePort } from '../support/ports.js';

const XDOMEA = 'examples/messages/xdomea-3.0.0-Aussonderung.0503.xml';

/** Reads one sample's value from Prometheus text exposition (undefined when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('GET /metrics (real gateway, rules analyser, real Redis)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({}, 'metrics');
  });
  afterAll(async () => {
    await gw.close();
  });

  it('counts requests by OpenAPI route template, jobs by state and standard, cache lookups and queue depth', async () => {
    const res = await postMessage(gw.url, example(XDOMEA), { 'Idempotency-Key': `metrics-${Date.now()}` });
    expect(res.status).toBe(202);
    const { location } = (await res.json()) as { location: string };
    expect((await waitForJob(gw.url, location)).state).toBe('done');
    expect((await fetch(`${gw.url}/v1/jobs/does-not-exist`)).status).toBe(404);
    expect((await postMessage(gw.url, '<not-xml')).status).toBeGreaterThanOrEqual(400);

    const scrape = await fetch(`${gw.url}/metrics`);
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toContain('text/plain');
    const text = await scrape.text();
    expect(sample(text, 'xgw_http_requests_total', { method: 'POST', route: '/v1/messages', status: '202' })).toBe(1);
    expect(sample(text, 'xgw_http_requests_total', { method: 'GET', route: '/v1/jobs/{id}', status: '404' })).toBe(1);
    expect(sample(text, 'xgw_http_request_duration_seconds_count', { route: '/v1/messages', status: '202' })).toBe(1);
    // Raw URLs never become labels.
    expect(text).not.toContain('does-not-exist');
    expect(sample(text, 'xgw_jobs_received_total', { standard: 'xdomea', duplicate: 'false' })).toBe(1);
    expect(sample(text, 'xgw_job_transitions_total', { state: 'done', standard: 'xdomea' })).toBe(1);
    expect(sample(text, 'xgw_job_duration_seconds_count', { state: 'done' })).toBe(1);
    expect(sample(text, 'xgw_cache_lookups_total', { result: 'miss' })).toBeGreaterThan(0);
    expect(sample(text, 'xgw_llm_calls_total', { provider: 'rules', outcome: 'ok' })).toBeGreaterThan(0);
    expect(sample(text, 'xgw_queue_jobs', { queue: 'analyse', state: 'waiting' })).toBe(0);
    expect(sample(text, 'xgw_queue_oldest_waiting_age_seconds', { queue: 'analyse' })).toBe(0);
    expect(sample(text, 'xgw_reviews_pending')).toBe(0);
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('serves the queue dashboard under /admin/queues to an admin (AUTH_MODE open on loopback: anonymous admin)', async () => {
    const res = await fetch(`${gw.url}/admin/queues`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const api = await fetch(`${gw.url}/admin/queues/api/queues`);
    expect(api.status).toBe(200);
    expect(JSON.stringify(await api.json())).toContain('analyse');
    // Finished jobs stay visible there (QUEUE_KEEP_COMPLETED; issue #13): the job of the test above.
    const completed = (await (
      await fetch(`${gw.url}/admin/queues/api/queues?activeQueue=analyse&status=completed`)
    ).json()) as { queues: { name: string; counts: { completed: number } }[] };
    expect(completed.queues.find((q) => q.name === 'analyse')?.counts.completed).toBeGreaterThan(0);
  });
});

describe('GET /metrics in ROLE=worker (no API port)', () => {
  it("serves the worker's metrics and probes on METRICS_PORT and nothing else there", async () => {
    const port = await freePort();
    const worker = await startTestGateway({ ROLE: 'worker', METRICS_PORT: String(port) }, 'metrics-worker');
    try {
      expect(worker.runtime.url).toBeUndefined();
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('xgw_queue_jobs{queue="analyse",state="waiting"} 0');
      expect(text).toContain('# TYPE xgw_llm_calls_total counter');
      expect((await fetch(`http://127.0.0.1:${port}/v1/standards`)).status).toBe(404);
      // Kubernetes probes a worker here (deploy/kubernetes): alive, and ready while Redis answers.
      expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({ status: 'ok' });
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready' });
    } finally {
      await worker.close();
    }
  });
});

describe('METRICS_TOKEN', () => {
  const TOKEN = 'scrape-secret-4f1c2b3a';
  const expectRefused = async (res: Response): Promise<void> => {
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(((await res.json()) as { code: string }).code).toBe('XGW_AUTH_UNAUTHENTICATED');
  };

  it('guards /metrics on the API port: 401 problem+json without or with a wrong token, 200 with it', async () => {
    const gw = await startTestGateway({ METRICS_TOKEN: TOKEN }, 'metrics-token');
    try {
      await expectRefused(await fetch(`${gw.url}/metrics`));
      await expectRefused(await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } }));
      await expectRefused(await fetch(`${gw.url}/metrics`, { headers: { authorization: TOKEN } }));
      const ok = await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('# TYPE xgw_http_requests_total counter');
      // The rest of the API is not affected by the metrics token.
      expect((await fetch(`${gw.url}/v1/standards`)).status).toBe(200);
    } finally {
      await gw.close();
    }
  });

  it('guards the worker listener on METRICS_PORT the same way', async () => {
    const port = await freePort();
    const worker = await startTestGateway(
      { ROLE: 'worker', METRICS_PORT: String(port), METRICS_TOKEN: TOKEN },
      'metrics-token-worker',
    );
    try {
      await expectRefused(await fetch(`http://127.0.0.1:${port}/metrics`));
      expect(
        (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status,
      ).toBe(200);
    } finally {
      await worker.close();
    }
  });
});

describe('xgw_job_duration_seconds with API and worker in separate processes', () => {
  it('is observed by the worker that ends the job, from the receipt time in the record', async () => {
    const port = await freePort();
    const api = await startTestGateway({ ROLE: 'api' }, 'metrics-split');
    const worker = await startTestGateway(
      { ROLE: 'worker', METRICS_PORT: String(port), QUEUE_PREFIX: api.prefix },
      'metrics-split',
    );
    try {
      const res = await postMessage(api.url, example(XDOMEA), { 'Idempotency-Key': `split-${Date.now()}` });
      expect(res.status).toBe(202);
      const { location } = (await res.json()) as { location: string };
      expect((await waitForJob(api.url, location)).state).toBe('done');
      // The end event and its metrics follow the record update by a moment.
      let text = '';
      for (let i = 0; i < 40 && !(sample(text, 'xgw_job_duration_seconds_count', { state: 'done' }) ?? 0); i++) {
        await new Promise((r) => setTimeout(r, 50));
        text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      }
      expect(sample(text, 'xgw_job_duration_seconds_count', { state: 'done' })).toBe(1);
      expect(sample(text, 'xgw_job_transitions_total', { state: 'done', standard: 'xdomea' })).toBe(1);
      // The API process never saw the end: it observes nothing.
      expect(
        sample(await (await fetch(`${api.url}/metrics`)).text(), 'xgw_job_duration_seconds_count', { state: 'done' }) ??
          0,
      ).toBe(0);
    } finally {
      await worker.close();
      await api.close();
    }
  });
});
