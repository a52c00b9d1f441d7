/**
 * One table of every setting: environment variable, type, default and what it means. The README's
 * configuration section is generated from this table (`npm run docs:config`), so they cannot drift.
 */
export type SettingType = 'string' | 'int' | 'bool' | 'url' | 'enum' | 'duration-s';

export interface SettingSpec {
  readonly env: string;
  readonly type: SettingType;
  readonly default?: string;
  readonly doc: string;
  readonly secret?: boolean;
  readonly values?: readonly string[];
  readonly min?: number;
}

export const SETTINGS = {
  port: { env: 'PORT', type: 'int', default: '8080', min: 0, doc: 'TCP port of the REST API (0 picks a free port).' },
  host: { env: 'HOST', type: 'string', default: '127.0.0.1', doc: 'Address the REST API binds to.' },
  role: { env: 'ROLE', type: 'enum', values: ['all', 'api', 'worker'], default: 'all', doc: '`all` runs API and workers in one process; `api` or `worker` for scaled deployments.' },
  logLevel: { env: 'LOG_LEVEL', type: 'enum', values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info', doc: 'pino log level.' },
  redisUrl: { env: 'REDIS_URL', type: 'url', default: 'redis://127.0.0.1:6379', secret: true, doc: 'Redis for queues, job records, ledger and audit. Must run with `maxmemory-policy noeviction`.' },
  redisEmbedded: { env: 'REDIS_EMBEDDED', type: 'bool', default: 'true', doc: 'If nothing answers at `REDIS_URL` and `redis-server` is on PATH, start one as a child process (AOF on, data in `REDIS_DATA_DIR`).' },
  redisDataDir: { env: 'REDIS_DATA_DIR', type: 'string', default: '.data/redis', doc: 'Data folder of the embedded Redis.' },
  queuePrefix: { env: 'QUEUE_PREFIX', type: 'string', default: 'xgw', doc: 'Key prefix of every Redis key the gateway writes (queues, records).' },
  workerConcurrency: { env: 'WORKER_CONCURRENCY', type: 'int', default: '4', min: 1, doc: 'Jobs one worker process analyses at once.' },
  workerLockMs: { env: 'WORKER_LOCK_MS', type: 'int', default: '30000', min: 1000, doc: 'Job lock in ms: a job whose worker died is taken over by another worker after about this long.' },
  jobAttempts: { env: 'JOB_ATTEMPTS', type: 'int', default: '3', min: 1, doc: 'Attempts per job before it is `failed` (retries use exponential backoff).' },
  jobBackoffMs: { env: 'JOB_BACKOFF_MS', type: 'int', default: '1000', min: 0, doc: 'First retry delay in ms; doubles with each attempt.' },
  jobRetentionS: { env: 'JOB_RETENTION_SECONDS', type: 'int', default: '604800', min: 1, doc: 'How long finished jobs and their results stay readable (seconds; default 7 days).' },
  outboxReplayAfterMs: { env: 'OUTBOX_REPLAY_AFTER_MS', type: 'int', default: '30000', min: 100, doc: 'A state change (delivering, done, failed) is written together with its announcement (audit entry, webhooks, callback); an announcement not finished after this long (its process died, or the deliver queue could not be written) is made again by a worker.' },
  shutdownGraceS: { env: 'SHUTDOWN_GRACE_SECONDS', type: 'int', default: '25', min: 1, doc: 'On SIGTERM: how long in-flight jobs may take to finish before they are returned to the queue.' },
  httpHeadersTimeoutMs: { env: 'HTTP_HEADERS_TIMEOUT_MS', type: 'int', default: '10000', min: 100, doc: 'A client must have sent the request headers within this many ms of connecting (slow-header attacks); the connection is closed otherwise.' },
  httpRequestTimeoutMs: { env: 'HTTP_REQUEST_TIMEOUT_MS', type: 'int', default: '30000', min: 100, doc: 'A client must have sent the whole request, body included, within this many ms; the connection is closed otherwise (408).' },
  httpMaxConnections: { env: 'HTTP_MAX_CONNECTIONS', type: 'int', default: '1000', min: 1, doc: 'Open connections the API accepts at once; beyond them new connections are closed at once (a flood of half-open requests cannot hold the process).' },
  maxBodyBytes: { env: 'MAX_BODY_BYTES', type: 'int', default: '10485760', min: 1024, doc: 'Largest accepted request body in bytes (default 10 MiB).' },
  llmBaseUrl: { env: 'LLM_BASE_URL', type: 'url', doc: 'Base URL of an OpenAI-compatible endpoint (vLLM, Ollama, LiteLLM, Azure, OpenAI). Unset: the offline `rules` analyser.' },
  llmApiKey: { env: 'LLM_API_KEY', type: 'string', secret: true, default: 'none', doc: 'API key for `LLM_BASE_URL`.' },
  llmModel: { env: 'LLM_MODEL', type: 'string', default: 'gpt-4o-mini', doc: 'Model name sent to `LLM_BASE_URL`.' },
  llmTimeoutMs: { env: 'LLM_TIMEOUT_MS', type: 'int', default: '60000', min: 100, doc: 'Timeout of one model call in ms (the queue retries).' },
  llmExternal: { env: 'LLM_EXTERNAL', type: 'bool', default: 'true', doc: 'Whether `LLM_BASE_URL` is outside the authority (then text is pseudonymised before it is sent).' },
  llmProvidersFile: { env: 'LLM_PROVIDERS_FILE', type: 'string', doc: 'JSON file listing several providers in fallback order (see docs/providers.md); overrides `LLM_BASE_URL`.' },
  llmConcurrency: { env: 'LLM_CONCURRENCY', type: 'int', default: '4', min: 1, doc: 'Calls in flight at once to `LLM_BASE_URL` per process.' },
  llmRequestsPerMinute: { env: 'LLM_REQUESTS_PER_MINUTE', type: 'int', default: '0', min: 0, doc: 'Requests per minute to `LLM_BASE_URL`, shared by all processes (0 = unlimited).' },
  llmTokensPerMinute: { env: 'LLM_TOKENS_PER_MINUTE', type: 'int', default: '0', min: 0, doc: 'Tokens per minute to `LLM_BASE_URL`, shared by all processes (0 = unlimited).' },
  llmCircuitFailures: { env: 'LLM_CIRCUIT_FAILURES', type: 'int', default: '5', min: 1, doc: 'Consecutive failures of a provider (per process) after which its circuit opens and it is skipped.' },
  llmCircuitCooldownMs: { env: 'LLM_CIRCUIT_COOLDOWN_MS', type: 'int', default: '30000', min: 100, doc: 'How long an open circuit skips its provider before one trial call; when every provider\'s circuit is open the queue is parked this long, without using attempts.' },
  cacheTtlS: { env: 'CACHE_TTL_SECONDS', type: 'int', default: '2592000', min: 60, doc: 'How long analysed parts stay in the finding cache (seconds; default 30 days).' },
  maxAttachmentBytes: { env: 'MAX_ATTACHMENT_BYTES', type: 'int', default: '8388608', min: 1, doc: 'Largest decoded attachment (base64 content in a message, or a document of POST /v1/jobs) in bytes.' },
  maxAttachmentsTotalBytes: { env: 'MAX_ATTACHMENTS_TOTAL_BYTES', type: 'int', default: '16777216', min: 1, doc: 'Largest sum of decoded attachments of one message in bytes.' },
  partMaxChars: { env: 'PART_MAX_CHARS', type: 'int', default: '200000', min: 100, doc: 'Longest text analysed as one part, in characters: a longer `text` of `POST /v1/jobs` is refused (413), a longer free-text element fails its message job (`XGW_PART_TOO_LONG`); text read from a document is cut there (`extraction.status: truncated`).' },
  documentWorkers: { env: 'DOCUMENT_WORKERS', type: 'int', default: '1', min: 1, doc: 'Child processes per gateway process that read documents (PDF, DOCX, HTML) at once; each is killed and replaced when a document exceeds a limit.' },
  documentTimeoutMs: { env: 'DOCUMENT_TIMEOUT_MS', type: 'int', default: '10000', min: 100, doc: 'Longest time reading one document may take, in ms; beyond it the reader is killed and the document is `too_complex`.' },
  documentMaxMemoryMb: { env: 'DOCUMENT_MAX_MEMORY_MB', type: 'int', default: '512', min: 64, doc: 'Memory (resident set) a document reader may use, in MiB; beyond it the reader is killed and the document is `too_complex`.' },
  documentMaxPages: { env: 'DOCUMENT_MAX_PAGES', type: 'int', default: '500', min: 1, doc: 'Pages of a PDF that are read; the text of a longer one is `truncated`.' },
  documentMaxEntries: { env: 'DOCUMENT_MAX_ENTRIES', type: 'int', default: '1000', min: 1, doc: 'Most entries of a DOCX (zip) package; more is `too_complex`.' },
  documentMaxUnpackedBytes: { env: 'DOCUMENT_MAX_UNPACKED_BYTES', type: 'int', default: '67108864', min: 1024, doc: 'Most bytes a DOCX (zip) package may unpack to, all entries together (checked while inflating, whatever its headers claim); more is `too_complex`.' },
  xmlMaxDepth: { env: 'XML_MAX_DEPTH', type: 'int', default: '100', min: 4, doc: 'Deepest element nesting accepted in a message.' },
  partMinChars: { env: 'PART_MIN_CHARS', type: 'int', default: '12', min: 1, doc: 'Default profile: free-text elements shorter than this are not analysed as parts.' },
  metricsPort: { env: 'METRICS_PORT', type: 'int', default: '9464', min: 0, doc: 'ROLE=worker only: port of the separate `GET /metrics` listener (a worker has no API port; 0 picks a free port). In ROLE=all and api, `/metrics` is served on `PORT`.' },
  metricsToken: { env: 'METRICS_TOKEN', type: 'string', secret: true, doc: 'If set, `GET /metrics` (on `PORT` and on `METRICS_PORT`) needs `Authorization: Bearer <token>` (Prometheus: `authorization: { credentials_file: … }`). Unset: `/metrics` is public; restrict it to the monitoring network.' },
  authMode: { env: 'AUTH_MODE', type: 'enum', values: ['open', 'required'], doc: '`required`: every API operation except the probes needs an API key or an OIDC token. `open`: calls without credentials act as an anonymous admin of tenant `default`; only allowed on a loopback `HOST`. Unset: `open` on a loopback `HOST`, else `required`.' },
  oidcIssuer: { env: 'OIDC_ISSUER', type: 'string', doc: 'OIDC issuer (`iss`) whose bearer tokens are accepted, e.g. `https://idp.example.de/realms/bauamt`. Unset: API keys only.' },
  oidcAudience: { env: 'OIDC_AUDIENCE', type: 'string', default: 'xoev-ai-gateway', doc: 'Audience (`aud`) a token must name (Keycloak: add an audience mapper for this client id).' },
  oidcJwksUrl: { env: 'OIDC_JWKS_URL', type: 'url', doc: 'JWKS of the IdP. Unset: `jwks_uri` from `<issuer>/.well-known/openid-configuration`, else Keycloak\'s `<issuer>/protocol/openid-connect/certs`.' },
  oidcRolesClaim: { env: 'OIDC_ROLES_CLAIM', type: 'string', default: 'realm_access.roles', doc: 'Dotted path of the token claim with the roles (`submitter`, `rpa`, `reviewer`, `admin`; others are ignored).' },
  oidcTenantClaim: { env: 'OIDC_TENANT_CLAIM', type: 'string', default: 'tenant', doc: 'Dotted path of the token claim with the tenant; tokens without it are refused.' },
  rateLimitPerMinute: { env: 'RATE_LIMIT_PER_MINUTE', type: 'int', default: '600', min: 0, doc: 'Requests per minute per client (API key, token subject, or address when anonymous), shared by all API processes; beyond it 429 with Retry-After (0 = off).' },
  outboundAllowlist: { env: 'OUTBOUND_ALLOWLIST', type: 'string', doc: 'Comma-separated `host`, `host:port` or CIDR that outbound calls (webhooks, connectors) may reach over plain http or on private addresses. Everything else must be https to a public address.' },
  outboundTimeoutMs: { env: 'OUTBOUND_TIMEOUT_MS', type: 'int', default: '10000', min: 100, doc: 'Timeout of one outbound call in ms, redirects and body included.' },
  outboundMaxRedirects: { env: 'OUTBOUND_MAX_REDIRECTS', type: 'int', default: '3', min: 0, doc: 'Redirects an outbound call follows (each target checked again).' },
  outboundMaxResponseBytes: { env: 'OUTBOUND_MAX_RESPONSE_BYTES', type: 'int', default: '10485760', min: 1024, doc: 'Largest answer an outbound call reads, in bytes.' },
  auditRetentionS: { env: 'AUDIT_RETENTION_SECONDS', type: 'int', default: '7776000', min: 1, doc: 'How long a job\'s audit trail stays after its last event (seconds; default 90 days). Entries carry no message content.' },
  connectorsFile: { env: 'CONNECTORS_FILE', type: 'string', doc: 'JSON file enabling connectors (registers, webhooks, RPA) with their config; secrets by env var name (see docs/connectors.md). Unset: no delivery, jobs go straight to `done`.' },
  deliveryAttempts: { env: 'DELIVERY_ATTEMPTS', type: 'int', default: '5', min: 1, doc: 'Attempts per delivery before it goes to the dead-letter list (retries use exponential backoff).' },
  deliveryBackoffMs: { env: 'DELIVERY_BACKOFF_MS', type: 'int', default: '2000', min: 0, doc: 'First delivery retry delay in ms; doubles with each attempt.' },
  deliveryConcurrency: { env: 'DELIVERY_CONCURRENCY', type: 'int', default: '4', min: 1, doc: 'Deliver jobs one worker process runs at once.' },
  ledgerRetentionS: { env: 'LEDGER_RETENTION_SECONDS', type: 'int', default: '31536000', min: 60, doc: 'How long the delivery ledger remembers a delivery key (seconds; default 1 year). Registers keep their own idempotency beyond it.' },
  callbackSigningSecret: { env: 'CALLBACK_SIGNING_SECRET', type: 'string', secret: true, doc: 'HMAC secret for calls to a job\'s `callbackUrl` (`X-XGW-Signature`). Unset: callback URLs are not called.' },
  xoevSchemasDir: { env: 'XOEV_SCHEMAS_DIR', type: 'string', default: 'xoev-schemas', doc: 'Catalog of standards: one folder per standard and version.' },
} as const satisfies Record<string, SettingSpec>;

export type SettingKey = keyof typeof SETTINGS;
