import type { JobEvent } from '../jobs/job-events.js';
import { RedisKeys } from '../jobs/redis-keys.js';
import { scanKeys, type RedisClient } from '../jobs/redis-connection.js';

/** Tokens one client used, summed over its jobs. */
export interface ClientUsage {
  tenant: string;
  client: string;
  jobs: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/**
 * Token accounting per client: every analysed job adds its usage to a Redis hash per tenant and
 * client, so an authority can see (and charge) what each Fachverfahren or bot consumed.
 * Cached findings add nothing: no model was called for them.
 */
export class TokenAccounting {
  private readonly keys: RedisKeys;
  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = new RedisKeys(prefix);
  }

  private key(tenant: string, client: string): string {
    return this.keys.usage(tenant, client);
  }

  /** The JobEvents sink. */
  readonly sink = async (event: JobEvent): Promise<void> => {
    if (event.type !== 'analysed') return;
    const key = this.key(event.tenant, event.client ?? 'unknown');
    await this.redis
      .multi()
      .hset(key, 'tenant', event.tenant, 'client', event.client ?? 'unknown')
      .hincrby(key, 'jobs', 1)
      .hincrby(key, 'promptTokens', event.usage.promptTokens)
      .hincrby(key, 'completionTokens', event.usage.completionTokens)
      .hincrby(key, 'totalTokens', event.usage.totalTokens)
      .exec();
  };

  /** Usage of every client of `tenant` (all tenants when undefined). */
  async list(tenant: string | undefined): Promise<ClientUsage[]> {
    const out: ClientUsage[] = [];
    for await (const key of scanKeys(this.redis, this.keys.usagePattern(tenant))) {
      const h = await this.redis.hgetall(key);
      if (h.tenant === undefined || h.client === undefined) continue;
      if (tenant !== undefined && h.tenant !== tenant) continue; // tenants may contain ':' (Behördenkennung)
      out.push({
        tenant: h.tenant,
        client: h.client,
        jobs: Number(h.jobs ?? 0),
        promptTokens: Number(h.promptTokens ?? 0),
        completionTokens: Number(h.completionTokens ?? 0),
        totalTokens: Number(h.totalTokens ?? 0),
      });
    }
    return out.sort((a, b) => (a.tenant + a.client < b.tenant + b.client ? -1 : 1));
  }
}
