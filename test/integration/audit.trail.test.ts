import type { RedisClient } from '../../src/jobs/redis-connection.js';
import { runAuditVerify } from '../../src/main/commands/audit.command.js';
import { AuditTrail } from '../../src/observability/audit-trail.js';
import { example, postMessage, startTestGateway, waitForJob, type TestGateway } from '../support/gateway.js';
import { testRedis } from '../support/redis.js';

const XDOMEA = 'examples/messages/xdomea-3.0.0-Aussonderung.0503.xml';

interface AuditBody {
  verified: boolean;
  brokenAt?: { index: number; reason: string };
  entries: {
    seq: number;
    type: string;
    actor: { kind: string; id: string };
    hash: string;
    prev: string;
    details: Record<string, unknown>;
  }[];
}

async function submitAndFinish(gw: TestGateway, uuid: string): Promise<string> {
  const body = example(XDOMEA).toString('utf8').replace('9fde4e7a-b41b-11ec-9225-005056871b7c', uuid);
  const res = await postMessage(gw.url, body);
  expect(res.status).toBe(202);
  const { id, location } = (await res.json()) as { id: string; location: string };
  expect((await waitForJob(gw.url, location)).state).toBe('done');
  return id;
}

describe('audit trail (real gateway, real Redis)', () => {
  let gw: TestGateway;
  let redis: RedisClient;
  beforeAll(async () => {
    gw = await startTestGateway({}, 'audit');
    redis = testRedis();
  });
  afterAll(async () => {
    await gw.close();
    redis.disconnect();
  });

  it('a finished job has a verified chain of who/what/when without message content; altering an entry in Redis breaks it', async () => {
    const id = await submitAndFinish(gw, '33333333-2222-4333-8444-555555555555');
    // The done event is emitted after the record is written; give the sink a moment.
    await new Promise((r) => setTimeout(r, 100));
    const res = await fetch(`${gw.url}/v1/jobs/${id}/audit`);
    expect(res.status).toBe(200);
    const audit = (await res.json()) as AuditBody;
    expect(audit.verified).toBe(true);
    expect(audit.entries.map((e) => e.type)).toEqual(['received', 'analysing', 'analysed', 'done']);
    expect(audit.entries[0]?.actor).toEqual({ kind: 'client', id: 'anonymous' });
    expect(audit.entries[1]?.prev).toBe(audit.entries[0]?.hash);
    expect(JSON.stringify(audit)).not.toContain('Freitext');

    const trail = new AuditTrail(redis, gw.prefix, 3600);
    const lines: string[] = [];
    expect(await runAuditVerify(trail, [], (l) => lines.push(l))).toBe(0);

    // Tamper: rewrite the stream with the same ids, the second entry's actor changed.
    const key = trail.key(id);
    const stored = await redis.xrange(key, '-', '+');
    await redis.del(key);
    for (const [index, [streamId, fields]] of stored.entries()) {
      const values = [...fields];
      if (index === 1) values[1] = (values[1] ?? '').replace('"kind":"system"', '"kind":"person"');
      await redis.xadd(key, streamId, ...values);
    }
    const after = (await (await fetch(`${gw.url}/v1/jobs/${id}/audit`)).json()) as AuditBody;
    expect(after.verified).toBe(false);
    expect(after.brokenAt).toMatchObject({ index: 1, reason: expect.stringMatching(/altered/) });
    lines.length = 0;
    expect(await runAuditVerify(trail, [], (l) => lines.push(l))).toBe(1);
    expect(lines.join('\n')).toContain(`BROKEN ${id}`);
  });
});

describe('retention', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    // 3 s, not 1 s: the job must finish within its retention even when the machine is busy.
    gw = await startTestGateway({ JOB_RETENTION_SECONDS: '3', AUDIT_RETENTION_SECONDS: '3' }, 'retention');
  });
  afterAll(async () => {
    await gw.close();
  });

  it('job record and audit entries are gone after their retention', async () => {
    const id = await submitAndFinish(gw, '44444444-2222-4333-8444-555555555555');
    const redis = testRedis();
    const trail = new AuditTrail(redis, gw.prefix, 3);
    expect((await fetch(`${gw.url}/v1/jobs/${id}/audit`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 4500));
    expect((await fetch(`${gw.url}/v1/jobs/${id}`)).status).toBe(404);
    expect((await fetch(`${gw.url}/v1/jobs/${id}/audit`)).status).toBe(404);
    expect((await trail.read(id)).entries).toEqual([]);
    redis.disconnect();
  });
});
