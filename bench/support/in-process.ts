import { randomUUID } from 'node:crypto';
import { loadConfig, type Config } from '../../src/config/config.js';
import { startRuntime, type GatewayRuntime } from '../../src/main/gateway-runtime.js';
import { buildServices, type Services } from '../../src/main/services.js';
import { createLogger } from '../../src/observability/logger.js';
import { cleanPrefix } from '../../test/support/redis.js';

export interface BenchGateway {
  url: string;
  config: Config;
  runtime: GatewayRuntime;
  services: Services;
  close(): Promise<void>;
}

/** A gateway in this process, as production wires it (no response validation), with its own key prefix. */
export async function startBenchGateway(name: string, env: Record<string, string>): Promise<BenchGateway> {
  const prefix = `xgwbench-${name}-${randomUUID().slice(0, 8)}`;
  const config = loadConfig({
    PORT: '0',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_EMBEDDED: 'false',
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    AUTH_MODE: 'open',
    RATE_LIMIT_PER_MINUTE: '0',
    ...env,
  });
  const logger = createLogger(config.logLevel);
  const services = await buildServices(config, logger);
  const runtime = await startRuntime({ config, logger, ...services });
  return {
    url: runtime.url ?? '',
    config,
    runtime,
    services,
    close: async () => {
      await runtime.close();
      await services.close();
      await cleanPrefix(prefix);
    },
  };
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        const item = items[i];
        if (item !== undefined) await fn(item, i);
      }
    }),
  );
}
