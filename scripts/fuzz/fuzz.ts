/**
 * `npm run fuzz`: N seeded hostile inputs posted to a gateway process. Three kinds, mixed:
 * - `messages`: XÖV messages mutated from the real samples (truncations, bit flips, wrong
 *   namespaces, huge attributes, entity tricks and DOCTYPEs, deep nesting …) on POST /v1/messages;
 * - `documents`: PDF, DOCX, HTML and text documents, intact, broken and built to be expensive (zip
 *   and flate bombs, lying zip headers, thousands of pages or entries, `<a` × 400,000) on POST /v1/jobs;
 * - `tasks`: JSON task bodies (schemas nested 10,000 deep or 5,000 wide, `$id`/`$ref` tricks,
 *   catastrophic patterns, label sets, hostile texts up to 400,000 characters, garbage JSON).
 * Every answer must be 202/200 or problem+json below 500 within the budget (1 s), and the gateway
 * must survive with bounded memory. The gateway runs with its workers (ROLE=all), so accepted jobs
 * are analysed too. Failures print with their index, so `--seed S --only i` replays one.
 *
 * - `inbound`: callbacks of a FIT-Connect Zustelldienst without signature, with garbage and oversized bodies.
 * - `mcp`: JSON-RPC to POST /mcp: mutated messages through validate_message and submit_message, wrong
 *   types, unknown tools and methods, batches, deep nesting, huge strings, broken JSON. A refusal of the
 *   protocol itself may come as a JSON-RPC error (what an MCP client reads) instead of problem+json.
 *   npm run fuzz -- [--inputs 10000] [--seed N] [--only i] [--concurrency 4] [--targets messages,documents,tasks,multipart,inbound,mcp] [--role all]
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromRoot } from '../../src/config/paths.js';
import { cleanPrefix } from '../../test/support/redis.js';
import { childPids } from '../../test/support/proc.js';
import { gatewayEnv, LISTENING, rssMiB, startNode } from '../../bench/support/processes.js';
import { arg } from '../../bench/support/stats.js';
import { SeededRandom, seedFromArgs } from '../chaos/seeded-random.js';
import { buildBombs, DOCUMENT_MUTATIONS, type Bombs } from './document-cases.js';
import { MUTATIONS } from './mutators.js';
import { TASK_MUTATIONS } from './task-cases.js';
import { multipartCase } from './multipart-cases.js';
import { mcpCase } from './mcp-cases.js';

const TARGETS = ['messages', 'documents', 'tasks', 'multipart', 'inbound', 'mcp'] as const;
type Target = (typeof TARGETS)[number];

const inputs = Number(arg('inputs', '10000'));
const only = arg('only', '');
const concurrency = Number(arg('concurrency', '4'));
const budgetMs = Number(arg('budget-ms', '1000'));
const role = arg('role', 'all');
const targets = arg('targets', TARGETS.join(','))
  .split(',')
  .filter((t): t is Target => (TARGETS as readonly string[]).includes(t));
const seed = seedFromArgs(process.argv);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function xmlFiles(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.xml'))
        .map((f) => join(dir, f))
    : [];
}

interface FuzzCase {
  target: Target;
  mutation: string;
  path: string;
  body: Buffer;
  contentType: string;
  /** More request headers (MCP wants `Accept: application/json, text/event-stream`). */
  headers?: Record<string, string>;
}

const EXTRACT_SCHEMA = {
  type: 'object',
  properties: {
    datum: { type: 'string', 'x-entity': 'date' },
    aktenzeichen: { type: 'string', 'x-entity': 'aktenzeichen' },
  },
};

