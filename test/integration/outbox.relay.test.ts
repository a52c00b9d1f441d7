/**
 * A state change and its announcement (audit entry, webhooks, the job's callback) cannot come
 * apart. The chaos soak lost 2 of 10,000 `done` webhooks: a worker SIGKILLed between the `done`
 * write and the webhook enqueue, and the retried deliver job found the job done and could not tell.
 * Now the event is written into the job's outbox with the state change, and a worker's outbox relay
 * announces what was not finished; each sink takes a repeated announcement once.
 * Here the "dead process" is the state-change write alone (what moveAndAnnounce does before it
 * emits), against a real gateway, real Redis and a real webhook receiver.
 */
import { AuditTrail } from '../../src/observability/audit-trail.js';
import { SYSTEM, type JobEvent } from '../../src/jobs/job-events.js';
import type { JobRecord } from '../../src/jobs/job-record.js';
import { moveAndAnnounce } from '../../src/jobs/job-transition.js';
import { writeConnectorsFile } from '../support/connectors-file.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { startHttpRegister, type HttpRegister } from '../support/http-register-server.js';
import { testRedis } from '../support/redis.js';
import { until } from '../support/until.js';

const SECRET_ENV = 'XGW_TEST_OUTBOX_SECRET';
const REPLAY_AFTER_MS = 300;

interface AuditBody {
  verified: boolean;
  entries: { type: string; at: string }[];
}

function record(id: string, state: JobRecord['state']): JobRecord {
  const now = new Date().toISOString();
  return { id, tenant: 'default', kind: 'task', state, createdAt: now, updatedAt: now, attempts: 1 };
}

function doneEvent(jobId: string): JobEvent {
  return { type: 'done', jobId, tenant: 'default', actor: SYSTEM, at: new Date().toISOString() };
}

