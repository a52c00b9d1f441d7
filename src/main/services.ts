import type { Analyser } from '../analysis/analysis.types.js';
import { CircuitBreaker } from '../analysis/circuit-breaker.js';
import { FindingCache, type AnalyserIdentity } from '../analysis/finding-cache.js';
import { analyserFor } from '../analysis/providers/provider-kinds.js';
import { RedisKeys } from '../jobs/redis-keys.js';
import { PROMPT_VERSIONS } from '../analysis/structured/prompts.js';
import { ProviderChain, type ChainMember } from '../analysis/provider-chain.js';
import { PseudonymisingAnalyser } from '../analysis/pseudonymising.analyser.js';
import { ProviderLimiter } from '../analysis/provider-limits.js';
import { RulesAnalyser } from '../analysis/rules/rules.analyser.js';
import { RULES_MODEL, RULES_PROMPT_VERSION } from '../analysis/rules/rule-set.version.js';
import { createTaskPlanner } from '../pipeline/task-planner.js';
import type { Config } from '../config/config.js';
import { loadRequestProfiles, type Posteingang } from '../usecases/posteingang/posteingang.js';
import { isHolidayRegion } from '../usecases/deadline.js';
import { fromRoot } from '../config/paths.js';
import { loadProviders, providerApiKey, type ProviderConfig } from '../config/providers.js';
import type { Logger } from '../observability/logger.js';
import { GatewayMetrics } from '../observability/metrics.js';
import type { TaskPlanner } from '../pipeline/job-preparer.js';
import { createRedis, redisTarget, type RedisClient } from '../jobs/redis-connection.js';
import { loadCatalog, type XoevCatalog } from '../xoev/catalog.js';
import { catalogOptionsOf } from './catalog-options.js';
import { DocumentReader } from '../documents/document-reader.js';
import type { DocumentLimits } from '../documents/document-limits.js';
import type { MessageCatalog } from './gateway-runtime.js';

export interface Services {
  catalog: MessageCatalog;
  xoev: XoevCatalog;
  analyser: Analyser;
  planner: TaskPlanner;
  /** Request profiles of the catalog (Posteingang): citizens' requests by e-mail, form or text. */
  requestProfiles: ReadonlyMap<string, Posteingang>;
  /** Reads document text (attachments, documents of task jobs) in child processes, within limits. */
  documents: DocumentReader;
  /** This process's Prometheus metrics; the provider chain reports into it. */
  metrics: GatewayMetrics;
  close(): Promise<void>;
}

/**
 * Builds the gateway's long-lived services once at start-up: the compiled XÖV catalog (a broken
 * descriptor or profile stops start-up here), the provider chain with cache and limits (or the
 * offline rules analyser), and the task planner.
 */
/** The document limits of the configuration (`PART_MAX_CHARS`, `DOCUMENT_*`). */
export function documentLimitsOf(config: Config): DocumentLimits {
  return {
    maxChars: config.partMaxChars,
    maxPages: config.documentMaxPages,
    maxEntries: config.documentMaxEntries,
    maxUnpackedBytes: config.documentMaxUnpackedBytes,
    timeoutMs: config.documentTimeoutMs,
    maxMemoryMb: config.documentMaxMemoryMb,
  };
}

export async function buildServices(config: Config, logger: Logger): Promise<Services> {
  const documents = new DocumentReader(documentLimitsOf(config), { workers: config.documentWorkers });
  const xoev = await loadCatalog(fromRoot(config.xoevSchemasDir), { ...catalogOptionsOf(config), documents });
  const redis = createRedis(redisTarget(config), 'worker');
  redis.on('error', (error) => logger.warn({ err: error.message }, 'redis (analysis) connection error'));
  const metrics = new GatewayMetrics();
  const analyser = buildAnalyser(config, redis, logger, metrics);
  const planner = createTaskPlanner(xoev);
  const requestProfiles = await loadRequestProfiles(
    fromRoot(config.xoevSchemasDir),
    (uri) => xoev.codeList(uri),
    isHolidayRegion(config.holidayRegion) ? config.holidayRegion : 'BUND',
  ).catch((error: unknown) => {
    xoev.close();
    documents.close();
    throw error;
  });
  return {
    xoev,
    catalog: xoev,
    analyser,
    planner,
    requestProfiles,
    documents,
    metrics,
    close: async () => {
      await analyser.close?.();
      xoev.close();
      documents.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/**
 * One provider's analyser as the chain runs it: the provider's kind (registry) gives the endpoint,
 * the structured-output loop is shared, and providers outside the authority never see personal
 * data in clear text. `xoev-gw eval` scores exactly this.
 */
export function providerAnalyser(p: ProviderConfig, config: Config): Analyser {
  const analyser = analyserFor(p, { apiKey: providerApiKey(p, config) });
  return p.external ? new PseudonymisingAnalyser(analyser) : analyser;
}

function buildAnalyser(config: Config, redis: RedisClient, logger: Logger, metrics: GatewayMetrics): Analyser {
  // A cached finding holds what was extracted from a job's text: never kept longer than the job.
  const cache = new FindingCache(redis, config.queuePrefix, Math.min(config.cacheTtlS, config.jobRetentionS));
  const providers = loadProviders(config);
  if (providers.length === 0) {
    logger.info('no LLM provider configured (LLM_BASE_URL unset): using the offline rules analyser');
    const identity: AnalyserIdentity = { provider: 'rules', model: RULES_MODEL, promptVersion: RULES_PROMPT_VERSION };
    return new ProviderChain(
      [
        {
          identity,
          external: false,
          analyser: new RulesAnalyser(),
          breaker: new CircuitBreaker(config.llmCircuitFailures, config.llmCircuitCooldownMs),
        },
      ],
      cache,
      metrics.chainObserver(),
    );
  }
  const members: ChainMember[] = providers.map((p) => {
    return {
      // The prompt version depends on the task kind; the cache key adds the kind, so `classify.v1`
      // and `extract.v1` are told apart there. Here the identity carries both.
      identity: {
        provider: p.id,
        model: p.model,
        promptVersion: `${PROMPT_VERSIONS.classify}+${PROMPT_VERSIONS.extract}+${PROMPT_VERSIONS.summarise}`,
      },
      external: p.external,
      analyser: providerAnalyser(p, config),
      breaker: new CircuitBreaker(config.llmCircuitFailures, config.llmCircuitCooldownMs),
      limiter: new ProviderLimiter(redis, new RedisKeys(config.queuePrefix).providerBudget(p.id), p),
    };
  });
  logger.info(
    { providers: providers.map((p) => ({ id: p.id, model: p.model, external: p.external })) },
    'LLM provider chain',
  );
  return new ProviderChain(members, cache, metrics.chainObserver());
}
