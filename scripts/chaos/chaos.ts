import { RedisKeys } from '../../src/jobs/redis-keys.js';
/**
 * `npm run chaos`: a soak under faults, loopback only, bounded in time. N real xdomea messages
 * go through one API process and worker processes (ROLE=api / ROLE=worker children) on a Redis of
 * its own (AOF everysec) that is restarted mid-run; workers are SIGKILLed at random moments and
 * restarted; the fake LLM fails 20 % of calls (5xx, broken JSON, schema violations, hangs, 429).
 * Every finished job delivers its facts through the built-in `http-register` connector, and a
 * `webhook` is called on `done` and `review`, both to a register sink in this process
 * (register-sink.ts) that stores each Idempotency-Key once and fails a share of calls.
 * At the end: accepted, done, review, failed by reason, lost (must be 0), duplicate analyses and
 * state regressions from the audit trail (must be 0), deliveries expected against records at the
 * sink (duplicate records and lost deliveries must be 0), LLM calls per job, and the longest time
 * the API took to answer (it must answer 503 while Redis is away, never hang).
 *
 * With `--cluster` it runs on a Redis Cluster of its own (3 masters, 3 replicas, AOF) and the Redis
 * fault is a master killed mid-run: its replica takes over; the API must answer (503) meanwhile.
 *
 *   npm run chaos -- [--jobs 10000] [--seed N] [--workers 2] [--kills-every 5000] [--max-seconds 1200] [--sink-fault-rate 0.05] [--cluster]
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { Queue } from 'bullmq';
import { createRedis } from '../../src/jobs/redis-connection.js';
import { OwnCluster } from './own-cluster.js';
import { fromRoot } from '../../src/config/paths.js';
import { startFakeLlm, type FakeBehaviour } from '../../test/support/fake-llm-server.js';
import { gatewayEnv, LISTENING, startNode, type NodeChild } from '../../bench/support/processes.js';
import { arg } from '../../bench/support/stats.js';
import { DELIVER_QUEUE } from '../../src/delivery/deliver-queue.js';
import { auditCheck, failedDetails, jobStates } from './chaos-report.js';
import { chaosDeliveryConfig } from './chaos-delivery-config.js';
import { deliveryCheck } from './delivery-check.js';
import { OwnRedis } from './own-redis.js';
import { startRegisterSink } from './register-sink.js';
import { SeededRandom, seedFromArgs } from './seeded-random.js';

const jobs = Number(arg('jobs', '10000'));
const workerCount = Number(arg('workers', '2'));
const killsEveryMs = Number(arg('kills-every', '5000'));
const faultRate = Number(arg('fault-rate', '0.2'));
const maxSeconds = Number(arg('max-seconds', '1200'));
const redisDownMs = Number(arg('redis-down-ms', '2000'));
const sinkFaultRate = Number(arg('sink-fault-rate', '0.05'));
const seed = seedFromArgs(process.argv);
const clusterMode = process.argv.includes('--cluster');
const rnd = new SeededRandom(seed);
const UUID = '9fde4e7a-b41b-11ec-9225-005056871b7c';
const template = readFileSync(fromRoot('examples/messages/xdomea-3.0.0-Aussonderung.0503.xml'), 'utf8');

/** Fault mix; 429 is rare because each one parks the whole queue for its Retry-After. */
const FAULTS: [number, FakeBehaviour][] = [
  [30, { kind: 'status', status: 500 }],
  [10, { kind: 'status', status: 502 }],
  [25, { kind: 'malformed' }],
  [15, { kind: 'schema-violation' }],
  [15, { kind: 'hang' }],
  [5, { kind: 'status', status: 429, retryAfter: '1' }],
];

