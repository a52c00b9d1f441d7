/**
 * bench:ingest — POST /v1/messages under load (autocannon) against a bare baseline in the same run:
 * node:http + the same body + BullMQ queue.add, no validation. Each request carries a fresh
 * nachrichtenUUID so nothing is deduplicated. The gateway runs compiled, as `npm start` runs it.
 * Goals: gateway ≥ 0.6× the baseline's messages/s; gateway CPU µs per accepted message ≤ 1.5 ×
 * (the baseline's + libxml2-wasm parse + validate of the same message, timed here); RSS of the
 * ROLE=api process under the load ≤ 250 MiB.
 *
 * With `--tracing`, a third run: the gateway with tracing on (OTLP/HTTP protobuf to a collector in
 * this process, every request sampled), and its cost against the run with tracing off.
 *
 *   npm run bench:ingest -- [--duration 10] [--connections 32] [--tracing [--sample 0.1]]
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { fromRoot } from '../src/config/paths.js';
import { cleanPrefix } from '../test/support/redis.js';
import { startFakeOtlpCollector } from '../test/support/fake-otlp-collector.js';
import { parseXml } from '../src/xoev/xml-parse.js';
import { findStandardFolders, loadStandard, newCatalogId } from '../src/xoev/catalog-loader.js';
import { loadCatalog } from '../src/xoev/catalog.js';
import {
  buildGateway,
  cpuSeconds,
  gatewayEnv,
  LISTENING,
  rssMiB,
  startNode,
  type NodeChild,
} from './support/processes.js';
import { arg, fmt } from './support/stats.js';
import { tracedSampler } from './support/tracing.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SAMPLE = 'examples/messages/xdomea-3.0.0-Aussonderung.0503.xml';
const UUID = '9fde4e7a-b41b-11ec-9225-005056871b7c';
const duration = Number(arg('duration', '10'));
const connections = Number(arg('connections', '32'));
const tracing = process.argv.includes('--tracing');
const sampler = tracedSampler();

const template = readFileSync(fromRoot(SAMPLE), 'utf8');
if (!template.includes(UUID)) throw new Error(`${SAMPLE} no longer carries ${UUID}`);

interface Run {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  other: number;
  rss: number | undefined;
  /** CPU µs per accepted message: the server process, and Redis (INFO cpu), over the measured run. */
  serverCpuUs: number | undefined;
  redisCpuUs: number | undefined;
  /** The same for this process (autocannon), to see whether the load generator is the limit. */
  loaderCpuUs: number;
}

/** Redis' own CPU seconds (user + sys), from INFO cpu. */
async function redisCpu(redis: Redis): Promise<number | undefined> {
  const info = await redis.info('cpu').catch(() => '');
  const user = /used_cpu_user:([\d.]+)/.exec(info)?.[1];
  const sys = /used_cpu_sys:([\d.]+)/.exec(info)?.[1];
  return user === undefined || sys === undefined ? undefined : Number(user) + Number(sys);
}

function perMessageUs(before: number | undefined, after: number | undefined, messages: number): number | undefined {
  return before === undefined || after === undefined || messages === 0
    ? undefined
    : ((after - before) * 1e6) / messages;
}

async function load(name: string, child: NodeChild, redis: Redis): Promise<Run> {
  const url = `${child.ready}/v1/messages`;
  // Warm-up: JIT, connection pools, schema caches.
  await autocannon({
    url,
    method: 'POST',
    connections,
    amount: 500,
    headers: { 'content-type': 'application/xml' },
    requests: [{ setupRequest: (req) => ({ ...req, body: template.replace(UUID, randomUUID()) }) }],
  });
  let ok = 0;
  let other = 0;
  const serverBefore = cpuSeconds(child.proc.pid);
  const redisBefore = await redisCpu(redis);
  const loaderBefore = process.cpuUsage();
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration,
    headers: { 'content-type': 'application/xml' },
    requests: [
      {
        setupRequest: (req) => ({ ...req, body: template.replace(UUID, randomUUID()) }),
        onResponse: (status) => (status === 202 ? ok++ : other++),
      },
    ],
  });
  const loader = process.cpuUsage(loaderBefore);
  return {
    name,
    rps: ok / duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    other,
    rss: rssMiB(child.proc.pid),
    serverCpuUs: perMessageUs(serverBefore, cpuSeconds(child.proc.pid), ok),
    redisCpuUs: perMessageUs(redisBefore, await redisCpu(redis), ok),
    loaderCpuUs: (loader.user + loader.system) / Math.max(1, ok),
  };
}

/**
 * libxml2-wasm's parse + XSD validation of the sample alone, µs (best of five rounds): the work no
 * ingest can skip, which the CPU goal adds to the baseline's.
 */
