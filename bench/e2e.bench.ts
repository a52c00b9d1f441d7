/**
 * bench:e2e — N real xdomea messages end to end (POST → 202 → analysed → done) with the fake
 * OpenAI-compatible server at a fixed latency, first with one worker process, then with two
 * (ROLE=worker children beside one ROLE=api child). Prints throughput, 202→done p50/p99 and the
 * scaling factor from 1 to 2 workers.
 *
 *   npm run bench:e2e -- [--messages 10000] [--latency 20]
 */
import { startFakeLlm } from '../test/support/fake-llm-server.js';
import { runEndToEnd, type EndToEndResult } from './support/end-to-end.js';
import { arg, fmt } from './support/stats.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const messages = Number(arg('messages', '10000'));
const latencyMs = Number(arg('latency', '20'));

async function main(): Promise<void> {
  const fake = await startFakeLlm({ latencyMs });
  try {
    const runs: [number, EndToEndResult][] = [];
    for (const workers of [1, 2])
      runs.push([workers, await runEndToEnd({ apiProcesses: 1, workers, redis: { url: REDIS_URL }, messages, fake })]);
    process.stdout.write(
      `\nbench:e2e  ${messages} xdomea messages, fake LLM latency ${latencyMs} ms, per worker process WORKER_CONCURRENCY=16 LLM_CONCURRENCY=16, node ${process.version}\n`,
    );
    process.stdout.write(
      '| workers | submit s | all done s | messages/s | 202→done p50 ms | p99 ms | states | LLM calls | worker RSS MiB |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n',
    );
    for (const [workers, r] of runs)
      process.stdout.write(
        `| ${workers} | ${fmt(r.submitS, 1)} | ${fmt(r.totalS, 1)} | ${fmt(r.throughput)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${JSON.stringify(r.states)} | ${r.llmCalls} | ${r.workerRss.join(', ')} |\n`,
      );
    const [one, two] = runs.map(([, r]) => r);
    if (one !== undefined && two !== undefined)
      process.stdout.write(
        `\nscaling 1 → 2 worker processes: ${(two.throughput / one.throughput).toFixed(2)}× throughput\n`,
      );
  } finally {
    await fake.close();
  }
}

await main();