function fault(): FakeBehaviour {
  let roll = rnd.int(1, 100);
  for (const [weight, behaviour] of FAULTS) {
    roll -= weight;
    if (roll <= 0) return behaviour;
  }
  return { kind: 'status', status: 500 };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const log = (text: string): void =>
  void process.stdout.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${text}\n`);

async function main(): Promise<void> {
  const started = Date.now();
  const deadline = started + maxSeconds * 1000;
  log(`seed ${seed} — replay with: npm run chaos -- --jobs ${jobs} --seed ${seed}`);
  // A port the OS says is free now (not one drawn from the seed): a leftover redis-server of an
  // earlier, killed run must never be mistaken for ours.
  const redis = clusterMode ? new OwnCluster() : new OwnRedis(await freePort());
  process.once('exit', () => redis.killNow());
  await redis.start();
  const clusterEnv: Record<string, string> = redis instanceof OwnCluster ? { REDIS_CLUSTER_NODES: redis.nodes } : {};
  const fake = await startFakeLlm({ latencyMs: 20 });
  // The fault sequence is drawn up front from the seed (enqueued in chunks: spread has an argument limit).
  for (let left = jobs * 12; left > 0; left -= 1000)
    fake.enqueue(
      ...Array.from({ length: Math.min(1000, left) }, () =>
        rnd.next() < faultRate ? fault() : { kind: 'answer' as const },
      ),
    );
  const prefix = `xgwchaos-${randomUUID().slice(0, 8)}`;
  const signingSecret = randomBytes(16).toString('hex');
  const sink = await startRegisterSink({ faultRate: sinkFaultRate, seed, signingSecret });
  const delivery = await chaosDeliveryConfig(sink, signingSecret);
  process.once('exit', () => delivery.cleanup());
  // Short delivery backoff, as for analysis: the run measures correctness, not patience.
  const env = gatewayEnv(prefix, redis.url, {
    ...clusterEnv,
    ...delivery.env,
    DELIVERY_BACKOFF_MS: '250',
    LLM_BASE_URL: fake.url,
    LLM_MODEL: 'fake-model',
    LLM_EXTERNAL: 'false',
    LLM_TIMEOUT_MS: '2000',
    JOB_ATTEMPTS: '6',
    JOB_BACKOFF_MS: '200',
    WORKER_LOCK_MS: '4000',
    OUTBOX_REPLAY_AFTER_MS: '3000',
    WORKER_CONCURRENCY: '8',
    LLM_CONCURRENCY: '8',
    LOG_LEVEL: 'info',
  });
  const api = await startNode('src/main/gateway.ts', { ...env, ROLE: 'api' }, LISTENING);
  const startWorker = (): Promise<NodeChild> =>
    startNode('src/main/gateway.ts', { ...env, ROLE: 'worker' }, /worker running/, 60_000);
  const workers: (NodeChild | undefined)[] = await Promise.all(Array.from({ length: workerCount }, startWorker));
  let kills = 0;
  let failedStarts = 0;
  let redisRestarts = 0;
  let failoverMs: number | undefined;
  let stopChaos = false;

  // Kill a random worker with SIGKILL every few seconds and start a new one shortly after.
  const killer = (async () => {
    while (!stopChaos) {
      await new Promise((r) => setTimeout(r, rnd.int(killsEveryMs / 2, (killsEveryMs * 3) / 2)));
      if (stopChaos) break;
      const i = rnd.int(0, workers.length - 1);
      const victim = workers[i];
      if (victim === undefined) continue;
      workers[i] = undefined;
      await victim.stop('SIGKILL');
      kills++;
      log(`SIGKILL worker ${i} (kill ${kills})`);
      await new Promise((r) => setTimeout(r, rnd.int(200, 1500)));
      // As an orchestrator would: a worker started while Redis is away exits at once (no Redis at
      // start-up), so keep starting it. Before, such a slot stayed empty for the rest of the run.
      while (!stopChaos && workers[i] === undefined) {
        workers[i] = await startWorker().catch(() => undefined);
        if (workers[i] === undefined) {
          failedStarts++;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    }
  })();

  // Submit every message until it is accepted; a 503 means "not accepted, retry".
  const statuses: Record<string, number> = {};
  const accepted = new Set<string>();
  let longestMs = 0;
  // Requests that started while Redis was down: these must be answered (503) at once.
  let redisAway = false;
  let longestWhileAwayMs = 0;
  const answeredWhileAway: Record<string, number> = {};
  let hung = 0;
  const pending = Array.from({ length: jobs }, (_, i) => i);
  const bodies = new Map<number, string>();
  const submitOne = async (i: number): Promise<boolean> => {
    // A "Name: value" line, as the fake model reads fields: the chaos profile extracts the Aktenzeichen.
    const body =
      bodies.get(i) ??
      template
        .replace(UUID, randomUUID())
        .replace(
          '[Freitext-Bemerkungsfeld]',
          `Rückfrage Nr. ${i}. Aktenzeichen: 63-2024-${String(i).padStart(5, '0')}`,
        );
    bodies.set(i, body);
    const t = Date.now();
    const duringOutage = redisAway;
    try {
      const res = await fetch(`${api.ready}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body,
        signal: AbortSignal.timeout(15_000),
      });
      const json: unknown = await res.json().catch(() => undefined);
      longestMs = Math.max(longestMs, Date.now() - t);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (duringOutage) {
        longestWhileAwayMs = Math.max(longestWhileAwayMs, Date.now() - t);
        answeredWhileAway[res.status] = (answeredWhileAway[res.status] ?? 0) + 1;
      }
      const id = typeof json === 'object' && json !== null ? Reflect.get(json, 'id') : undefined;
      if ((res.status === 202 || res.status === 200) && typeof id === 'string') {
        accepted.add(id);
        bodies.delete(i);
        return true;
      }
    } catch {
      hung++;
      longestMs = Math.max(longestMs, Date.now() - t);
    }
    return false;
  };
  const redisChaos = (async () => {
    while (accepted.size < jobs * 0.4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (redis instanceof OwnCluster) {
      // A master dies: its slots have no master until its replica takes over (node timeout 2 s).
      const port = redis.killMaster();
      log(`SIGKILL Redis master ${port}`);
      redisAway = true;
      failoverMs = await redis.healed(port);
      redisAway = false;
      log(`failover done after ${failoverMs} ms; the killed node comes back as a replica`);
      redis.restart(port);
      redisRestarts++;
      return;
    }
    log(`restarting Redis (SHUTDOWN, ${redisDownMs} ms away)`);
    await redis.stop('shutdown');
    redisAway = true;
    await new Promise((r) => setTimeout(r, redisDownMs));
    redisAway = false;
    await redis.start();
    redisRestarts++;
    log('Redis back');
  })();
  let cursor = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (Date.now() < deadline) {
        const i = pending[cursor++];
        if (i === undefined) return;
        if (!(await submitOne(i))) {
          pending.push(i); // retried later, as a client would
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }),
  );
  await redisChaos;
  log(`submitted: ${accepted.size} accepted; waiting for every job to end`);

  const probe = createRedis(
    redis instanceof OwnCluster ? { url: redis.url, clusterNodes: redis.nodes } : redis.url,
    'worker',
    { enableAutoPipelining: true },
  );
  let states = await jobStates(probe, prefix, [...accepted]);
  while (
    Date.now() < deadline &&
    (states.get('queued') ?? 0) +
      (states.get('analysing') ?? 0) +
      (states.get('delivering') ?? 0) +
      (states.get('missing') ?? 0) >
      0
  ) {
    await new Promise((r) => setTimeout(r, 1000));
    states = await jobStates(probe, prefix, [...accepted]);
  }
  // Jobs are `done` once their facts are delivered; webhook calls about `done` may still be queued.
  const deliverQueue = new Queue(DELIVER_QUEUE, { connection: probe, prefix: new RedisKeys(prefix).bullmq() });
  const deliverBacklog = async (): Promise<number> =>
    Object.values(
      await deliverQueue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'waiting-children'),
    ).reduce((a, b) => a + b, 0);
  // Announcements a killed worker left unfinished are made again by the outbox relay (after
  // OUTBOX_REPLAY_AFTER_MS), and may enqueue more webhooks: wait for both to drain.
  const outboxPending = (): Promise<number> =>
    Promise.all(new RedisKeys(prefix).outboxes().map((k) => probe.zcard(k))).then((n) => n.reduce((a, b) => a + b, 0));
  while (Date.now() < deadline && (await deliverBacklog()) + (await outboxPending()) > 0)
    await new Promise((r) => setTimeout(r, 1000));
  stopChaos = true;
  await killer;
  const audit = await auditCheck(probe, prefix, [...accepted]);
  const failures = await failedDetails(probe, prefix, [...accepted]);
  const deliveries = await deliveryCheck(probe, prefix, [...accepted], sink, delivery.profile);
  const llmCalls = fake.calls;
  await Promise.all([api, ...workers].map((c) => c?.stop()));
  await deliverQueue.close();
  probe.disconnect();
  await fake.close();
  await sink.close();
  await redis.destroy();

  const terminal = (states.get('done') ?? 0) + (states.get('review') ?? 0) + (states.get('failed') ?? 0);
  const lost = accepted.size - terminal;
  const report = {
    seed,
    jobs,
    seconds: Math.round((Date.now() - started) / 1000),
    httpStatuses: statuses,
    clientTimeouts: hung,
    accepted: accepted.size,
    done: states.get('done') ?? 0,
    review: states.get('review') ?? 0,
    failed: states.get('failed') ?? 0,
    failedReasons: audit.failedReasons,
    failedDetails: failures,
    lost,
    duplicateAnalyses: audit.duplicateAnalyses,
    duplicateFinishes: audit.duplicateFinishes,
    stateRegressions: audit.stateRegressions,
    regressionsByEntry: audit.regressionsByEntry,
    duplicateDeliveries: audit.duplicateDeliveries,
    deliveries,
    llmCallsPerJob: Number((llmCalls / Math.max(1, accepted.size)).toFixed(2)),
    workerKills: kills,
    workerStartsFailed: failedStarts,
    redisRestarts,
    redis: clusterMode ? 'cluster (3 masters, 3 replicas); fault: a master SIGKILLed' : 'one server; fault: restart',
    ...(failoverMs === undefined ? {} : { failoverMs }),
    longestApiAnswerMs: longestMs,
    longestAnswerWhileRedisAwayMs: longestWhileAwayMs,
    answersWhileRedisAway: answeredWhileAway,
  };
  process.stdout.write(`\n${JSON.stringify(report, null, 2)}\n`);
  const d = deliveries;
  const deliveryOk =
    d.deliveriesExpected > 0 &&
    d.duplicateRecords === 0 &&
    d.lostDeliveries === 0 &&
    d.ledgerMismatches === 0 &&
    d.duplicateNotifications === 0 &&
    d.lostNotifications === 0 &&
    d.sink.conflictingResends === 0 &&
    d.sink.keyMismatches === 0 &&
    d.sink.badSignatures === 0;
  const ok =
    lost === 0 &&
    hung === 0 &&
    audit.duplicateDeliveries === 0 &&
    audit.stateRegressions === 0 &&
    accepted.size === jobs &&
    deliveryOk;
  process.stdout.write(
    `\nchaos: ${ok ? 'PASSED' : 'FAILED'} (lost ${lost}, API timeouts ${hung}, state regressions ${audit.stateRegressions}, duplicate deliveries ${audit.duplicateDeliveries}; ` +
      `deliveries expected ${d.deliveriesExpected}, records at the sink ${d.sinkRecords}, duplicate records ${d.duplicateRecords}, lost deliveries ${d.lostDeliveries}, ` +
      `resends deduplicated by the sink ${d.sink.resendsDeduplicated}, dead letters ${JSON.stringify(d.deadLetters)}, notifications ${d.notificationsStored}/${d.notificationsExpected}, lost notifications ${d.lostNotifications})\n`,
  );
  process.exit(ok ? 0 : 1);
}

await main();
