import { RedisKeys } from '../../src/jobs/redis-keys.js';
import type { Worker } from 'bullmq';
import { AnalysisRunner } from '../../src/analysis/analysis-runner.js';
import type { Analyser, AnalysisRequest } from '../../src/analysis/analysis.types.js';
import type { Finding } from '../../src/jobs/finding.js';
import { RulesAnalyser } from '../../src/analysis/rules/rules.analyser.js';
import { ConnectorSet } from '../../src/delivery/connector-set.js';
import { createDeliverQueue, deliverJobId } from '../../src/delivery/deliver-queue.js';
import { createDeliverWorker } from '../../src/delivery/deliver.worker.js';
import type { PlannedDelivery } from '../../src/delivery/delivery-plan.js';
import { Ledger } from '../../src/delivery/ledger.js';
import { AuditTrail } from '../../src/observability/audit-trail.js';
import { createLogger } from '../../src/observability/logger.js';
import { ANALYSE_QUEUE, createAnalyseQueue } from '../../src/pipeline/analyse-queue.js';
import { createAnalyseWorker } from '../../src/pipeline/analyse.worker.js';
import { JobEvents, SYSTEM } from '../../src/jobs/job-events.js';
import { createFinisher } from '../../src/pipeline/job-finisher.js';
import { moveAndAnnounce } from '../../src/jobs/job-transition.js';
import type { AnalyseJobData, JobRecord, JobResult } from '../../src/jobs/job-record.js';
import { JobStore } from '../../src/jobs/job-store.js';
import { ReviewQueue } from '../../src/pipeline/review-queue.js';
import type { RedisClient } from '../../src/jobs/redis-connection.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';

const logger = createLogger('silent');
/** Entries that say the job moves; none may follow `done` or a final `failed` (the chaos check). */
const STATE_CHANGING = new Set(['analysing', 'analysed', 'delivering', 'done']);

function record(id: string, state: JobRecord['state']): JobRecord {
  const now = new Date().toISOString();
  return { id, tenant: 'default', kind: 'task', state, createdAt: now, updatedAt: now, attempts: 0 };
}

/** Entry types of a job's trail, oldest first. */
async function trailOf(trail: AuditTrail, id: string): Promise<string[]> {
  return (await trail.read(id)).entries.map((e) => e.entry.type);
}

/** State-changing entries after the job's end (what the chaos soak counts as a regression). */
function afterEnd(types: readonly string[]): string[] {
  const end = types.indexOf('done');
  return end < 0 ? [] : types.slice(end + 1).filter((t) => STATE_CHANGING.has(t));
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The rules analyser held at a gate: plays a worker stuck in a slow model call. */
class GatedAnalyser implements Analyser {
  readonly name = 'rules';
  entered = false;
  private open: () => void = () => undefined;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));
  private readonly inner = new RulesAnalyser();

  release(): void {
    this.open();
  }

  async analyse(request: AnalysisRequest): Promise<Finding> {
    this.entered = true;
    await this.gate;
    return { ...(await this.inner.analyse(request)), model: 'stale-attempt' };
  }
}

/**
 * The chaos soak's state regression: one job's trail had a state-changing entry after its end.
 * Real BullMQ workers, real JobStore and AuditTrail on real Redis; nothing mocked but the slow model.
 */
