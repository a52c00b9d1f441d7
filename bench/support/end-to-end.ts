import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import { fromRoot } from '../../src/config/paths.js';
import { createRedis, type RedisTarget } from '../../src/jobs/redis-connection.js';
import { RedisKeys } from '../../src/jobs/redis-keys.js';
import type { FakeLlm } from '../../test/support/fake-llm-server.js';
import { freePort } from '../../test/support/ports.js';
import { cleanPrefix } from '../../test/support/redis.js';
import { pool } from './in-process.js';
import { gatewayEnv, LISTENING, rssMiB, startNode, treeCpuSeconds, type NodeChild } from './processes.js';
import { percentile } from './stats.js';

const UUID = '9fde4e7a-b41b-11ec-9225-005056871b7c';
const template = readFileSync(fromRoot('examples/messages/xdomea-3.0.0-Aussonderung.0503.xml'), 'utf8');

/** One end-to-end run: how many gateway processes of each role, on which Redis, how many messages. */
export interface EndToEndSetup {
  apiProcesses: number;
  workers: number;
  redis: RedisTarget;
  messages: number;
  fake: FakeLlm;
  /**
   * Messages sent and finished before the measured ones: every new process compiles its hot paths
   * first (JIT), a fixed cost that would otherwise be charged to the messages of a short run.
   * @defaultValue 0
   */
  warmup?: number;
  /** More variables for every gateway process (e.g. OTEL_* to trace). */
  env?: Record<string, string>;
}

export interface EndToEndResult {
  submitS: number;
  totalS: number;
  throughput: number;
  p50: number;
  p99: number;
  states: Record<string, number>;
  llmCalls: number;
  workerRss: number[];
  /** CPU µs of every gateway process (API, workers, their children) per message, receipt to end. */
  cpuUsPerMessage: number;
}

/**
 * N real xdomea messages end to end (POST → 202 → analysed → done) through an API process (with
 * PROCESSES=n when more than one: a supervisor and its children on one port) and worker processes,
 * against the fake OpenAI-compatible server. Throughput and 202→done latencies from the job
 * records; CPU from /proc over every gateway process.
 */
export async function runEndToEnd(setup: EndToEndSetup): Promise<EndToEndResult> {
  const { fake, messages } = setup;
  const prefix = `xgwbench-e2e-${randomUUID().slice(0, 8)}`;
  const env = gatewayEnv(prefix, setup.redis.url, {
    ...(setup.redis.clusterNodes === undefined ? {} : { REDIS_CLUSTER_NODES: setup.redis.clusterNodes }),
    LLM_BASE_URL: fake.url,
    LLM_MODEL: 'fake-model',
    LLM_EXTERNAL: 'false',
    LLM_CONCURRENCY: '16',
    WORKER_CONCURRENCY: '16',
    LOG_LEVEL: 'warn',
    ...setup.env,
  });
  const children: NodeChild[] = [];
  const redis = createRedis(setup.redis, 'worker', { enableAutoPipelining: true });
  const queue = new Queue('analyse', { connection: redis, prefix: new RedisKeys(prefix).bullmq() });
  const keys = new RedisKeys(prefix);
  const callsBefore = fake.calls;
  try {
    // A fixed port: several API processes share it, and the supervisor says when all of them serve.
    const port = await freePort();
    const api = await startNode(
      'src/main/gateway.ts',
      { ...env, ROLE: 'api', LOG_LEVEL: 'info', PORT: String(port), PROCESSES: String(setup.apiProcesses) },
      setup.apiProcesses > 1 ? /gateway processes ready/ : LISTENING,
      60_000,
    );
    children.push(api);
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < setup.workers; i++)
      children.push(
        await startNode('src/main/gateway.ts', { ...env, ROLE: 'worker', LOG_LEVEL: 'info' }, /worker running/, 60_000),
      );
    const cpuAt = (): number => children.reduce((sum, c) => sum + treeCpuSeconds(c.proc.pid), 0);
    const send = (count: number, into: string[]): Promise<void> =>
      pool(
        Array.from({ length: count }, (_, i) => i),
        32,
        async (i) => {
          const body = template
            .replace(UUID, randomUUID())
            .replace(
              '[Freitext-Bemerkungsfeld]',
              `Rückfrage Nr. ${i} zum Az. 63-2024-${String(i).padStart(5, '0')} vom 12.03.2024.`,
            );
          for (;;) {
            const res = await fetch(`${url}/v1/messages`, {
              method: 'POST',
              headers: { 'content-type': 'application/xml' },
              body,
            });
            const json: unknown = await res.json();
            const id = typeof json === 'object' && json !== null ? Reflect.get(json, 'id') : undefined;
            if (res.status === 202 && typeof id === 'string') {
              into.push(id);
              return;
            }
            if (res.status !== 503) throw new Error(`POST /v1/messages answered ${res.status}`);
            await new Promise((r) => setTimeout(r, 200));
          }
        },
      );
    const drained = async (): Promise<void> => {
      for (;;) {
        const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        if ((c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0) === 0) return;
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    if ((setup.warmup ?? 0) > 0) {
      await send(setup.warmup ?? 0, []);
      await drained();
    }
    const cpuBefore = cpuAt();
    const ids: string[] = [];
    const t0 = Date.now();
    await send(messages, ids);
    const submitS = (Date.now() - t0) / 1000;
    await drained();
    const cpuS = cpuAt() - cpuBefore;
    const workerRss = children.slice(1).map((c) => rssMiB(c.proc.pid) ?? 0);
    // 202 → end state from the job records themselves: createdAt is set on receipt, updatedAt on the last change.
    const states: Record<string, number> = {};
    const latencies: number[] = [];
    let lastEnd = 0;
    for (let i = 0; i < ids.length; i += 500) {
      // One command per key, sent together: on a cluster a pipeline must stay in one slot.
      const replies = await Promise.all(
        ids.slice(i, i + 500).map((id) => redis.hmget(keys.job(id), 'state', 'createdAt', 'updatedAt')),
      );
      for (const reply of replies) {
        const [state, created, updated] = reply.map((v) => v ?? '');
        states[state || 'missing'] = (states[state || 'missing'] ?? 0) + 1;
        const end = Date.parse(updated ?? '');
        latencies.push(end - Date.parse(created ?? ''));
        lastEnd = Math.max(lastEnd, end);
      }
    }
    latencies.sort((a, b) => a - b);
    const totalS = (lastEnd - t0) / 1000;
    return {
      submitS,
      totalS,
      throughput: messages / totalS,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      states,
      llmCalls: fake.calls - callsBefore,
      workerRss,
      cpuUsPerMessage: (cpuS * 1e6) / messages,
    };
  } finally {
    for (const c of children.reverse()) await c.stop();
    await queue.close();
    redis.disconnect();
    await cleanPrefix(prefix, setup.redis);
  }
}
