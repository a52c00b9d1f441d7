/**
 * Issue #19, OpenTelemetry traces: a gateway in two processes (ROLE=api, ROLE=worker), configured only
 * by the standard OTEL_* variables, exports over OTLP/HTTP to a collector. One job submitted with a
 * caller's `traceparent` is one trace: the API's HTTP server span and receive span, BullMQ's producer
 * and consumer spans across the real queue, the model call as a GenAI span with its HTTP request,
 * the callback's connector span, from both processes; every log line of the job carries the trace
 * id; no span attribute holds the text or the personal data in it.
 */
import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeLlm, type FakeLlm } from '../support/fake-llm-server.js';
import { startFakeOtlpCollector, type CollectedSpan, type FakeOtlpCollector } from '../support/fake-otlp-collector.js';
import { spawnGateway } from '../support/gateway.js';
import { freePort } from '../support/ports.js';
import { cleanPrefix, testPrefix } from '../support/redis.js';
import { tracedTaskBody } from '../support/traced-task.js';
import { until } from '../support/until.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const TEXT =
  'Sehr geehrte Damen und Herren, hiermit beantrage ich, Erika Mustermann, wohnhaft Lindenstraße 12 in 54321 Lindenfurt, ' +
  'die Erstattung auf mein Konto DE89 3704 0044 0532 0130 00. Rückfragen bitte an erika.mustermann@example.org.';
/** What must never appear in a span: the person, the account, the address, the mail, the text itself. */
const PERSONAL = [
  'Mustermann',
  'Erika',
  'DE89',
  '0532',
  'Lindenstraße',
  'erika.mustermann',
  'hiermit beantrage',
  // Who called: a browser's user agent, the address a proxy forwarded, a caller's baggage.
  'Sachbearbeitung-PC-17',
  '203.0.113.7',
  'kundennummer',
];

/** Server, internal, client, producer, consumer as OTLP numbers them. */
const KIND = { server: 2, internal: 1, client: 3, producer: 4, consumer: 5 };

let collector: FakeOtlpCollector;
let llm: FakeLlm;
let callbacks: Server;
let callbackUrl: string;
/** The `traceparent` headers of the callbacks received. */
const traceparents: string[] = [];
/** Whether a callback arrived with a `baggage` header (a caller's baggage must not travel on). */
let baggageForwarded = false;

beforeAll(async () => {
  collector = await startFakeOtlpCollector();
  llm = await startFakeLlm();
  callbacks = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      traceparents.push(String(req.headers.traceparent));
      if (req.headers.baggage !== undefined) baggageForwarded = true;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => callbacks.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://127.0.0.1:${(callbacks.address() as AddressInfo).port}/done`;
});

afterAll(async () => {
  await collector.close();
  await llm.close();
  callbacks.closeAllConnections();
  await new Promise((resolve) => callbacks.close(resolve));
});

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

