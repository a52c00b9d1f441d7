#!/usr/bin/env node
/**
 * `npm start`: one gateway process (API and workers by default, see ROLE), on the embedded
 * defaults: Redis at REDIS_URL (a child redis-server if none answers), the offline `rules`
 * analyser unless LLM_BASE_URL is set.
 */
import { describeConfig, loadConfig, type Config } from '../config/config.js';
import { fromRoot } from '../config/paths.js';
import { createLogger } from '../observability/logger.js';
import { ensureRedis } from './embedded-redis.js';
import { tracingRequested } from '../observability/tracing.js';
import { resolveAuthMode } from '../security/auth-mode.js';
import { isAppError } from '../errors/app-error.js';
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { READY_MESSAGE, superviseProcesses } from './process-supervisor.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
    // An open API on a reachable address is refused before anything starts.
    if (config.role !== 'worker') resolveAuthMode(config.authMode, config.host);
  } catch (error) {
    process.stderr.write(`xoev-ai-gateway: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  const logger = createLogger(config.logLevel);
  const processes = config.processes === 0 ? availableParallelism() : config.processes;
  // A child of a supervisor (PROCESSES > 1): the primary has the embedded Redis and the signals.
  const supervised = cluster.isWorker;
  if (!supervised) logger.info({ config: describeConfig(config) }, 'starting xoev-ai-gateway');

  let embedded: Awaited<ReturnType<typeof ensureRedis>> | undefined;
  try {
    // A cluster or Sentinels are the operator's: nothing is started for them.
    if (!supervised && config.redisClusterNodes === undefined && config.redisSentinels === undefined)
      embedded = await ensureRedis(config.redisUrl, {
        embedded: config.redisEmbedded,
        dataDir: fromRoot(config.redisDataDir),
        logger,
      });
  } catch (error) {
    process.stderr.write(`xoev-ai-gateway: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(3);
  }

  if (!supervised && processes > 1) {
    const code = await superviseProcesses(processes, logger);
    await embedded?.stop();
    process.exit(code);
  }

  // Tracing (OTEL_* variables; off when unset) starts before express, node:http's servers and BullMQ
  // load: the services and the runtime are imported only afterwards.
  const tracing = tracingRequested(process.env)
    ? (await import('../observability/tracing-sdk.js')).startTracing()
    : undefined;
  const { buildServices } = await import('./services.js');
  const { startRuntime } = await import('./gateway-runtime.js');
  let services;
  try {
    services = await buildServices(config, logger);
  } catch (error) {
    await embedded?.stop();
    // A broken standard folder or connectors file is the user's to fix: say what and where, not our stack.
    if (!isAppError(error) || error.code !== 'XGW_CONFIG_INVALID') throw error;
    process.stderr.write(`xoev-ai-gateway: ${error.code}: ${error.detail ?? error.message}\n`);
    process.exit(2);
  }
  const runtime = await startRuntime({ config, logger, ...services });
  logger.info(
    { url: runtime.url, role: config.role, analyser: services.analyser.name },
    runtime.url ? `listening on ${runtime.url}` : 'worker running',
  );
  if (supervised) process.send?.(READY_MESSAGE);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new work, finishing in-flight jobs');
    void (async () => {
      await runtime.close();
      await services.close();
      await embedded?.stop();
      // The spans of the last jobs are exported before the process ends.
      // Bounded: an unreachable collector must not hold the exit.
      await Promise.race([tracing?.shutdown().catch(() => undefined), new Promise((r) => setTimeout(r, 5000).unref())]);
      logger.info('stopped');
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // A supervised process whose supervisor is gone (killed) stops too, rather than run unwatched.
  if (supervised) process.on('disconnect', () => stop('supervisor gone'));
}

void main().catch((error: unknown) => {
  process.stderr.write(
    `xoev-ai-gateway: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
