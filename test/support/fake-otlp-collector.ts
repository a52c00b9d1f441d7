import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { asRecord, readBody } from './http-body.js';

/**
 * An OpenTelemetry collector's OTLP/HTTP trace receiver for tests and benchmarks: the gateway's real
 * OTLP exporter posts to `POST /v1/traces`. Bodies in the JSON encoding (`OTEL_EXPORTER_OTLP_PROTOCOL=
 * http/json`) are decoded into spans; protobuf bodies (the SDK's default) are acknowledged and
 * counted only. Answers as a collector does: 200 with an (empty) ExportTraceServiceResponse.
 */

/** One received span, with its attributes flattened to plain values. */
export interface CollectedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, string | number | boolean>;
  /** The status code (0 unset, 1 ok, 2 error). */
  status: number;
  /** The resource's service.name. */
  service: string;
  /** The resource's attributes (process.pid, service.name, …). */
  resource: Record<string, string | number | boolean>;
  scope: string;
}

export interface FakeOtlpCollector {
  /** Base URL, for OTEL_EXPORTER_OTLP_ENDPOINT. */
  url: string;
  spans: CollectedSpan[];
  /** Export requests received, whatever their encoding. */
  requests: number;
  close(): Promise<void>;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** An OTLP AnyValue as a plain value (string, int as number, double, bool); arrays and maps as JSON text. */
function anyValue(value: unknown): string | number | boolean {
  const v = asRecord(value);
  if (typeof v.stringValue === 'string') return v.stringValue;
  if (typeof v.boolValue === 'boolean') return v.boolValue;
  if (typeof v.doubleValue === 'number') return v.doubleValue;
  if (typeof v.intValue === 'number' || typeof v.intValue === 'string') return Number(v.intValue);
  return JSON.stringify(value);
}

function attributes(value: unknown): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const kv of list(value)) {
    const entry = asRecord(kv);
    if (typeof entry.key === 'string') out[entry.key] = anyValue(entry.value);
  }
  return out;
}

/** The spans of an ExportTraceServiceRequest in JSON encoding. */
export function spansOf(request: unknown): CollectedSpan[] {
  const spans: CollectedSpan[] = [];
  for (const rs of list(asRecord(request).resourceSpans)) {
    const resource = attributes(asRecord(asRecord(rs).resource).attributes);
    for (const ss of list(asRecord(rs).scopeSpans)) {
      const scope = text(asRecord(asRecord(ss).scope).name);
      for (const s of list(asRecord(ss).spans)) {
        const span = asRecord(s);
        spans.push({
          traceId: text(span.traceId),
          spanId: text(span.spanId),
          parentSpanId: text(span.parentSpanId),
          name: text(span.name),
          kind: typeof span.kind === 'number' ? span.kind : 0,
          attributes: attributes(span.attributes),
          status: Number(asRecord(span.status).code ?? 0),
          service: String(resource['service.name'] ?? ''),
          resource,
          scope,
        });
      }
    }
  }
  return spans;
}

export async function startFakeOtlpCollector(): Promise<FakeOtlpCollector> {
  const collected: FakeOtlpCollector = { url: '', spans: [], requests: 0, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      collected.requests++;
      if ((req.headers['content-type'] ?? '').includes('json')) collected.spans.push(...spansOf(JSON.parse(body)));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    })().catch(() => res.writeHead(400).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  collected.url = `http://127.0.0.1:${port}`;
  collected.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return collected;
}