/** The seeded case i: which target, which sample, which mutation(s). Derived from (seed, i) alone, so any case replays by itself. */
function caseOf(i: number, samples: readonly Buffer[], bombs: Bombs): FuzzCase {
  const rnd = new SeededRandom((seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
  const target = rnd.pick(targets);
  if (target === 'documents') {
    const m = rnd.pick(DOCUMENT_MUTATIONS);
    const doc = m.make(rnd, bombs);
    const body = JSON.stringify({
      task: 'extract',
      document: {
        contentBase64: doc.bytes.toString('base64'),
        ...(doc.mimeType === '' ? {} : { mimeType: doc.mimeType }),
        fileName: 'anlage',
      },
      schema: EXTRACT_SCHEMA,
    });
    return { target, mutation: m.name, path: '/v1/jobs', body: Buffer.from(body), contentType: 'application/json' };
  }
  if (target === 'tasks') {
    const m = rnd.pick(TASK_MUTATIONS);
    return {
      target,
      mutation: m.name,
      path: '/v1/jobs',
      body: Buffer.from(m.make(rnd)),
      contentType: 'application/json',
    };
  }
  if (target === 'inbound') {
    // FIT-Connect callbacks (issue #18): unsigned, garbage and oversized bodies on the callback route.
    const size = rnd.pick([0, 10, 2_000, 300_000, 1_000_000]);
    const body = rnd.pick([
      Buffer.from(
        '{"type":"https://schema.fitko.de/fit-connect/submission-api/callbacks/new-submissions","submissions":[]}',
      ),
      Buffer.alloc(size, rnd.pick(['{', 'a', '\u0000'])),
      Buffer.from(`{"submissions":[${'{"submissionId":"x"},'.repeat(Math.floor(size / 25))}{}]}`),
    ]);
    return {
      target,
      mutation: `callback-${size}`,
      path: `/v1/inbound/${rnd.pick(['ozg', 'nope', 'x'.repeat(64)])}/callback`,
      body,
      contentType: rnd.pick(['application/json', 'text/plain', 'application/octet-stream']),
    };
  }
  if (target === 'mcp') {
    const m = mcpCase(rnd, rnd.pick(samples));
    return {
      target,
      mutation: m.name,
      path: '/mcp',
      body: m.body,
      contentType: 'application/json',
      headers: { accept: 'application/json, text/event-stream' },
    };
  }
  if (target === 'multipart') {
    const m = multipartCase(rnd, rnd.pick(samples), bombs);
    return { target, mutation: m.name, path: '/v1/messages', body: m.body, contentType: m.contentType };
  }
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
  return { target, mutation: names.join('+'), path: '/v1/messages', body, contentType };
}

/** Resident memory of a process's children (the document readers), largest one, from /proc. */
function childrenMaxRss(pid: number | undefined): number {
  if (pid === undefined) return 0;
  return Math.max(0, ...childPids(pid).map((c) => rssMiB(c) ?? 0));
}

/** Waits until every accepted job has ended (done, review, failed) and counts how; a job that does not end is a failure. */
async function drain(
  base: string,
  locations: readonly string[],
  deadlineMs: number,
): Promise<{ ends: Record<string, number>; stuck: string[] }> {
  const ends: Record<string, number> = {};
  const stuck: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let k = next++; k < locations.length; k = next++) {
        const location = locations[k] ?? '';
        let end: string | undefined;
        while (end === undefined && Date.now() < deadlineMs) {
          const job = (await fetch(base + location)
            .then((r) => r.json())
            .catch(() => ({}))) as { state?: string; failedReason?: { code?: string } };
          if (job.state === 'done' || job.state === 'review') end = job.state;
          else if (job.state === 'failed') end = `failed:${job.failedReason?.code ?? '?'}`;
          else await new Promise((r) => setTimeout(r, 200));
        }
        if (end === undefined) stuck.push(location);
        else ends[end] = (ends[end] ?? 0) + 1;
      }
    }),
  );
  return { ends, stuck };
}

interface Tally {
  statuses: Record<string, number>;
  inputs: number;
  slowestMs: number;
  slowest: string;
}

