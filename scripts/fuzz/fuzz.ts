/**
 * `npm run fuzz`: N inputs mutated from the real samples with a seeded generator (truncations, bit
 * flips, wrong namespaces, huge attributes, entity tricks and DOCTYPEs, deep nesting …) posted to
 * a gateway process (ROLE=api). Every answer must be 202/200 or problem+json below 500, each
 * within 1 s, and the process must survive. Failures print with their index and mutation, so
 * `--seed S --only i` replays one.
 *
 *   npm run fuzz -- [--inputs 10000] [--seed N] [--only i] [--concurrency 4]
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromRoot } from '../../src/config/paths.js';
import { cleanPrefix } from '../../test/support/redis.js';
import { gatewayEnv, LISTENING, startNode } from '../../bench/support/processes.js';
import { arg } from '../../bench/support/stats.js';
import { SeededRandom, seedFromArgs } from '../chaos/seeded-random.js';
import { MUTATIONS } from './mutators.js';

const inputs = Number(arg('inputs', '10000'));
const only = arg('only', '');
const concurrency = Number(arg('concurrency', '4'));
const budgetMs = Number(arg('budget-ms', '1000'));
const seed = seedFromArgs(process.argv);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function xmlFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.xml')).map((f) => join(dir, f)) : [];
}

/** The seeded case i: which sample, which mutation(s). Derived from (seed, i) alone, so any case replays by itself. */
function caseOf(i: number, samples: readonly Buffer[]): { mutation: string; body: Buffer; contentType: string } {
  const rnd = new SeededRandom((seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
  let body = rnd.pick(samples);
  const names: string[] = [];
  let contentType = 'application/xml';
  // Mostly one mutation, sometimes two stacked.
  for (let k = rnd.next() < 0.2 ? 2 : 1; k > 0; k--) {
    const m = rnd.pick(MUTATIONS);
    const out = m.apply(body, rnd);
    body = out.body;
    if (out.contentType) contentType = out.contentType;
    names.push(m.name);
  }
  return { mutation: names.join('+'), body, contentType };
}

async function main(): Promise<void> {
  const sampleFiles = [...xmlFiles(fromRoot('examples/messages')), ...xmlFiles(fromRoot('test/fixtures/xbau')), ...xmlFiles(fromRoot('test/fixtures/xbau/invalid'))];
  const samples = sampleFiles.map((f) => readFileSync(f));
  const prefix = `xgwfuzz-${randomUUID().slice(0, 8)}`;
  process.stdout.write(`fuzz: seed ${seed}, ${inputs} inputs from ${samples.length} samples — replay with: npm run fuzz -- --seed ${seed} --inputs ${inputs}\n`);
  const gw = await startNode('src/main/gateway.ts', gatewayEnv(prefix, REDIS_URL, { ROLE: 'api' }), LISTENING);
  let crashed = false;
  gw.proc.once('exit', () => (crashed = true));
  const statuses: Record<string, number> = {};
  const byMutation: Record<string, number> = {};
  const failures: string[] = [];
  let slowest = 0;
  const indices = only === '' ? Array.from({ length: inputs }, (_, i) => i) : only.split(',').map(Number);
  let next = 0;
  const t0 = Date.now();
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let j = next++; j < indices.length && !crashed; j = next++) {
          const i = indices[j] ?? 0;
          const c = caseOf(i, samples);
          byMutation[c.mutation.split('+')[0] ?? ''] = (byMutation[c.mutation.split('+')[0] ?? ''] ?? 0) + 1;
          const t = Date.now();
          let problem: string | undefined;
          try {
            const res = await fetch(`${gw.ready}/v1/messages`, { method: 'POST', headers: { 'content-type': c.contentType, 'idempotency-key': `fuzz-${seed}-${i}` }, body: c.body, signal: AbortSignal.timeout(10_000) });
            const ms = Date.now() - t;
            slowest = Math.max(slowest, ms);
            const type = res.headers.get('content-type') ?? '';
            const body = await res.text();
            statuses[res.status] = (statuses[res.status] ?? 0) + 1;
            if (res.status >= 500) problem = `status ${res.status}: ${body.slice(0, 200)}`;
            else if (res.status >= 400 && !type.startsWith('application/problem+json')) problem = `status ${res.status} with ${type}`;
            else if (res.status >= 400 && !/"type":/.test(body)) problem = 'problem+json without type';
            else if (res.status !== 202 && res.status !== 200 && res.status < 400) problem = `unexpected status ${res.status}`;
            else if (ms > budgetMs) problem = `answered in ${ms} ms (budget ${budgetMs} ms)`;
          } catch (error) {
            problem = `no answer: ${error instanceof Error ? error.message : String(error)}`;
          }
          if (problem !== undefined) failures.push(`#${i} ${c.mutation} (${c.body.length} B): ${problem}`);
        }
      }),
    );
    const health = await fetch(`${gw.ready}/healthz`).then((r) => r.status).catch(() => 0);
    if (health !== 200) failures.push(`gateway not healthy after the run (healthz ${health})`);
  } finally {
    if (crashed) failures.push('the gateway process exited during the run');
    await gw.stop();
    await cleanPrefix(prefix);
  }
  const seconds = (Date.now() - t0) / 1000;
  process.stdout.write(`\n${indices.length} inputs in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(statuses)}; slowest answer ${slowest} ms\n`);
  process.stdout.write(`by first mutation: ${JSON.stringify(byMutation)}\n`);
  for (const f of failures.slice(0, 50)) process.stdout.write(`FAIL ${f}\n`);
  if (failures.length > 0) process.stdout.write(`replay one: npm run fuzz -- --seed ${seed} --only <index>\n`);
  process.stdout.write(`\nfuzz: ${failures.length === 0 ? 'PASSED' : `FAILED (${failures.length})`}\n`);
  process.exit(failures.length === 0 ? 0 : 1);
}

await main();
