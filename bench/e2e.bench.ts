/**
 * bench:e2e — N real xdomea messages end to end (POST → 202 → analysed → done) with the fake
 * OpenAI-compatible server at a fixed latency, first with one worker process, then with two
 * (ROLE=worker children beside one ROLE=api child). Prints throughput, 202→done p50/p99 and the
 * scaling factor from 1 to 2 workers.
 *
 * With `--tracing`: one worker process with tracing off, then on (OTLP/HTTP protobuf to a collector
 * in this process, every request sampled), and the overhead of tracing as ratios.
 *
 *   npm run bench:e2e -- [--messages 10000] [--latency 20] [--tracing [--sample 0.1]]
 */
import { startFakeLlm } from '../test/support/fake-llm-server.js';
import { startFakeOtlpCollector } from '../test/support/fake-otlp-collector.js';
import { runEndToEnd, type EndToEndResult } from './support/end-to-end.js';
import { arg, fmt } from './support/stats.js';
import { tracedSampler } from './support/tracing.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const messages = Number(arg('messages', '10000'));
const latencyMs = Number(arg('latency', '20'));
const tracing = process.argv.includes('--tracing');
const sampler = tracedSampler();

async function main(): Promise<void> {
  const fake = await startFakeLlm({ latencyMs });
  try {
    if (tracing) {
      await tracingOverhead(fake);
      return;
    }
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

/** One worker process, tracing off then on, same messages: what tracing costs end to end. */
async function tracingOverhead(fake: Awaited<ReturnType<typeof startFakeLlm>>): Promise<void> {
  const collector = await startFakeOtlpCollector();
  try {
    const setup = { apiProcesses: 1, workers: 1, redis: { url: REDIS_URL }, messages, fake, warmup: 300 };
    const off = await runEndToEnd(setup);
    const on = await runEndToEnd({
      ...setup,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, ...sampler.env },
    });
    process.stdout.write(
      `\nbench:e2e --tracing  ${messages} xdomea messages, fake LLM latency ${latencyMs} ms, 1 API + 1 worker process, node ${process.version}\n`,
    );
    process.stdout.write(
      '| tracing | all done s | messages/s | 202→done p50 ms | p99 ms | CPU µs/msg (all processes) | states |\n| --- | --- | --- | --- | --- | --- | --- |\n',
    );
    for (const [name, r] of [
      ['off', off],
      [`on (OTLP/HTTP, ${sampler.label})`, on],
    ] as const)
      process.stdout.write(
        `| ${name} | ${fmt(r.totalS, 1)} | ${fmt(r.throughput)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.cpuUsPerMessage)} | ${JSON.stringify(r.states)} |\n`,
      );
    process.stdout.write(
      `\ntracing on ÷ off: throughput ${(on.throughput / off.throughput).toFixed(2)}×, CPU per message ${(on.cpuUsPerMessage / off.cpuUsPerMessage).toFixed(2)}×, p50 ${(on.p50 / off.p50).toFixed(2)}×; ${collector.requests} export requests received\n`,
    );
  } finally {
    await collector.close();
  }
}

await main();