async function engineUs(body: Buffer): Promise<number> {
  const catalog = await loadCatalog(fromRoot('xoev-schemas'));
  const checked = catalog.check(body);
  for (const folder of await findStandardFolders(fromRoot('xoev-schemas'))) {
    const { standard } = await loadStandard(folder, newCatalogId());
    if (standard.descriptor.standard !== checked.standard || standard.descriptor.version !== checked.version) continue;
    const rounds: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t = process.hrtime.bigint();
      for (let i = 0; i < 500; i++) {
        const doc = parseXml(body, { maxBodyBytes: Infinity });
        try {
          standard.validator.validate(doc);
        } finally {
          doc.dispose();
        }
      }
      rounds.push(Number(process.hrtime.bigint() - t) / 1e3 / 500);
    }
    return Math.min(...rounds);
  }
  throw new Error(`no standard folder for ${checked.standard} ${checked.version}`);
}

async function main(): Promise<void> {
  const runs: Run[] = [];
  const entry = buildGateway();
  const redis = new Redis(REDIS_URL);
  const basePrefix = `xgwbench-base-${randomUUID().slice(0, 8)}`;
  const gwPrefix = `xgwbench-ingest-${randomUUID().slice(0, 8)}`;
  const baseline = await startNode(
    'bench/ingest-baseline.server.ts',
    { REDIS_URL, QUEUE_PREFIX: basePrefix },
    LISTENING,
  );
  try {
    runs.push(await load('baseline (node:http + queue.add)', baseline, redis));
  } finally {
    await baseline.stop();
    await cleanPrefix(basePrefix);
  }
  const gateway = await startNode(entry, gatewayEnv(gwPrefix, REDIS_URL, { ROLE: 'api' }), LISTENING);
  try {
    runs.push(await load('gateway POST /v1/messages (ROLE=api, compiled)', gateway, redis));
  } finally {
    await gateway.stop();
    await cleanPrefix(gwPrefix);
  }
  if (tracing) {
    const collector = await startFakeOtlpCollector();
    const tracedPrefix = `xgwbench-ingest-${randomUUID().slice(0, 8)}`;
    const traced = await startNode(
      entry,
      gatewayEnv(tracedPrefix, REDIS_URL, {
        ROLE: 'api',
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        ...sampler.env,
      }),
      LISTENING,
    );
    try {
      runs.push(await load(`gateway, tracing on (OTLP/HTTP, ${sampler.label})`, traced, redis));
    } finally {
      await traced.stop();
      await cleanPrefix(tracedPrefix);
      await collector.close();
    }
  }
  const [base, gw, traced] = runs;
  const engine = await engineUs(Buffer.from(template));
  process.stdout.write(
    `\nbench:ingest  ${Buffer.byteLength(template)} B xdomea message, ${connections} connections, ${duration} s each, node ${process.version}\n`,
  );
  redis.disconnect();
  process.stdout.write(
    '| server | messages/s | p50 ms | p99 ms | 202 | other | RSS MiB | server CPU µs/msg | Redis CPU µs/msg | load generator CPU µs/msg |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n',
  );
  for (const r of runs)
    process.stdout.write(
      `| ${r.name} | ${fmt(r.rps)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${r.ok} | ${r.other} | ${fmt(r.rss)} | ${fmt(r.serverCpuUs)} | ${fmt(r.redisCpuUs)} | ${fmt(r.loaderCpuUs)} |\n`,
    );
  if (base && gw) {
    const ratio = gw.rps / base.rps;
    process.stdout.write(
      `\nratio gateway/baseline: ${ratio.toFixed(2)}× (goal ≥ 0.60×) ${ratio >= 0.6 ? 'MET' : 'MISSED'}\n`,
    );
    if (gw.serverCpuUs !== undefined && base.serverCpuUs !== undefined) {
      const floor = base.serverCpuUs + engine;
      const cpuRatio = gw.serverCpuUs / floor;
      process.stdout.write(
        `gateway CPU per message: ${fmt(gw.serverCpuUs)} µs = ${cpuRatio.toFixed(2)}× (baseline ${fmt(base.serverCpuUs)} + libxml2-wasm parse + validate ${fmt(engine)} µs) (goal ≤ 1.50×) ${cpuRatio <= 1.5 ? 'MET' : 'MISSED'}\n`,
      );
    }
    if (gw.rss !== undefined)
      process.stdout.write(
        `gateway RSS under load: ${gw.rss} MiB (goal ≤ 250 MiB) ${gw.rss <= 250 ? 'MET' : 'MISSED'}\n`,
      );
    if (traced?.serverCpuUs !== undefined && gw.serverCpuUs !== undefined)
      process.stdout.write(
        `tracing on ÷ off: messages/s ${(traced.rps / gw.rps).toFixed(2)}×, CPU per message ${(traced.serverCpuUs / gw.serverCpuUs).toFixed(2)}× (+${fmt(traced.serverCpuUs - gw.serverCpuUs)} µs), p99 ${fmt(gw.p99, 1)} → ${fmt(traced.p99, 1)} ms, RSS ${gw.rss ?? '?'} → ${traced.rss ?? '?'} MiB\n`,
      );
  }
}

await main();
