import { inSpan, SpanKind } from '../../observability/tracing.js';
import type { ModelEndpoint } from './model-endpoint.js';

/** Where a provider's endpoint is, for the span's server attributes. */
export interface EndpointPlace {
  providerId: string;
  baseUrl: string;
}

/**
 * A model endpoint whose every call is a client span after the OpenTelemetry GenAI semantic
 * conventions: operation, provider (the endpoint's kind), requested model, server, and the tokens the
 * answer cost. Never the prompt or the completion: they hold the (pseudonymised) text of a message.
 * The HTTP request under it is the fetch instrumentation's span. Without tracing a no-op wrapper.
 */
export function tracedEndpoint(endpoint: ModelEndpoint, place: EndpointPlace): ModelEndpoint {
  // The settings check allows any http(s) prefix; a base URL that does not parse has no server attributes.
  const url = URL.canParse(place.baseUrl) ? new URL(place.baseUrl) : undefined;
  const server =
    url === undefined
      ? {}
      : {
          'server.address': url.hostname,
          'server.port': url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port),
        };
  const attributes = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': endpoint.kind,
    // The older name of the same attribute, which many backends still read.
    'gen_ai.system': endpoint.kind,
    'gen_ai.request.model': endpoint.model,
    'gen_ai.output.type': 'json',
    ...server,
    'xgw.provider.id': place.providerId,
  };
  return {
    kind: endpoint.kind,
    model: endpoint.model,
    complete: (call, signal) =>
      inSpan(`chat ${endpoint.model}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
        const answer = await endpoint.complete(call, signal);
        if (answer.usage !== undefined)
          span.setAttributes({
            'gen_ai.usage.input_tokens': answer.usage.promptTokens,
            'gen_ai.usage.output_tokens': answer.usage.completionTokens,
          });
        return answer;
      }),
  };
}