async function main(): Promise<void> {
  const sampleFiles = [
    ...xmlFiles(fromRoot('examples/messages')),
    ...xmlFiles(fromRoot('test/fixtures/xbau')),
    ...xmlFiles(fromRoot('test/fixtures/xbau/invalid')),
  ];
  const samples = sampleFiles.map((f) => readFileSync(f));
  const bombs = await buildBombs();
  const prefix = `xgwfuzz-${randomUUID().slice(0, 8)}`;
  process.stdout.write(
    `fuzz: seed ${seed}, ${inputs} inputs (${targets.join(', ')}), ROLE=${role} — replay with: npm run fuzz -- --seed ${seed} --inputs ${inputs} --targets ${targets.join(',')}\n`,
  );
  const gw = await startNode(
    'src/main/gateway.ts',
    gatewayEnv(prefix, REDIS_URL, { ROLE: role, WORKER_CONCURRENCY: '2', DOCUMENT_WORKERS: '2' }),
    LISTENING,
  );
  let crashed = false;
  gw.proc.once('exit', () => (crashed = true));
  const tallies = new Map<Target, Tally>(
    targets.map((t) => [t, { statuses: {}, inputs: 0, slowestMs: 0, slowest: '' }]),
  );
  const byMutation: Record<string, number> = {};
  const failures: string[] = [];
  const accepted: string[] = [];
  let drained: { ends: Record<string, number>; stuck: string[] } | undefined;
  let drainSeconds = 0;
  let maxRss = rssMiB(gw.proc.pid) ?? 0;
  let maxReaderRss = 0;
  const startRss = maxRss;
  const sampler = setInterval(() => {
    maxRss = Math.max(maxRss, rssMiB(gw.proc.pid) ?? 0);
    maxReaderRss = Math.max(maxReaderRss, childrenMaxRss(gw.proc.pid));
  }, 100);
  const indices = only === '' ? Array.from({ length: inputs }, (_, i) => i) : only.split(',').map(Number);
  let next = 0;
  const t0 = Date.now();
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let j = next++; j < indices.length && !crashed; j = next++) {
          const i = indices[j] ?? 0;
          const c = caseOf(i, samples, bombs);
          const tally = tallies.get(c.target);
          const first = c.mutation.split('+')[0] ?? '';
          byMutation[first] = (byMutation[first] ?? 0) + 1;
          const t = Date.now();
          let problem: string | undefined;
          try {
            const res = await fetch(`${gw.ready}${c.path}`, {
              method: 'POST',
              headers: { 'content-type': c.contentType, 'idempotency-key': `fuzz-${seed}-${i}`, ...c.headers },
              body: c.body,
              signal: AbortSignal.timeout(15_000),
            });
            const ms = Date.now() - t;
            const type = res.headers.get('content-type') ?? '';
            const body = await res.text();
            const location = res.headers.get('location');
            if (res.status === 202 && location !== null) accepted.push(location);
            if (tally !== undefined) {
              tally.inputs++;
              tally.statuses[res.status] = (tally.statuses[res.status] ?? 0) + 1;
              if (ms > tally.slowestMs) {
                tally.slowestMs = ms;
                tally.slowest = `#${i} ${c.mutation}`;
              }
            }
            if (res.status >= 500 && res.status !== 503) problem = `status ${res.status}: ${body.slice(0, 200)}`;
            else if (res.status === 503 && !/XGW_BUSY|XGW_REDIS_UNAVAILABLE/.test(body))
              problem = `status 503: ${body.slice(0, 200)}`;
            else if (
              res.status >= 400 &&
              !type.startsWith('application/problem+json') &&
              !(
                c.target === 'mcp' &&
                type.startsWith('application/json') &&
                /"jsonrpc":"2.0"/.test(body) &&
                /"error":/.test(body)
              )
            )
              problem = `status ${res.status} with ${type}`;
            else if (res.status >= 400 && type.startsWith('application/problem+json') && !/"type":/.test(body))
              problem = 'problem+json without type';
            else if (res.status !== 202 && res.status !== 200 && res.status < 400)
              problem = `unexpected status ${res.status}`;
            else if (ms > budgetMs) problem = `answered in ${ms} ms (budget ${budgetMs} ms)`;
          } catch (error) {
            problem = `no answer: ${error instanceof Error ? error.message : String(error)}`;
          }
          if (problem !== undefined) failures.push(`#${i} ${c.target} ${c.mutation} (${c.body.length} B): ${problem}`);
        }
      }),
    );
    // The workers read every accepted document and analyse every accepted text: wait for each job's end.
    if (role !== 'api' && !crashed) {
      const drainStart = Date.now();
      drained = await drain(gw.ready, accepted, Date.now() + 45 * 60_000);
      drainSeconds = (Date.now() - drainStart) / 1000;
      for (const location of drained.stuck.slice(0, 20)) failures.push(`job ${location} did not end`);
    }
    const health = await fetch(`${gw.ready}/healthz`)
      .then((r) => r.status)
      .catch(() => 0);
    if (health !== 200) failures.push(`gateway not healthy after the run (healthz ${health})`);
  } finally {
    clearInterval(sampler);
    if (crashed) failures.push('the gateway process exited during the run');
    await gw.stop();
    await cleanPrefix(prefix);
  }
  const seconds = (Date.now() - t0) / 1000;
  process.stdout.write(
    `\n${indices.length} inputs in ${seconds.toFixed(1)} s; gateway RSS ${startRss} → max ${maxRss} MiB; largest document reader ${maxReaderRss} MiB\n`,
  );
  for (const [target, t] of tallies)
    process.stdout.write(
      `${target}: ${t.inputs} inputs; statuses ${JSON.stringify(t.statuses)}; slowest ${t.slowestMs} ms (${t.slowest})\n`,
    );
  if (drained !== undefined)
    process.stdout.write(
      `accepted jobs: ${accepted.length}, all ended within ${drainSeconds.toFixed(1)} s after the last input: ${JSON.stringify(drained.ends)}${drained.stuck.length > 0 ? `; ${drained.stuck.length} did not end` : ''}\n`,
    );
  process.stdout.write(`by first mutation: ${JSON.stringify(byMutation)}\n`);
  for (const f of failures.slice(0, 50)) process.stdout.write(`FAIL ${f}\n`);
  if (failures.length > 0)
    process.stdout.write(`replay one: npm run fuzz -- --seed ${seed} --targets ${targets.join(',')} --only <index>\n`);
  process.stdout.write(`\nfuzz: ${failures.length === 0 ? 'PASSED' : `FAILED (${failures.length})`}\n`);
  process.exit(failures.length === 0 ? 0 : 1);
}

await main();
