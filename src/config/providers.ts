import { readFileSync } from 'node:fs';
import { compileConfigSchema } from './json-schema.js';
import { AppError } from '../errors/app-error.js';
import type { Config } from './config.js';
import { fromRoot } from './paths.js';

/** One provider of the chain: a model endpoint of a kind (`openai` for every OpenAI-compatible server). */
export interface ProviderConfig {
  id: string;
  /** The kind of endpoint (src/analysis/providers/provider-kinds.ts). @defaultValue `openai` */
  kind: string;
  /** Settings of the kind, checked against the kind's schema at start-up. */
  options?: Record<string, unknown>;
  baseUrl: string;
  /** Name of the environment variable holding the API key (keys never live in the file). */
  apiKeyEnv?: string;
  model: string;
  /** Outside the authority: text is pseudonymised before it is sent. */
  external: boolean;
  concurrency: number;
  requestsPerMinute: number;
  tokensPerMinute: number;
  timeoutMs: number;
  /** Whether the provider enforces `response_format: json_schema`; unset = detect. */
  supportsJsonSchema?: boolean;
}

const PROVIDERS_SCHEMA = {
  type: 'object',
  required: ['providers'],
  additionalProperties: false,
  properties: {
    providers: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['id', 'baseUrl', 'model', 'external'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,40}$' },
          kind: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,40}$', default: 'openai' },
          options: { type: 'object' },
          baseUrl: { type: 'string', pattern: '^https?://' },
          apiKeyEnv: { type: 'string', pattern: '^[A-Z_][A-Z0-9_]*$' },
          model: { type: 'string', minLength: 1 },
          external: { type: 'boolean' },
          concurrency: { type: 'integer', minimum: 1, default: 4 },
          requestsPerMinute: { type: 'integer', minimum: 0, default: 0 },
          tokensPerMinute: { type: 'integer', minimum: 0, default: 0 },
          timeoutMs: { type: 'integer', minimum: 100, default: 60000 },
          supportsJsonSchema: { type: 'boolean' },
        },
      },
    },
  },
} as const;

interface ProvidersFile {
  providers: ProviderConfig[];
}

const validate = compileConfigSchema<ProvidersFile>(PROVIDERS_SCHEMA);

/**
 * The provider chain from config: a providers file when `LLM_PROVIDERS_FILE` is set, else one
 * provider from `LLM_BASE_URL`, else none (the offline `rules` analyser). Validated once at start.
 */
export function loadProviders(
  config: Config,
  env: Readonly<Record<string, string | undefined>> = config.env,
): ProviderConfig[] {
  if (config.llmProvidersFile !== undefined) {
    const file = fromRoot(config.llmProvidersFile);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new AppError('XGW_CONFIG_INVALID', {
        detail: `LLM_PROVIDERS_FILE ${file}: ${error instanceof Error ? error.message : 'unreadable'}`,
      });
    }
    if (!validate(parsed)) {
      const first = validate.errors?.[0];
      throw new AppError('XGW_CONFIG_INVALID', {
        detail: `LLM_PROVIDERS_FILE ${file}: ${first?.instancePath || '/'} ${first?.message ?? 'invalid'}`,
      });
    }
    const ids = new Set<string>();
    for (const p of parsed.providers) {
      if (ids.has(p.id))
        throw new AppError('XGW_CONFIG_INVALID', {
          detail: `LLM_PROVIDERS_FILE ${file}: provider id ${p.id} appears twice`,
        });
      ids.add(p.id);
      if (p.apiKeyEnv !== undefined && env[p.apiKeyEnv] === undefined) {
        throw new AppError('XGW_CONFIG_INVALID', {
          detail: `LLM_PROVIDERS_FILE ${file}: provider ${p.id} names ${p.apiKeyEnv}, which is not set`,
        });
      }
    }
    return parsed.providers;
  }
  if (config.llmBaseUrl === undefined) return [];
  return [
    {
      id: 'default',
      kind: 'openai',
      baseUrl: config.llmBaseUrl,
      model: config.llmModel,
      external: config.llmExternal,
      concurrency: config.llmConcurrency,
      requestsPerMinute: config.llmRequestsPerMinute,
      tokensPerMinute: config.llmTokensPerMinute,
      timeoutMs: config.llmTimeoutMs,
    },
  ];
}

/** The API key of a provider: from its `apiKeyEnv`, or `LLM_API_KEY` for the single-provider setup. */
export function providerApiKey(
  provider: ProviderConfig,
  config: Config,
  env: Readonly<Record<string, string | undefined>> = config.env,
): string {
  if (provider.apiKeyEnv !== undefined) return env[provider.apiKeyEnv] ?? 'none';
  return config.llmApiKey;
}
