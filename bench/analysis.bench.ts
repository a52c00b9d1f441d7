/**
 * bench:analysis — N tasks (POST /v1/jobs, classify) through the queue against the fake
 * OpenAI-compatible server with a fixed latency L and provider concurrency C (LLM_CONCURRENCY).
 * Prints wall time against the ideal N·L/C (goal ≤ 1.05×), the median middleware overhead per
 * task (analysing → analysed minus L), and the cache's effect on a resubmitted batch (must make
 * 0 model calls).
 *
 * Then, for comparison, what an LLM proxy (Portkey's open-source gateway) adds per call in front of
 * the same fake model; at --concurrency 1 the gateway's added time per task is set against it.
 *
 *   npm run bench:analysis -- [--tasks 2000] [--latency 200] [--concurrency 8] [--no-proxy]
 */
import { randomUUID } from 'node:crypto';
import { startFakeLlm, type FakeLlm } from '../test/support/fake-llm-server.js';
import { freePort } from '../test/support/ports.js';
import { startNode } from './support/processes.js';
import { pool, startBenchGateway } from './support/in-process.js';
import { arg, fmt, median } from './support/stats.js';

const tasks = Number(arg('tasks', '2000'));
const latencyMs = Number(arg('latency', '200'));
const concurrency = Number(arg('concurrency', '8'));

const LABELS = [
  { code: 'WID', name: 'Widerspruch', keywords: ['widerspruch', 'einspruch'] },
  { code: 'ANT', name: 'Antrag', keywords: ['antrag', 'beantrage'] },
  { code: 'AUS', name: 'Auskunft', keywords: ['auskunft', 'frage'] },
];

function text(i: number, run: string): string {
  return `Hiermit lege ich Widerspruch gegen den Gebührenbescheid Nr. ${run}-${i} vom 12.03.2024 ein und beantrage Aussetzung.`;
}

/**
 * What an LLM proxy adds per call, for comparison: Portkey's open-source gateway (a dev dependency
 * of this bench only) in front of the same fake model, one call at a time, against calling the
 * fake directly; the mean of `calls` each, alternating so that load elsewhere hits both alike.
 */
async function proxyAddsMs(fake: FakeLlm, calls: number): Promise<{ direct: number; proxied: number }> {
  const port = await freePort();
  const portkey = await startNode(
    'node_modules/@portkey-ai/gateway/build/start-server.js',
    { NODE_ENV: 'production' },
    /Ready for connections|running at/,
    30_000,
    [`--port=${port}`, '--headless'],
  );
  const body = JSON.stringify({
    model: 'fake-model',
    messages: [{ role: 'user', content: 'Klassifiziere: Widerspruch' }],
  });
  const call = async (url: string, headers: Record<string, string>): Promise<number> => {
    const t = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    return performance.now() - t;
  };
  const direct: number[] = [];
  const proxied: number[] = [];
  try {
    fake.setBehaviour({ kind: 'answer' });
    for (let i = 0; i < calls + 20; i++) {
      const d = await call(`${fake.url}/chat/completions`, { authorization: 'Bearer x' });
      const p = await call(`http://127.0.0.1:${port}/v1/chat/completions`, {
        authorization: 'Bearer x',
        'x-portkey-provider': 'openai',
        'x-portkey-custom-host': fake.url,
      });
      // The first 20 of each warm up connections and JIT.
      if (i >= 20) {
        direct.push(d);
        proxied.push(p);
      }
    }
  } finally {
    await portkey.stop();
  }
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  return { direct: mean(direct), proxied: mean(proxied) };
}

