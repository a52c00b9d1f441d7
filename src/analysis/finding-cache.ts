import type { RedisClient } from '../jobs/redis-connection.js';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../config/canonical-json.js';
import type { AnalysisRequest } from './analysis.types.js';
import type { Finding, TaskSpec } from '../jobs/finding.js';
import { RedisKeys } from '../jobs/redis-keys.js';

/** Which model and prompt would answer a task; part of the cache key. */
export interface AnalyserIdentity {
  provider: string;
  model: string;
  promptVersion: string;
}

/** The cache key: hash of (tenant, task with its labels/schema, prompt version, model, part text). */
export function findingCacheKey(task: TaskSpec, identity: AnalyserIdentity, text: string, tenant = ''): string {
  return createHash('sha256')
    .update(tenant)
    .update('\u0000')
    .update(canonicalJson(task))
    .update('\u0000')
    .update(identity.promptVersion)
    .update('\u0000')
    .update(identity.model)
    .update('\u0000')
    .update(text)
    .digest('hex');
}

/**
 * Once-only analysis: findings by content hash in Redis. A part that was analysed with the same
 * task, model and prompt version is answered from here and never sent to a model again. Findings
 * hold extracted personal data, so the cache is per tenant (one tenant's text never answers
 * another's) and keeps them no longer than the jobs they come from (see `ttlSeconds`).
 */
export class FindingCache {
  private readonly keys: RedisKeys;
  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    /** CACHE_TTL_SECONDS, at most JOB_RETENTION_SECONDS (services.ts). */
    private readonly ttlSeconds: number,
  ) {
    this.keys = new RedisKeys(prefix);
  }

  private key(hash: string): string {
    return this.keys.finding(hash);
  }

  /** The first cached finding among the given identities (in order), or undefined. */
  async lookup(request: AnalysisRequest, identities: readonly AnalyserIdentity[]): Promise<Finding | undefined> {
    if (identities.length === 0) return undefined;
    const keys = identities.map((id) => this.key(findingCacheKey(request.task, id, request.text, request.tenant)));
    const values = await this.redis.mget(...keys);
    for (const value of values) {
      if (value === null) continue;
      // Written only by store() below from a typed Finding.
      const cached = JSON.parse(value) as Finding;
      return {
        ...cached,
        partId: request.partId,
        cached: true,
        usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
        durationMs: 0,
      };
    }
    return undefined;
  }

  async store(request: AnalysisRequest, identity: AnalyserIdentity, finding: Finding): Promise<void> {
    const { cached: _cached, ...plain } = finding;
    await this.redis.set(
      this.key(findingCacheKey(request.task, identity, request.text, request.tenant)),
      JSON.stringify(plain),
      'EX',
      this.ttlSeconds,
    );
  }
}