describe('an attempt that lost its job (real BullMQ, JobStore and AuditTrail on real Redis)', () => {
  const prefix = testPrefix('stale');
  let redis: RedisClient;
  let store: JobStore;
  let trail: AuditTrail;
  beforeAll(() => {
    redis = testRedis();
    store = new JobStore(redis, prefix, 3600);
    trail = new AuditTrail(redis, prefix, 3600, { records: store, logger });
  });
  afterAll(async () => {
    await cleanPrefix(prefix);
    redis.disconnect();
  });

  /** One worker "process": its own connection and event bus, the audit trail subscribed. */
  function workerProcess(analyser: Analyser): { worker: Worker<AnalyseJobData>; connection: RedisClient } {
    const connection = testRedis();
    const events = new JobEvents(logger);
    events.subscribe(trail.sink);
    const workerStore = new JobStore(connection, prefix, 3600);
    const finish = createFinisher({ store: workerStore, events });
    const reviews = new ReviewQueue(connection, prefix, workerStore, events, finish, 3600);
    const worker = createAnalyseWorker({
      connection,
      prefix,
      concurrency: 1,
      lockDurationMs: 1000,
      store: workerStore,
      prepare: async (data) => ({ parts: data.parts ?? [], plan: data.plan ?? [] }),
      runner: new AnalysisRunner(analyser),
      events,
      finish,
      review: (job, result, plan, attemptToken) => reviews.enter(job, result, plan, attemptToken),
      logger,
    });
    // The worker whose lock lapsed reports failed lock renewals and a failed completion.
    worker.on('error', () => undefined);
    return { worker, connection };
  }

  it('writes nothing and appends no entry after another worker took the job over and finished it', async () => {
    const id = 'stale-analyse-1';
    await store.createIfAbsent(record(id, 'queued'));
    const queueConnection = testRedis();
    const queue = createAnalyseQueue(queueConnection, { prefix, attempts: 3, backoffMs: 50, retentionSeconds: 3600 });
    const text = 'Hiermit lege ich Widerspruch gegen den Gebührenbescheid ein.';
    await queue.add(
      'analyse',
      {
        jobId: id,
        tenant: 'default',
        kind: 'task',
        parts: [{ id: 'p1', kind: 'text', path: '/text', element: 'text', text }],
        plan: [
          {
            partId: 'p1',
            task: { kind: 'classify', labels: [{ code: 'WID', name: 'Widerspruch', keywords: ['widerspruch'] }] },
            name: 'classify',
          },
        ],
        receivedAt: new Date().toISOString(),
      },
      { jobId: id },
    );

    const slow = new GatedAnalyser();
    const a = workerProcess(slow);
    await until('worker A in its model call', () => slow.entered);
    // A's lock lapses while A still runs (as under CPU starvation or with Redis away longer than
    // the lock): the stalled-job check hands the job to worker B, which finishes it.
    await redis.del(`${new RedisKeys(prefix).bullmq()}:${ANALYSE_QUEUE}:${id}:lock`);
    const b = workerProcess(new RulesAnalyser());
    await until('worker B finished the job', async () => (await store.get(id))?.state === 'done');
    const finished = await store.get(id);

    // Now A's model call returns and A carries on with its stale attempt.
    slow.release();
    await a.worker.close();
    await b.worker.close();
    await queue.close();
    for (const c of [a.connection, b.connection, queueConnection]) c.disconnect();

    const types = await trailOf(trail, id);
    expect(afterEnd(types)).toEqual([]);
    expect(types.filter((t) => t === 'done')).toHaveLength(1);
    expect(types.filter((t) => t === 'analysed')).toHaveLength(1);
    // The record keeps B's result; A's was dropped.
    const after = await store.get(id);
    expect(after?.state).toBe('done');
    expect(after?.updatedAt).toBe(finished?.updatedAt);
    expect(after?.result?.findings.map((f) => f.model)).not.toContain('stale-attempt');
  });

  it('refuses an entry saying the job still moves once another process has ended it (late append after a reconnect)', async () => {
    const id = 'stale-delivering-1';
    await store.createIfAbsent(record(id, 'analysing'));
    // Process A moved the job to `delivering`, but its audit append goes out late (its connection
    // reconnects later than the others after a Redis restart; here a sink ahead of the audit trail
    // holds the event until the deliver worker of process C has ended the job).
    const eventsA = new JobEvents(logger);
    eventsA.subscribe(async (event) => {
      if (event.type === 'delivering')
        await until('process C ended the job', async () => (await store.get(id))?.state === 'done');
    });
    eventsA.subscribe(trail.sink);
    const eventsC = new JobEvents(logger);
    eventsC.subscribe(trail.sink);

    expect(await store.move(id, 'deliver')).toBe(true);
    const lateA = eventsA.emit({
      type: 'delivering',
      jobId: id,
      tenant: 'default',
      actor: SYSTEM,
      at: new Date().toISOString(),
      deliveries: 1,
    });
    expect(await store.move(id, 'delivered')).toBe(true);
    await eventsC.emit({ type: 'done', jobId: id, tenant: 'default', actor: SYSTEM, at: new Date().toISOString() });
    await lateA;

    const types = await trailOf(trail, id);
    expect(afterEnd(types)).toEqual([]);
    expect(types).toEqual(['done']);
    expect((await trail.read(id)).verified).toBe(true);
  });

  it('drops the deliveries an attempt enqueued after it lost the job; the holding attempt delivers', async () => {
    const id = 'stale-deliver-1';
    await store.createIfAbsent(record(id, 'queued'));
    // Attempt A finished and enqueued its deliveries just as attempt B took the job over.
    expect(await store.move(id, 'start', { attempts: 1 }, { claim: 'attempt-b' })).toBe(true);
    const connection = testRedis();
    const events = new JobEvents(logger);
    events.subscribe(trail.sink);
    const ledger = new Ledger(connection, prefix, 3600);
    const queue = createDeliverQueue(connection, { prefix, attempts: 2, backoffMs: 50, retentionSeconds: 3600 });
    const worker = createDeliverWorker({
      connection,
      prefix,
      concurrency: 1,
      lockDurationMs: 1000,
      store: new JobStore(connection, prefix, 3600),
      ledger,
      connectors: ConnectorSet.empty(),
      callback: undefined,
      events,
      logger,
    });
    const result: JobResult = {
      parts: [],
      findings: [],
      usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
      reviewReasons: [],
    };
    const fact = (attempt: string): PlannedDelivery => ({
      key: `k-${attempt}`,
      kind: 'fact',
      connector: 'register',
      fact: 'vorgang',
      subject: id,
      fields: { az: attempt },
      provenance: { jobId: id, tenant: 'default', models: [], promptVersions: [] },
    });
    const completed = (deliverId: string): Promise<void> =>
      new Promise((resolve) => worker.on('completed', (job) => job.id === deliverId && resolve()));
    try {
      const staleId = deliverJobId(id, 'attempt-a');
      const staleDone = completed(staleId);
      await queue.add(
        'deliver',
        { kind: 'job', jobId: id, tenant: 'default', deliveries: [fact('attempt-a')], attemptToken: 'attempt-a' },
        { jobId: staleId },
      );
      await staleDone;
      expect((await store.get(id))?.state).toBe('analysing');
      expect(await ledger.listForJob(id)).toEqual([]);
      expect(await trailOf(trail, id)).toEqual([]);

      // Attempt B finishes: its move to `delivering` (announced) is what enqueues its deliveries.
      expect(
        await moveAndAnnounce(
          store,
          events,
          { move: 'deliver', patch: { result }, fence: { owner: 'attempt-b' } },
          {
            type: 'delivering',
            jobId: id,
            tenant: 'default',
            actor: SYSTEM,
            at: new Date().toISOString(),
            deliveries: 1,
          },
        ),
      ).toBe(true);
      const ownId = deliverJobId(id, 'attempt-b');
      const ownDone = completed(ownId);
      await queue.add(
        'deliver',
        { kind: 'job', jobId: id, tenant: 'default', deliveries: [fact('attempt-b')], attemptToken: 'attempt-b' },
        { jobId: ownId },
      );
      await ownDone;
      expect((await store.get(id))?.state).toBe('done');
      expect((await ledger.listForJob(id)).map((e) => e.key)).toEqual(['k-attempt-b']);
      expect(await trailOf(trail, id)).toEqual(['delivering', 'delivered', 'done']);
    } finally {
      await worker.close();
      await queue.close();
      connection.disconnect();
    }
  });

  it('fences record writes on the attempt token: a claim takes the job, the old token writes nothing', async () => {
    const id = 'stale-fence-1';
    await store.createIfAbsent(record(id, 'queued'));
    expect(await store.move(id, 'start', { attempts: 1 }, { claim: 'attempt-a' })).toBe(true);
    expect(await store.move(id, 'start', { attempts: 1 }, { claim: 'attempt-b' })).toBe(true);
    expect(await store.move(id, 'finish', {}, { owner: 'attempt-a' })).toBe(false);
    expect(await store.holds(id, 'attempt-a', ['analysing'])).toBe(false);
    expect(await store.holds(id, 'attempt-b', ['analysing'])).toBe(true);
    expect(await store.move(id, 'finish', {}, { owner: 'attempt-b' })).toBe(true);
    expect((await store.get(id))?.state).toBe('done');
    // The token is internal: not part of the record callers read.
    expect(Object.keys((await store.get(id)) ?? {})).not.toContain('attemptToken');
  });
});
