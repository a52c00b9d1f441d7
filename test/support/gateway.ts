import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { DestinationStream } from 'pino';
import { loadConfig, type Config } from '../../src/config/config.js';
import { fromRoot } from '../../src/config/paths.js';
import { createLogger } from '../../src/observability/logger.js';
import { startRuntime, type GatewayRuntime } from '../../src/main/gateway-runtime.js';
import { buildServices, type Services } from '../../src/main/services.js';
import { cleanPrefix, testPrefix, testRedisEnv } from './redis.js';

export interface TestGateway {
  url: string;
  config: Config;
  runtime: GatewayRuntime;
  services: Services;
  prefix: string;
  close(): Promise<void>;
}

/**
 * A real gateway (real Redis, real HTTP, real XSD validation) on a free port with its own key
 * prefix; responses are validated against the OpenAPI file too.
 */
export async function startTestGateway(
  env: Record<string, string> = {},
  name = 'gw',
  options: { logDestination?: DestinationStream } = {},
): Promise<TestGateway> {
  const prefix = env.QUEUE_PREFIX ?? testPrefix(name);
  const config = loadConfig({
    PORT: '0',
    // A worker's own metrics listener: a free port, as two suites may run workers at once.
    METRICS_PORT: '0',
    ...testRedisEnv(),
    REDIS_EMBEDDED: 'false',
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    JOB_BACKOFF_MS: '50',
    WORKER_LOCK_MS: '2000',
    SHUTDOWN_GRACE_SECONDS: '5',
    ...env,
  });
  // A captured destination lets a test read every log line (e.g. to prove no personal data is logged).
  const logger = createLogger(config.logLevel, options.logDestination);
  const services = await buildServices(config, logger);
  const runtime = await startRuntime({ config, logger, ...services, validateResponses: true });
  return {
    url: runtime.url ?? '',
    config,
    runtime,
    services,
    prefix,
    close: async () => {
      await runtime.close();
      await services.close();
      await cleanPrefix(prefix);
    },
  };
}

/** Polls GET /v1/jobs/{id} until the job reaches one of `states` (or fails the test after `timeoutMs`). */
export async function waitForJob(
  baseUrl: string,
  location: string,
  states: readonly string[] = ['done', 'review', 'failed'],
  timeoutMs = 20_000,
  headers: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  let last: Record<string, unknown> = {};
  while (Date.now() < deadline) {
    const res = await fetch(baseUrl + location, { headers });
    last = (await res.json()) as Record<string, unknown>;
    if (typeof last.state === 'string' && states.includes(last.state)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `job ${location} did not reach ${states.join('/')} within ${timeoutMs} ms; last: ${JSON.stringify(last).slice(0, 500)}`,
  );
}

export function example(path: string): Buffer {
  return readFileSync(fromRoot(path));
}

/** Posts an XML message. */
export function postMessage(
  baseUrl: string,
  body: Buffer | string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${baseUrl}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/xml', ...headers },
    body,
  });
}

/**
 * Waits for a job to leave analysis; when it waits for a person (a proposed reply, an unsure
 * finding), accepts it as proposed and waits for the end. For tests about what follows a decision.
 */
export async function acceptedJob(
  baseUrl: string,
  location: string,
  headers: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const job = await waitForJob(baseUrl, location, ['done', 'review', 'failed'], 20_000, headers);
  if (job.state !== 'review') return job;
  const res = await fetch(`${baseUrl}/v1/reviews/${String(job.id)}/decision`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ decision: 'accept' }),
  });
  if (res.status !== 200) throw new Error(`accepting ${String(job.id)} answered ${res.status}`);
  return waitForJob(baseUrl, location, ['done', 'failed'], 20_000, headers);
}

/** A worker-only gateway in a child process of its own (to be killed with SIGKILL by crash tests). */
export function spawnWorker(env: Record<string, string>): ChildProcess {
  return spawnGateway({ ...env, ROLE: 'worker' });
}

/** A gateway (ROLE from `env`, else all) in a child process of its own, for crash tests; `output` pipes its stdout (log lines). */
export function spawnGateway(env: Record<string, string>, options: { output?: boolean } = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', fromRoot('src/main/gateway.ts')], {
    env: {
      ...process.env,
      REDIS_EMBEDDED: 'false',
      LOG_LEVEL: 'silent',
      PORT: '0',
      METRICS_PORT: '0',
      ...testRedisEnv(),
      ...env,
    },
    stdio: ['ignore', options.output === true ? 'pipe' : 'ignore', 'ignore'],
  });
}
