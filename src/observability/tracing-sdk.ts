import { type Context, context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType, W3CTraceContextPropagator } from '@opentelemetry/core';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Attributes as JobAttributes, Exception, Span as JobSpan, Telemetry } from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';
import { nonEmpty, setTracingHooks, TRACING_SCOPE } from './tracing.js';

/** Paths whose requests are not traced: probes and scrapes come every few seconds and tell nothing of a message. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
/** What stands in for a value a span must not hold (the instrumentation's own word for it). */
const REDACTED = 'REDACTED';

export interface TracingOptions {
  /** Where spans go instead of the exporter the variables name (tests: the SDK's in-memory exporter). */
  spanProcessors?: SpanProcessor[];
}

export interface Tracing {
  /** Ends the SDK after exporting what is buffered. */
  shutdown(): Promise<void>;
}

let running: { sdk: NodeSDK; stop: Tracing } | undefined;

/** BullMQ's event attributes that hold what a job returned or the text of its error. */
const CONTENT_ATTRIBUTES = new Set(['bullmq.job.result', 'bullmq.job.failed.reason']);

/** An exception as its code or name only: its message may quote the input (a parser's error does). */
function errorType(exception: Exception): string {
  if (typeof exception === 'string') return 'error';
  return exception.code !== undefined ? String(exception.code) : (exception.name ?? 'error');
}

/**
 * bullmq-otel's telemetry, with what BullMQ would write of a job's content taken out: the value a
 * job returned (`job completed`), its error's message (`job failed`, exceptions). Spans, their
 * names, kinds, queue and job attributes and the context carried in the job stay as BullMQ makes them.
 */
function contentFreeTelemetry(inner: BullMQOtel): Telemetry<Context> {
  const strip = (attributes: JobAttributes | undefined): JobAttributes | undefined =>
    attributes === undefined
      ? undefined
      : Object.fromEntries(Object.entries(attributes).filter(([key]) => !CONTENT_ATTRIBUTES.has(key)));
  const wrap = (span: JobSpan<Context>): JobSpan<Context> => ({
    setSpanOnContext: (ctx) => span.setSpanOnContext(ctx),
    setAttribute: (key, value) => span.setAttribute(key, value),
    setAttributes: (attributes) => span.setAttributes(attributes),
    addEvent: (name, attributes) => span.addEvent(name, strip(attributes)),
    recordException: (exception) => span.setAttributes({ 'error.type': errorType(exception) }),
    end: () => span.end(),
  });
  return {
    contextManager: inner.contextManager,
    tracer: { startSpan: (name, options, ctx) => wrap(inner.tracer.startSpan(name, options, ctx)) },
  };
}

/**
 * Starts the OpenTelemetry SDK for Node (once per process). Exporter, protocol, endpoint, headers,
 * sampler and resource come from the standard OTEL_* variables as the SDK reads them (the service name
 * defaults to xoev-ai-gateway); only traces are set up: metrics stay on Prometheus' /metrics, logs on
 * stdout with the trace id in each line. Must run before node:http and express are loaded (HTTP
 * server spans patch them as they load) and before queues and workers are created.
 */
export function startTracing(options: TracingOptions = {}): Tracing {
  if (running !== undefined) return running.stop;
  // The SDK reads the OTEL_* variables of process.env itself; the service name is ours to default.
  const env = process.env;
  // Instrumentations patch as they are created: only here, once per process.
  const instrumentations = [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has((req.url ?? '').split('?')[0] ?? ''),
      // Overrides the instrumentation's own attributes as the span starts: who called (the
      // caller's or a proxy-forwarded address, the user agent: personal data of a caseworker or a
      // citizen) and the query string (the sign-in's code and state among others) are not kept.
      startIncomingSpanHook: (req) => ({
        'network.peer.address': REDACTED,
        ...(req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined
          ? { 'client.address': REDACTED }
          : {}),
        ...(req.headers['user-agent'] === undefined ? {} : { 'user_agent.original': REDACTED }),
        ...((req.url ?? '').includes('?') ? { 'url.query': REDACTED } : {}),
      }),
      // Outgoing calls are fetch (undici, below) and the connectors' guarded requests, which carry
      // the trace context themselves (ssrf-guard); node:http clients are otherwise only probes'.
      disableOutgoingRequestInstrumentation: true,
    }),
    new UndiciInstrumentation({
      // The model's and the identity provider's URLs without their query (a key may ride in it).
      startSpanHook: (request) => {
        const query = request.path.indexOf('?');
        return query < 0
          ? {}
          : { 'url.full': `${request.origin}${request.path.slice(0, query)}`, 'url.query': REDACTED };
      },
    }),
  ];
  const stop: Tracing = {
    shutdown: async () => {
      if (running?.stop !== stop) return;
      running = undefined;
      setTracingHooks(undefined);
      // A stopped SDK leaves nothing patched behind (node:http, undici's channels).
      for (const instrumentation of instrumentations) instrumentation.disable();
      await sdk.shutdown();
    },
  };
  const named = nonEmpty(env.OTEL_SERVICE_NAME) || /(^|,)\s*service\.name=/.test(env.OTEL_RESOURCE_ATTRIBUTES ?? '');
  const sdk = new NodeSDK({
    ...(named ? {} : { serviceName: TRACING_SCOPE }),
    ...(options.spanProcessors === undefined ? {} : { spanProcessors: options.spanProcessors }),
    // W3C trace context only, unless OTEL_PROPAGATORS says otherwise: the SDK's default also carries
    // a caller's `baggage` into the job and on to models, registers and callbacks.
    ...(!nonEmpty(env.OTEL_PROPAGATORS) ? { textMapPropagator: new W3CTraceContextPropagator() } : {}),
    // Traces only: the SDK would otherwise export metrics and logs over OTLP by default too.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations,
  });
  sdk.start();
  running = { sdk, stop };
  setTracingHooks({
    telemetry: contentFreeTelemetry(new BullMQOtel({ tracerName: TRACING_SCOPE })),
    nameRoute: (route) => {
      const metadata = getRPCMetadata(context.active());
      if (metadata?.type === RPCType.HTTP) metadata.route = route;
    },
  });
  return stop;
}
