/**
 * A webhook notification must not be lost when Redis restarts. The job's own writes (record, audit,
 * deliver queue) go over connections that wait out a restart; the API's fail-fast connection does
 * not, and reconnects on its own schedule. The chaos soak lost 3 `done` webhooks this way: the
 * notifier read the job record over the fail-fast connection, the read failed while that
 * connection was still reconnecting, and the event bus only logs a failing sink.
 * Here the fail-fast connection has never connected: commands on it fail at once, just as they do
 * while it reconnects.
 */
import { loadConfig } from '../../src/config/config.js';
import { setupDelivery, type DeliverySetup } from '../../src/delivery/delivery-setup.js';
import { createLogger } from '../../src/observability/logger.js';
import { JobEvents, SYSTEM } from '../../src/jobs/job-events.js';
import { JobStore } from '../../src/jobs/job-store.js';
import { createRedis, type RedisClient } from '../../src/jobs/redis-connection.js';
import { writeConnectorsFile } from '../support/connectors-file.js';
import { cleanPrefix, testPrefix, TEST_REDIS_URL, testRedis, testRedisEnv } from '../support/redis.js';

const SECRET_ENV = 'XGW_TEST_NOTIFY_AWAY_SECRET';

describe('webhook notifications while the fail-fast Redis connection is away', () => {
  const prefix = testPrefix('notify-away');
  let waiting: RedisClient;
  let away: RedisClient;
  let delivery: DeliverySetup | undefined;
  beforeAll(() => {
    waiting = testRedis();
    away = createRedis(TEST_REDIS_URL, 'api', { lazyConnect: true });
    away.on('error', () => undefined);
  });
  afterAll(async () => {
    await delivery?.close();
    await waiting.quit();
    away.disconnect();
    await cleanPrefix(prefix);
  });

  it('enqueues the `done` webhook although the fail-fast connection cannot answer', async () => {
    const env = {
      ...testRedisEnv(),
      QUEUE_PREFIX: prefix,
      OUTBOUND_ALLOWLIST: '127.0.0.1',
      [SECRET_ENV]: 'whsec-notify-away',
    };
    const file = writeConnectorsFile({
      connectors: {
        leitstelle: {
          type: 'webhook',
          config: { url: 'http://127.0.0.1:9/hooks', events: ['done'] },
          secrets: { signingSecret: SECRET_ENV },
        },
      },
    });
    const config = loadConfig({ ...env, CONNECTORS_FILE: file });
    const logger = createLogger('silent');
    const events = new JobEvents(logger);
    const now = new Date().toISOString();
    // The worker wrote `done` over its waiting connection.
    await new JobStore(waiting, prefix, 60).createIfAbsent({
      id: 'job-away-1',
      tenant: 'default',
      kind: 'message',
      state: 'done',
      createdAt: now,
      updatedAt: now,
      attempts: 1,
    });
    // As gateway-runtime wires it: the API store and `redis` on the fail-fast connection, the queue connection waiting.
    delivery = await setupDelivery({
      config,
      logger,
      events,
      redis: away,
      queueConnection: waiting,
      profile: () => undefined,
      env,
    });

    await events.emit({ type: 'done', jobId: 'job-away-1', tenant: 'default', actor: SYSTEM, at: now });

    const queued = (await delivery.queue?.getJobs(['wait', 'delayed', 'prioritized'])) ?? [];
    const notifications = queued
      .map((j) => j.data)
      .filter((d) => d.kind === 'single' && d.delivery.connector === 'leitstelle');
    expect(notifications).toHaveLength(1);
    expect(notifications[0]?.jobId).toBe('job-away-1');
  });
});