it('follows one job across the API process, the queue and the worker process in one trace, without content', async () => {
  const prefix = testPrefix('tracing');
  const port = await freePort();
  const env = {
    QUEUE_PREFIX: prefix,
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    LLM_BASE_URL: llm.url,
    LLM_MODEL: 'fake-model',
    LLM_EXTERNAL: 'true',
    OUTBOUND_ALLOWLIST: '127.0.0.1',
    CALLBACK_SIGNING_SECRET: 'tracing-test-secret-5d1f',
    DELIVERY_BACKOFF_MS: '50',
    LOG_LEVEL: 'info',
  };
  const api = spawnGateway({ ...env, ROLE: 'api', PORT: String(port) });
  const worker = spawnGateway({ ...env, ROLE: 'worker' }, { output: true });
  let log = '';
  worker.stdout?.on('data', (chunk: Buffer) => {
    log += chunk.toString('utf8');
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await until(
      async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status ?? 0,
      (s) => s === 200,
      90_000,
    );
    const submitted = await fetch(`${url}/v1/jobs`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01`,
        baggage: 'kundennummer=4711',
        'user-agent': 'Mozilla/5.0 (Sachbearbeitung-PC-17)',
        'x-forwarded-for': '203.0.113.7',
      },
      body: tracedTaskBody(TEXT, callbackUrl),
    });
    expect([submitted.status, submitted.status === 202 ? '' : await submitted.text()]).toEqual([202, '']);
    const { id } = (await submitted.json()) as { id: string };

    const inTrace = (): CollectedSpan[] => collector.spans.filter((s) => s.traceId === TRACE_ID);
    const named = (name: string, spans = inTrace()): CollectedSpan | undefined => spans.find((s) => s.name === name);
    const spans = await until(
      async () => inTrace(),
      (all) => named('deliver callback', all) !== undefined && named('process deliver', all) !== undefined,
      60_000,
    );

    // The caller's span is the root's parent: the Fachverfahren's trace goes on in the gateway.
    const server = named('POST /v1/jobs', spans);
    expect(server).toMatchObject({ kind: KIND.server, parentSpanId: CALLER_SPAN, service: 'xoev-ai-gateway' });
    expect(server?.attributes['http.route']).toBe('/v1/jobs');
    const receive = named('receive task', spans);
    expect(receive).toMatchObject({ parentSpanId: server?.spanId });
    expect(receive?.attributes).toMatchObject({ 'xgw.job.id': id, 'xgw.job.kind': 'task', 'xgw.job.duplicate': false });
    // BullMQ's producer span in the API process, its consumer span in the worker's.
    const added = named('add analyse.analyse', spans);
    expect(added).toMatchObject({ kind: KIND.producer });
    const processed = spans.find((s) => s.name === 'process analyse' && s.attributes['xgw.job.id'] === id);
    expect(processed).toMatchObject({ kind: KIND.consumer });
    expect(processed?.resource['process.pid']).toBe(worker.pid);
    expect(server?.resource['process.pid']).toBe(api.pid);
    // The model call: GenAI conventions, tokens, and the HTTP request under it; no prompt, no answer.
    const chat = named('chat fake-model', spans);
    expect(chat).toMatchObject({ kind: KIND.client });
    expect(chat?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'fake-model',
      'server.address': '127.0.0.1',
    });
    expect(chat?.attributes['gen_ai.usage.input_tokens']).toEqual(expect.any(Number));
    expect(chat?.attributes['gen_ai.usage.output_tokens']).toEqual(expect.any(Number));
    expect(spans.some((s) => s.parentSpanId === chat?.spanId && s.kind === KIND.client)).toBe(true);
    // Delivery: queued in the worker's trace, the callback a connector span with the job's id, and the
    // receiver is told the trace (W3C traceparent) to join it.
    expect(named('add deliver.notify', spans)).toMatchObject({ kind: KIND.producer });
    const deliver = named('deliver callback', spans);
    expect(deliver).toMatchObject({ kind: KIND.client });
    expect(deliver?.attributes['xgw.job.id']).toBe(id);
    expect(traceparents).toContain(`00-${TRACE_ID}-${deliver?.spanId}-01`);
    expect(baggageForwarded).toBe(false);

    // Nothing of the text in any span of any trace: names, attributes, resources.
    const everything = JSON.stringify(collector.spans);
    for (const secret of PERSONAL) expect(everything).not.toContain(secret);

    // Every log line the worker wrote about this job carries the trace id.
    const lines = log
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { jobId?: string; trace_id?: string });
    const ofJob = lines.filter((l) => l.jobId === id);
    expect(ofJob.length).toBeGreaterThan(1);
    expect(ofJob.filter((l) => l.trace_id !== TRACE_ID)).toEqual([]);
    // Probes are not traced.
    expect(collector.spans.filter((s) => String(s.attributes['url.path'] ?? '').endsWith('/readyz'))).toEqual([]);
  } finally {
    api.kill('SIGTERM');
    worker.kill('SIGTERM');
    await Promise.all([exited(api), exited(worker)]);
    await cleanPrefix(prefix);
  }
}, 180_000);