async function main(): Promise<void> {
  const fake = await startFakeLlm({ latencyMs });
  const gw = await startBenchGateway('analysis', {
    LLM_BASE_URL: fake.url,
    LLM_MODEL: 'fake-model',
    LLM_EXTERNAL: 'false',
    LOG_LEVEL: process.env.BENCH_LOG ?? 'silent',
    LLM_CONCURRENCY: String(concurrency),
    // More jobs in flight than provider slots, so the provider is the only bottleneck.
    WORKER_CONCURRENCY: String(concurrency * 2),
  });
  const started = new Map<string, number>();
  const overheads: number[] = [];
  let finished = 0;
  let retries = 0;
  let failed = 0;
  let resolveAll: () => void = () => undefined;
  gw.runtime.events.subscribe((e) => {
    if (e.type === 'analysing') started.set(e.jobId, performance.now());
    if (e.type === 'analysed') {
      const t = started.get(e.jobId);
      if (t !== undefined) overheads.push(performance.now() - t - (e.findings.every((f) => f.cached) ? 0 : latencyMs));
    }
    if (e.type === 'done' || (e.type === 'failed' && e.final) || (e.type === 'analysed' && e.review)) {
      finished++;
      if (e.type === 'failed') failed++;
      if (finished === tasks) resolveAll();
    }
  });

  const batch = async (run: string): Promise<{ wallS: number; calls: number; overheadMs: number }> => {
    finished = 0;
    failed = 0;
    overheads.length = 0;
    const callsBefore = fake.calls;
    const all = new Promise<void>((r) => (resolveAll = r));
    const t0 = performance.now();
    await pool(
      Array.from({ length: tasks }, (_, i) => i),
      64,
      async (i) => {
        const key = `${run}-${randomUUID()}`;
        for (;;) {
          const res = await fetch(`${gw.url}/v1/jobs`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': key },
            body: JSON.stringify({ task: 'classify', text: text(i, 'same'), labels: LABELS }),
          });
          await res.arrayBuffer();
          if (res.status === 202) break;
          // A 503 says "nothing was accepted, retry": a well-behaved client does exactly that.
          if (res.status !== 503) throw new Error(`POST /v1/jobs answered ${res.status}`);
          retries++;
          await new Promise((r) => setTimeout(r, 200));
        }
      },
    );
    await all;
    return { wallS: (performance.now() - t0) / 1000, calls: fake.calls - callsBefore, overheadMs: median(overheads) };
  };

  try {
    const first = await batch('first');
    const second = await batch('again');
    const idealS = (tasks * latencyMs) / concurrency / 1000;
    const ratio = first.wallS / idealS;
    process.stdout.write(
      `\nbench:analysis  ${tasks} classify tasks, fake LLM latency L=${latencyMs} ms, LLM_CONCURRENCY C=${concurrency}, node ${process.version}\n`,
    );
    // Overhead per task as the provider slot sees it: how much longer than L each slot was busy per task.
    const slotOverheadMs = (first.wallS * concurrency * 1000) / tasks - latencyMs;
    process.stdout.write(
      `| batch | wall s | ideal N·L/C s | ratio | LLM calls | median analysing→analysed ms | failed |\n| --- | --- | --- | --- | --- | --- | --- |\n`,
    );
    process.stdout.write(
      `| first | ${fmt(first.wallS, 2)} | ${fmt(idealS, 2)} | ${ratio.toFixed(3)}× | ${first.calls} | ${fmt(first.overheadMs + latencyMs, 1)} | ${failed} |\n`,
    );
    process.stdout.write(
      `| resubmitted (same texts) | ${fmt(second.wallS, 2)} | - | - | ${second.calls} | ${fmt(second.overheadMs, 1)} | - |\n`,
    );
    process.stdout.write(
      `\nmiddleware overhead per task (wall·C/N − L): ${fmt(slotOverheadMs, 1)} ms; without a model call (cache hit, analysing→analysed median): ${fmt(second.overheadMs, 1)} ms\n`,
    );
    process.stdout.write(
      `wall/ideal ${ratio.toFixed(3)}× (goal ≤ 1.05×) ${ratio <= 1.05 ? 'MET' : 'MISSED'}; cache: ${second.calls} LLM calls on resubmission (goal 0) ${second.calls === 0 ? 'MET' : 'MISSED'}; 503 retries during submission: ${retries}\n`,
    );
    if (!process.argv.includes('--no-proxy')) {
      const proxy = await proxyAddsMs(fake, Math.min(tasks, 300));
      const adds = proxy.proxied - proxy.direct;
      process.stdout.write(
        `LLM proxy for comparison (Portkey gateway, same fake model, one call at a time): direct ${fmt(proxy.direct, 2)} ms, through the proxy ${fmt(proxy.proxied, 2)} ms: +${fmt(adds, 2)} ms per call\n`,
      );
      process.stdout.write(
        `added time per task here: ${fmt(slotOverheadMs, 2)} ms at C=${concurrency} (goal at C=1: ≤ the proxy's +${fmt(adds, 2)} ms) ${concurrency === 1 ? (slotOverheadMs <= adds ? 'MET' : 'MISSED') : '(run with --concurrency 1 to compare)'}\n`,
      );
    }
  } finally {
    await gw.close();
    await fake.close();
  }
}

await main();
