/**
 * bench:scale — end to end (POST → 202 → analysed → done, fake model at a fixed latency) with 1, 2
 * and 4 worker processes and 1 or 2 API processes (PROCESSES=2: one port), on one Redis and on a
 * local Redis Cluster (3 masters, 3 replicas). Prints messages/s and the CPU µs every gateway
 * process spent per message, each as a ratio to the first row (1 API, 1 worker, one Redis) of the
 * same run. On a 2-core machine more processes cannot add throughput; the point is that the CPU
 * per message does not grow with the process count (per core, the throughput is what a core adds).
 *
 *   npm run bench:scale -- [--messages 3000] [--warmup 1000] [--latency 20] [--no-cluster]
 */
import { availableParallelism } from 'node:os';
import { startFakeLlm } from '../test/support/fake-llm-server.js';
import { OwnCluster } from '../scripts/chaos/own-cluster.js';
import { runEndToEnd, type EndToEndResult } from './support/end-to-end.js';
import { arg, fmt } from './support/stats.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const messages = Number(arg('messages', '3000'));
const latencyMs = Number(arg('latency', '20'));
const warmup = Number(arg('warmup', '1000'));
const withCluster = !process.argv.includes('--no-cluster');
const SHAPES: [api: number, workers: number][] = [
  [1, 1],
  [1, 2],
  [1, 4],
  [2, 2],
];

async function main(): Promise<void> {
  const fake = await startFakeLlm({ latencyMs });
  const cluster = withCluster ? new OwnCluster() : undefined;
  process.once('exit', () => cluster?.killNow());
  const rows: { redis: string; api: number; workers: number; r: EndToEndResult }[] = [];
  try {
    await cluster?.start();
    const targets = [
      { name: 'one Redis', target: { url: REDIS_URL } },
      ...(cluster === undefined
        ? []
        : [{ name: 'cluster 3+3', target: { url: cluster.url, clusterNodes: cluster.nodes } }]),
    ];
    for (const { name, target } of targets)
      for (const [api, workers] of SHAPES) {
        process.stderr.write(`bench:scale ${name}, ${api} API, ${workers} worker(s)…\n`);
        rows.push({
          redis: name,
          api,
          workers,
          r: await runEndToEnd({ apiProcesses: api, workers, redis: target, messages, fake, warmup }),
        });
      }
  } finally {
    await fake.close();
    await cluster?.destroy();
  }
  const base = rows[0]?.r;
  if (base === undefined) return;
  process.stdout.write(
    `\nbench:scale  ${messages} xdomea messages per row, fake LLM latency ${latencyMs} ms, WORKER_CONCURRENCY=16, ${availableParallelism()} cores, node ${process.version}\n`,
  );
  process.stdout.write(
    '| Redis | API processes | worker processes | messages/s | × row 1 | CPU µs/message | × row 1 | 202→done p50 ms | p99 ms | states |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n',
  );
  for (const { redis, api, workers, r } of rows)
    process.stdout.write(
      `| ${redis} | ${api} | ${workers} | ${fmt(r.throughput)} | ${(r.throughput / base.throughput).toFixed(2)} | ${fmt(r.cpuUsPerMessage)} | ${(r.cpuUsPerMessage / base.cpuUsPerMessage).toFixed(2)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${JSON.stringify(r.states)} |\n`,
    );
  process.stdout.write(
    `\nper core (row 1): ${fmt(1e6 / base.cpuUsPerMessage)} messages/s of gateway CPU; a host with C cores carries about C× that when the model is not the limit.\n`,
  );
}

await main();
