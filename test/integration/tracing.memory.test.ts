/**
 * Issue #19, OpenTelemetry traces, in one process with the SDK's in-memory exporter: an XÖV message's
 * receive span names the job and the message (id, standard, type) and its analysis joins the same
 * trace through the real queue; a task job's trace runs from receive through the model call (GenAI
 * attributes) to its callback's delivery. No span carries the message's text or personal data.
 * (HTTP server spans and two processes: tracing.processes.test.ts, with the OTLP exporter.)
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startTracing, type Tracing } from '../../src/observability/tracing-sdk.js';
import { startFakeLlm, type FakeLlm } from '../support/fake-llm-server.js';
import { example, postMessage, startTestGateway, waitForJob, type TestGateway } from '../support/gateway.js';
import { tracedTaskBody } from '../support/traced-task.js';
import { until } from '../support/until.js';
import { Queue, Worker } from 'bullmq';
import { withTelemetry } from '../../src/observability/tracing.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';

const XDOMEA = 'examples/messages/xdomea-3.0.0-Widerspruch.0503.xml';
const TEXT =
  'Guten Tag, ich, Jürgen Schäfer-Brandt, geboren am 04.07.1961, bitte um Erstattung auf DE89 3704 0044 0532 0130 00; ' +
  'Telefon 0221 1234567, Aktenzeichen 4 K 1234/25.';
const PERSONAL = ['Schäfer', 'Jürgen', '1961', 'DE89', '1234567', '4 K 1234', 'Erstattung auf'];

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let llm: FakeLlm;
let gw: TestGateway;
let callbacks: Server;
let callbackUrl: string;

beforeAll(async () => {
  tracing = startTracing({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  llm = await startFakeLlm();
  callbacks = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => callbacks.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://127.0.0.1:${(callbacks.address() as AddressInfo).port}/done`;
  gw = await startTestGateway(
    {
      LLM_BASE_URL: llm.url,
      LLM_MODEL: 'fake-model',
      LLM_EXTERNAL: 'true',
      OUTBOUND_ALLOWLIST: '127.0.0.1',
      CALLBACK_SIGNING_SECRET: 'tracing-memory-secret-77a0',
      DELIVERY_BACKOFF_MS: '50',
    },
    'tracing-memory',
  );
}, 60_000);

afterAll(async () => {
  await gw.close();
  await llm.close();
  callbacks.closeAllConnections();
  await new Promise((resolve) => callbacks.close(resolve));
  await tracing.shutdown();
});

const traceOf = (span: ReadableSpan | undefined): ReadableSpan[] =>
  exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === span?.spanContext().traceId);
const parentOf = (span: ReadableSpan | undefined): string | undefined => span?.parentSpanContext?.spanId;

it('gives an XÖV message one trace from receive into the worker, naming job and message', async () => {
  const res = await postMessage(gw.url, example(XDOMEA));
  expect(res.status).toBe(202);
  const { id, location } = (await res.json()) as { id: string; location: string };
  await waitForJob(gw.url, location, ['review', 'done'], 30_000);
  const receive = exporter
    .getFinishedSpans()
    .find((s) => s.name === 'receive message' && s.attributes['xgw.job.id'] === id);
  expect(receive?.attributes).toMatchObject({
    'xoev.standard': 'xdomea',
    'xgw.job.kind': 'message',
    'xgw.message.id': expect.any(String),
    'xoev.message_type': expect.any(String),
  });
  const spans = await until(
    async () => traceOf(receive),
    (all) => all.some((s) => s.name === 'process analyse'),
    20_000,
  );
  const processed = spans.find((s) => s.name === 'process analyse');
  expect(processed?.attributes).toMatchObject({
    'xgw.job.id': id,
    'xgw.message.id': receive?.attributes['xgw.message.id'],
    'xoev.standard': 'xdomea',
  });
}, 60_000);

it('follows a task job from receive through the model call to its callback, with no content in any span', async () => {
  const res = await fetch(`${gw.url}/v1/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: tracedTaskBody(TEXT, callbackUrl),
  });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  const receive = await until(
    async () => exporter.getFinishedSpans().find((s) => s.name === 'receive task' && s.attributes['xgw.job.id'] === id),
    (s) => s !== undefined,
  );
  const spans = await until(
    async () => traceOf(receive),
    // The consumer span ends after the connector span inside it.
    (all) => all.some((s) => s.name === 'deliver callback') && all.some((s) => s.name === 'process deliver'),
    30_000,
  );
  const named = (name: string): ReadableSpan | undefined => spans.find((s) => s.name === name);
  // receive → add (producer) → process (consumer) → chat (GenAI client) → add deliver → process → deliver callback
  const added = named('add analyse.analyse');
  expect(parentOf(added)).toBe(receive?.spanContext().spanId);
  const processed = named('process analyse');
  expect(processed?.attributes['xgw.job.id']).toBe(id);
  const chat = named('chat fake-model');
  expect(parentOf(chat)).toBeDefined();
  expect(chat?.attributes).toMatchObject({
    'gen_ai.operation.name': 'chat',
    'gen_ai.system': 'openai',
    'gen_ai.request.model': 'fake-model',
    'gen_ai.usage.input_tokens': expect.any(Number),
    'gen_ai.usage.output_tokens': expect.any(Number),
  });
  // The model call happens inside the consumer's work, the delivery after it, in the same trace.
  expect(chat?.startTime[0] ?? 0).toBeGreaterThanOrEqual(processed?.startTime[0] ?? Number.POSITIVE_INFINITY);
  expect(named('process deliver')?.attributes['xgw.job.id']).toBe(id);
  expect(named('deliver callback')?.attributes).toMatchObject({ 'xgw.connector': 'callback', 'xgw.job.id': id });

  // No content, anywhere: span names, attributes, events of every span recorded.
  const everything = JSON.stringify(
    exporter.getFinishedSpans().map((s) => ({ name: s.name, attributes: s.attributes, events: s.events })),
  );
  for (const secret of PERSONAL) expect(everything).not.toContain(secret);
  // The model did get (pseudonymised) text: the check above is not vacuous.
  expect(llm.calls).toBeGreaterThan(0);
}, 60_000);

it("keeps what BullMQ would record of a job's content out of its spans: a returned value, an error's message", async () => {
  const prefix = testPrefix('tracing-bullmq');
  const connection = testRedis();
  const queue = new Queue('content', { connection, prefix, ...withTelemetry() });
  const worker = new Worker(
    'content',
    async (job) => {
      if (job.name === 'fails') throw new Error('Unexpected token in "Erika Mustermann, DE89 3704 0044"');
      return { returned: 'Jürgen Schäfer-Brandt' };
    },
    { connection, prefix, ...withTelemetry() },
  );
  try {
    const done = await queue.add('returns', {});
    const failed = await queue.add('fails', {}, { attempts: 1 });
    await until(
      async () => [await done.getState(), await failed.getState()].join(','),
      (states) => states === 'completed,failed',
    );
    const spans = await until(
      async () =>
        exporter
          .getFinishedSpans()
          .filter((s) => s.attributes['bullmq.job.id'] === failed.id && s.name === 'process content'),
      (found) => found.length > 0,
    );
    // The failure is still there to see, as BullMQ's event; its text is not.
    const failure = spans[0]?.events.find((e) => e.name === 'job failed');
    expect(failure).toBeDefined();
    expect(failure?.attributes?.['bullmq.job.failed.reason']).toBeUndefined();
    const everything = JSON.stringify(
      exporter.getFinishedSpans().map((s) => ({ name: s.name, attributes: s.attributes, events: s.events })),
    );
    expect(everything).toContain('job completed');
    for (const secret of ['Mustermann', 'DE89', 'Schäfer', 'Unexpected token'])
      expect(everything).not.toContain(secret);
  } finally {
    await worker.close();
    await queue.close();
    await cleanPrefix(prefix);
    connection.disconnect();
  }
}, 60_000);
