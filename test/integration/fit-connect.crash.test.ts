import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromRoot } from '../../src/config/paths.js';
import { jobIdFor } from '../../src/pipeline/job-id.js';
import { writeConnectorsFile } from '../support/connectors-file.js';
import { fitConnectEntry, startFakeZustelldienst, writeDestinationKeys } from '../support/fake-zustelldienst.js';
import { spawnGateway, startTestGateway } from '../support/gateway.js';
import { RedisKeys } from '../../src/jobs/redis-keys.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';
import { until } from '../support/until.js';

/**
 * Issue #18: a gateway process killed after it opened a submission and made its job, while its
 * accept is on the way (the Zustelldienst never answers that request). The next process picks the
 * submission up again: the same job (the submission id is its idempotency key), one accept.
 */
it('a process killed between decrypt and accept leaves one job and one accept', async () => {
  const destinationId = '3e2d1c0b-9a8f-4e7d-8c6b-5a4f3e2d1c0b';
  const prefix = testPrefix('fc-crash');
  const dir = await mkdtemp(join(tmpdir(), 'fit-connect-crash-'));
  const zd = await startFakeZustelldienst({ destinationId, ...(await writeDestinationKeys(dir)) });
  const env = {
    QUEUE_PREFIX: prefix,
    CONNECTORS_FILE: writeConnectorsFile({
      connectors: {
        // The poll lease lasts two intervals: the process after the crash polls within ten seconds.
        ozg: fitConnectEntry(zd, destinationId, dir, { pollIntervalSeconds: 5 }),
      },
    }),
    OUTBOUND_ALLOWLIST: '127.0.0.1',
    FC_CLIENT_ID: zd.clientId,
    FC_CLIENT_SECRET: zd.clientSecret,
  };
  const redis = testRedis();
  let child: ChildProcess | undefined;
  try {
    const xml = await readFile(fromRoot('examples/messages/xbau-2.6-baugenehmigung.antrag.0200.xml'));
    const s = await zd.submit({ data: { bytes: xml, mimeType: 'application/xml' } });
    zd.holdNextEvent();
    child = spawnGateway({ ...env, ROLE: 'api' });
    // Started with tsx on two shared cores: the start-up may take long; what follows is the point.
    await until(
      () => zd.heldEvents,
      (n) => n === 1,
      60_000,
    );
    const id = jobIdFor({ tenant: 'default', idempotencyKey: `fit-connect:${s.submissionId}` });
    const redisKeys = new RedisKeys(prefix);
    expect(await redis.exists(redisKeys.job(id))).toBe(1);
    const killed = child;
    const exited = new Promise((r) => killed.once('exit', r));
    killed.kill('SIGKILL');
    await exited;
    expect(s.state).toBe('submitted');

    const next = await startTestGateway(env, 'fc-crash');
    try {
      await until(
        () => s.state,
        (state) => state !== 'submitted',
        30_000,
      );
      expect(s.state).toBe('accepted');
      expect(s.events).toHaveLength(1);
      const jobKeys: string[] = [];
      let cursor = '0';
      do {
        const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', redisKeys.jobPattern(), 'COUNT', 1000);
        cursor = nextCursor;
        jobKeys.push(...keys);
      } while (cursor !== '0');
      expect(jobKeys).toEqual([redisKeys.job(id)]);
    } finally {
      await next.runtime.close();
      await next.services.close();
    }
  } finally {
    if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
    redis.disconnect();
    await zd.close();
    await cleanPrefix(prefix);
    await rm(dir, { recursive: true, force: true });
  }
}, 150_000);
