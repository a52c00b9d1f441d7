import { RedisKeys } from '../src/jobs/redis-keys.js';
/**
 * bench:e2e — N real xdomea messages end to end (POST → 202 → analysed → done) with the fake
 * OpenAI-compatible server at a fixed latency, first with one worker process, then with two
 * (ROLE=worker children beside one ROLE=api child). Prints throughput, 202→done p50/p99 and the
 * scaling factor from 1 to 2 workers.
 *
 *   npm run bench:e2e -- [--messages 10000] [--latency 20]
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { fromRoot } from '../src/config/paths.js';
import { startFakeLlm, type FakeLlm } from '../test/support/fake-llm-server.js';
import { cleanPrefix } from '../test/support/redis.js';
import { pool } from './support/in-process.js';
import { gatewayEnv, LISTENING, rssMiB, startNode, type NodeChild } from './support/processes.js';
import { arg, fmt, percentile } from './support/stats.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const messages = Number(arg('messages', '10000'));
const latencyMs = Number(arg('latency', '20'));
const UUID = '9fde4e7a-b41b-11ec-9225-005056871b7c';
const template = readFileSync(fromRoot('examples/messages/xdomea-3.0.0-Aussonderung.0503.xml'), 'utf8');

interface Result {
  workers: number;
  submitS: number;
  totalS: number;
  throughput: number;
  p50: number;
  p99: number;
  states: Record<string, number>;
  llmCalls: number;
  workerRss: number[];
}

async function run(workers: number, fake: FakeLlm): Promise<Result> {
  const prefix = `xgwbench-e2e-${randomUUID().slice(0, 8)}`;
  const env = gatewayEnv(prefix, REDIS_URL, {
    LLM_BASE_URL: fake.url,
    LLM_MODEL: 'fake-model',
    LLM_EXTERNAL: 'false',
    LLM_CONCURRENCY: '16',
    WORKER_CONCURRENCY: '16',
    LOG_LEVEL: 'warn',
  });
  const children: NodeChild[] = [];
  const redis = new Redis(REDIS_URL);
  // Our own connection: Queue.close() leaves a connection it was given open, so it is closed below
  // (it was not, and the bench never exited after printing its table).
  const queueConnection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue('analyse', { connection: queueConnection, prefix: new RedisKeys(prefix).bullmq() });
  const callsBefore = fake.calls;
  try {
    const api = await startNode('src/main/gateway.ts', { ...env, ROLE: 'api', LOG_LEVEL: 'info' }, LISTENING);
    children.push(api);
    for (let i = 0; i < workers; i++)
      children.push(
        await startNode('src/main/gateway.ts', { ...env, ROLE: 'worker', LOG_LEVEL: 'info' }, /worker running/),
      );
    const ids: string[] = [];
    const t0 = Date.now();
    await pool(
      Array.from({ length: messages }, (_, i) => i),
      32,
      async (i) => {
        const body = template
          .replace(UUID, randomUUID())
          .replace(
            '[Freitext-Bemerkungsfeld]',
            `Rückfrage Nr. ${i} zum Az. 63-2024-${String(i).padStart(5, '0')} vom 12.03.2024.`,
          );
        for (;;) {
          const res = await fetch(`${api.ready}/v1/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/xml' },
            body,
          });
          const json: unknown = await res.json();
          if (
            res.status === 202 &&
            typeof json === 'object' &&
            json !== null &&
            typeof Reflect.get(json, 'id') === 'string'
          ) {
            ids.push(String(Reflect.get(json, 'id')));
            return;
          }
          if (res.status !== 503) throw new Error(`POST /v1/messages answered ${res.status}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      },
    );
    const submitS = (Date.now() - t0) / 1000;
    for (;;) {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if ((c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0) === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const workerRss = children.slice(1).map((c) => rssMiB(c.proc.pid) ?? 0);
    // 202 → end state from the job records themselves: createdAt is set on receipt, updatedAt on the last change.
    const states: Record<string, number> = {};
    const latencies: number[] = [];
    let lastEnd = 0;
    for (let i = 0; i < ids.length; i += 500) {
      const pipe = redis.pipeline();
      for (const id of ids.slice(i, i + 500))
        pipe.hmget(new RedisKeys(prefix).job(id), 'state', 'createdAt', 'updatedAt');
      for (const [, reply] of (await pipe.exec()) ?? []) {
        if (!Array.isArray(reply)) continue;
        const [state, created, updated] = reply.map((v: unknown) => (typeof v === 'string' ? v : ''));
        states[state || 'missing'] = (states[state || 'missing'] ?? 0) + 1;
        const end = Date.parse(updated ?? '');
        latencies.push(end - Date.parse(created ?? ''));
        lastEnd = Math.max(lastEnd, end);
      }
    }
    latencies.sort((a, b) => a - b);
    const totalS = (lastEnd - t0) / 1000;
    return {
      workers,
      submitS,
      totalS,
      throughput: messages / totalS,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      states,
      llmCalls: fake.calls - callsBefore,
      workerRss,
    };
  } finally {
    for (const c of children.reverse()) await c.stop();
    await queue.close();
    queueConnection.disconnect();
    redis.disconnect();
    await cleanPrefix(prefix);
  }
}

async function main(): Promise<void> {
  const fake = await startFakeLlm({ latencyMs });
  try {
    const one = await run(1, fake);
    const two = await run(2, fake);
    process.stdout.write(
      `\nbench:e2e  ${messages} xdomea messages, fake LLM latency ${latencyMs} ms, per worker process WORKER_CONCURRENCY=16 LLM_CONCURRENCY=16, node ${process.version}\n`,
    );
    process.stdout.write(
      '| workers | submit s | all done s | messages/s | 202→done p50 ms | p99 ms | states | LLM calls | worker RSS MiB |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n',
    );
    for (const r of [one, two])
      process.stdout.write(
        `| ${r.workers} | ${fmt(r.submitS, 1)} | ${fmt(r.totalS, 1)} | ${fmt(r.throughput)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${JSON.stringify(r.states)} | ${r.llmCalls} | ${r.workerRss.join(', ')} |\n`,
      );
    process.stdout.write(
      `\nscaling 1 → 2 worker processes: ${(two.throughput / one.throughput).toFixed(2)}× throughput\n`,
    );
  } finally {
    await fake.close();
  }
}

await main();