describe('outbox: a state change is announced even if its process dies or a sink fails', () => {
  let receiver: HttpRegister;
  let gw: TestGateway;
  const hooksFor = (jobId: string): { event: string }[] =>
    receiver.requests
      .filter((r) => r.path === '/hooks/outbox')
      .map((r) => JSON.parse(r.body) as { event: string; job: { id: string } })
      .filter((b) => b.job.id === jobId);
  const auditOf = async (jobId: string): Promise<AuditBody> =>
    (await (await fetch(`${gw.url}/v1/jobs/${jobId}/audit`)).json()) as AuditBody;

  beforeAll(async () => {
    receiver = await startHttpRegister();
    const file = writeConnectorsFile({
      connectors: {
        leitstelle: {
          type: 'webhook',
          config: { url: `${receiver.url}/hooks/outbox`, events: ['done', 'failed'] },
          secrets: { signingSecret: SECRET_ENV },
        },
      },
    });
    gw = await startTestGateway(
      {
        CONNECTORS_FILE: file,
        OUTBOUND_ALLOWLIST: '127.0.0.1',
        DELIVERY_BACKOFF_MS: '50',
        OUTBOX_REPLAY_AFTER_MS: String(REPLAY_AFTER_MS),
        [SECRET_ENV]: 'whsec-outbox-test',
      },
      'outbox',
    );
  });
  afterAll(async () => {
    await gw.close();
    await receiver.close();
  });

  it('a `done` written by a process that died before announcing it is announced once by the relay', async () => {
    const store = gw.runtime.store;
    const id = 'toutbox-died-1';
    await store.createIfAbsent(record(id, 'delivering'));
    // The write moveAndAnnounce makes first; the process "dies" here, nothing is emitted.
    expect(await store.move(id, 'delivered', {}, {}, { announce: doneEvent(id) })).toBe(true);
    expect(hooksFor(id)).toHaveLength(0);
    expect(await store.pendingAnnouncements()).toBeGreaterThan(0);

    const hooks = await until(
      () => hooksFor(id),
      (h) => h.length > 0,
    );
    expect(hooks.map((h) => h.event)).toEqual(['done']);
    const audit = await until(
      () => auditOf(id),
      (a) => a.entries.some((e) => e.type === 'done'),
    );
    expect(audit.entries.filter((e) => e.type === 'done')).toHaveLength(1);
    expect(audit.verified).toBe(true);
    expect(
      await until(
        () => store.pendingAnnouncements(),
        (n) => n === 0,
      ),
    ).toBe(0);

    // Several more replay windows: nothing is announced again.
    await new Promise((r) => setTimeout(r, REPLAY_AFTER_MS * 4));
    expect(hooksFor(id)).toHaveLength(1);
    expect((await auditOf(id)).entries.filter((e) => e.type === 'done')).toHaveLength(1);
  });

  it('an announcement a sink failed to take is made again; the sinks that took it take it once', async () => {
    const store = gw.runtime.store;
    const id = 'toutbox-sinkfail-1';
    await store.createIfAbsent(record(id, 'delivering'));
    let calls = 0;
    // A sink failing the first time (as the deliver queue does while Redis is away).
    gw.runtime.events.subscribe((event) => {
      if (event.jobId !== id) return;
      calls++;
      if (calls === 1) throw new Error('sink not writable');
    });
    expect(await moveAndAnnounce(store, gw.runtime.events, { move: 'delivered' }, doneEvent(id))).toBe(true);
    expect(calls).toBe(1);
    expect(await store.pendingAnnouncements()).toBeGreaterThan(0);

    expect(
      await until(
        () => calls,
        (c) => c >= 2,
      ),
    ).toBe(2);
    expect(
      await until(
        () => store.pendingAnnouncements(),
        (n) => n === 0,
      ),
    ).toBe(0);
    await until(
      () => hooksFor(id),
      (h) => h.length > 0,
    );
    await new Promise((r) => setTimeout(r, REPLAY_AFTER_MS * 2));
    // The audit trail and the webhook (ledger key) took the first announcement and skipped the second.
    expect(hooksFor(id).map((h) => h.event)).toEqual(['done']);
    expect((await auditOf(id)).entries.map((e) => e.type)).toEqual(['done']);
    expect(calls).toBe(2);
  });

  it('a move that does not happen announces nothing and leaves no outbox entry', async () => {
    const store = gw.runtime.store;
    const id = 'toutbox-nomove-1';
    await store.createIfAbsent(record(id, 'failed'));
    const before = await store.pendingAnnouncements();
    expect(await moveAndAnnounce(store, gw.runtime.events, { move: 'delivered' }, doneEvent(id))).toBe(false);
    expect(await store.pendingAnnouncements()).toBe(before);
    expect((await auditOf(id)).entries).toHaveLength(0);
  });

  it('the audit trail appends an announced event once, and other events as often as they come', async () => {
    const redis = testRedis();
    const trail = new AuditTrail(redis, gw.prefix, 60);
    const id = 'toutbox-audit-1';
    const done = doneEvent(id);
    expect(await trail.append(done, { announced: true })).toBeDefined();
    expect(await trail.append(done, { announced: true, replay: true })).toBeUndefined();
    // Another event of the same type at another time is another fact.
    expect(
      await trail.append({ ...done, at: new Date(Date.now() + 5).toISOString() }, { announced: true }),
    ).toBeDefined();
    const reviewed: JobEvent = {
      type: 'reviewed',
      jobId: id,
      tenant: 'default',
      actor: { kind: 'person', id: 'p1' },
      at: done.at,
      decision: 'accept',
    };
    expect(await trail.append(reviewed)).toBeDefined();
    expect(await trail.append(reviewed)).toBeDefined();
    const report = await trail.read(id);
    expect(report.entries.map((e) => e.entry.type)).toEqual(['done', 'done', 'reviewed', 'reviewed']);
    expect(report.verified).toBe(true);
    redis.disconnect();
  });
});
