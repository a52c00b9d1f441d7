import { compileSchema } from '../../config/json-schema.js';
import type { ProviderConfig } from '../../config/providers.js';
import { AppError } from '../../errors/app-error.js';
import { StructuredAnalyser } from '../structured/structured-analyser.js';
import type { ModelEndpoint } from './model-endpoint.js';
import { OpenAiEndpoint } from './openai/openai.endpoint.js';
import { tracedEndpoint } from './traced-endpoint.js';

/** What creating an endpoint needs besides the provider's entry: its resolved secret. */
export interface EndpointSecrets {
  apiKey: string;
}

/**
 * A kind of model endpoint: data (its name, the JSON Schema of the `options` a providers-file entry
 * of this kind may carry) and how to create one endpoint. The request, response and error
 * transforms live in the endpoint; the structured-output loop is shared (StructuredAnalyser).
 */
export interface ProviderKind {
  readonly kind: string;
  /** JSON Schema of the entry's `options`, checked at start-up. */
  readonly optionsSchema: object;
  create(provider: ProviderConfig, secrets: EndpointSecrets): ModelEndpoint;
}

const openai: ProviderKind = {
  kind: 'openai',
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { maxTokens: { type: 'integer', minimum: 1 }, temperature: { type: 'number', minimum: 0, maximum: 2 } },
  },
  create(provider, secrets) {
    const maxTokens = provider.options?.['maxTokens'];
    const temperature = provider.options?.['temperature'];
    return new OpenAiEndpoint({
      providerId: provider.id,
      baseURL: provider.baseUrl,
      apiKey: secrets.apiKey,
      model: provider.model,
      timeoutMs: provider.timeoutMs,
      ...(provider.supportsJsonSchema === undefined ? {} : { supportsJsonSchema: provider.supportsJsonSchema }),
      ...(typeof maxTokens === 'number' ? { maxTokens } : {}),
      ...(typeof temperature === 'number' ? { temperature } : {}),
    });
  },
};

/** Every kind of model endpoint, in one explicit map: adding a kind is one folder and one line here. */
export const PROVIDER_KINDS: Readonly<Record<string, ProviderKind>> = Object.freeze({ openai });

/**
 * The analyser of one configured provider: its kind's endpoint inside the shared structured loop.
 * Throws XGW_CONFIG_INVALID for an unknown kind (naming the known ones) or options its kind refuses.
 */
export function analyserFor(
  provider: ProviderConfig,
  secrets: EndpointSecrets,
  kinds: Readonly<Record<string, ProviderKind>> = PROVIDER_KINDS,
): StructuredAnalyser {
  const kind = kinds[provider.kind];
  if (kind === undefined) {
    throw new AppError('XGW_CONFIG_INVALID', {
      detail: `provider ${provider.id}: kind ${provider.kind} is unknown; known kinds: ${Object.keys(kinds).join(', ')}`,
      extensions: { setting: 'llmProvidersFile' },
    });
  }
  const validate = compileSchema(kind.optionsSchema);
  if (!validate(provider.options ?? {})) {
    const first = validate.errors?.[0];
    throw new AppError('XGW_CONFIG_INVALID', {
      detail: `provider ${provider.id}: options${first?.instancePath ?? ''} ${first?.message ?? 'invalid'}`,
      extensions: { setting: 'llmProvidersFile' },
    });
  }
  const endpoint = tracedEndpoint(kind.create(provider, secrets), {
    providerId: provider.id,
    baseUrl: provider.baseUrl,
  });
  return new StructuredAnalyser({ providerId: provider.id, endpoint });
}
