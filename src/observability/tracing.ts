import {
  type Attributes,
  context,
  INVALID_SPAN_CONTEXT,
  isSpanContextValid,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { Telemetry } from 'bullmq';
import { isAppError } from '../errors/app-error.js';

/**
 * What the gateway's code uses of tracing, on the OpenTelemetry API alone: without a started SDK
 * (tracing-sdk.ts) every call here is a no-op that costs next to nothing, and the SDK (26 MiB, ~0.2 s
 * to load) is never loaded.
 */

/** The instrumentation scope of the gateway's own spans (receive, model calls, connector calls). */
export const TRACING_SCOPE = 'xoev-ai-gateway';

/** What a started SDK hands the rest of the gateway. */
export interface TracingHooks {
  /** BullMQ's telemetry (producer and consumer spans, the context carried inside the job). */
  telemetry: Telemetry;
  /** Gives the HTTP server span of the request in whose context it runs its route template. */
  nameRoute: (route: string) => void;
}

let hooks: TracingHooks | undefined;

/** Called by the SDK's start and shutdown only. */
export function setTracingHooks(next: TracingHooks | undefined): void {
  hooks = next;
}

/** Whether a variable is set to something other than blanks. */
export function nonEmpty(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}

/**
 * Whether the standard variables ask for traces: an OTLP endpoint (`OTEL_EXPORTER_OTLP_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) or an `OTEL_TRACES_EXPORTER` other than `none`, and the SDK
 * not disabled (`OTEL_SDK_DISABLED=true`). Unset means off: the SDK's own default would send to
 * localhost:4318, which a gateway without a collector must not try.
 */
export function tracingRequested(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = env.OTEL_TRACES_EXPORTER;
  if (exporters !== undefined && nonEmpty(exporters)) return !exporters.split(',').every((e) => e.trim() === 'none');
  return nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT) || nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** Whether a tracing SDK runs in this process. */
export function tracingActive(): boolean {
  return hooks !== undefined;
}

/**
 * The `telemetry` option of a BullMQ queue or worker while tracing runs: producer spans on add,
 * consumer spans around processing, joined into the request's trace by the context BullMQ carries
 * in the job. Nothing when tracing is off (then BullMQ makes no spans and carries nothing).
 */
export function withTelemetry(): { telemetry?: Telemetry } {
  return hooks === undefined ? {} : { telemetry: hooks.telemetry };
}

/**
 * The route template of the request being handled (`/v1/jobs/{id}`), for the HTTP server span's
 * `http.route` and name (`GET /v1/jobs/{id}`): the raw path would make every job a span name of its own.
 */
export function nameTracedRoute(route: string): void {
  hooks?.nameRoute(route);
}

/** Attributes on the span in whose context this runs (a consumer span: the job it processes). */
export function annotateActiveSpan(attributes: Attributes): void {
  trace.getActiveSpan()?.setAttributes(attributes);
}

/** The trace and span id of the active span, for log lines; nothing outside a trace. */
export function traceFields(): { trace_id?: string; span_id?: string } {
  if (hooks === undefined) return {};
  const span = trace.getActiveSpan();
  if (span === undefined) return {};
  const ctx = span.spanContext();
  return isSpanContextValid(ctx) ? { trace_id: ctx.traceId, span_id: ctx.spanId } : {};
}

/** `headers` with the active trace context added (`traceparent`, `tracestate`); the same object when tracing is off. */
export function withTraceContext(headers: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  if (hooks === undefined) return headers;
  const carrier: Record<string, string> = { ...headers };
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** The span `work` gets while tracing is off: records nothing (`isRecording()` false). */
const NO_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

export interface SpanSettings {
  kind?: SpanKind;
  attributes?: Attributes;
}

/**
 * Runs `work` in a span of the gateway's own, active for what `work` calls. A failure sets the span's
 * status and `error.type` to the error's code, never its message: a message may quote the input.
 */
export function inSpan<T>(name: string, settings: SpanSettings, work: (span: Span) => Promise<T>): Promise<T> {
  // Without an SDK no span is made at all: receipt and model calls are hot paths.
  if (hooks === undefined) {
    try {
      return work(NO_SPAN);
    } catch (error) {
      return Promise.reject(error);
    }
  }
  return trace
    .getTracer(TRACING_SCOPE)
    .startActiveSpan(
      name,
      { kind: settings.kind ?? SpanKind.INTERNAL, ...(settings.attributes ? { attributes: settings.attributes } : {}) },
      async (span) => {
        try {
          return await work(span);
        } catch (error) {
          const type = isAppError(error) ? error.code : error instanceof Error ? error.name : 'error';
          span.setAttributes({ 'error.type': type });
          span.setStatus({ code: SpanStatusCode.ERROR, message: type });
          throw error;
        } finally {
          span.end();
        }
      },
    );
}

export { SpanKind };
