import { OwnRedis } from '../../scripts/chaos/own-redis.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

/** Issue #11, row 14: /metrics while Redis is away answers, from the last values marked stale. */
describe('GET /metrics while Redis is away', () => {
  const redis = new OwnRedis(20_000 + Math.floor(Math.random() * 20_000));
  let gw: TestGateway;
  beforeAll(async () => {
    await redis.start();
    gw = await startTestGateway({ REDIS_URL: redis.url, ROLE: 'api' }, 'metrics-away');
  });
  afterAll(async () => {
    await redis.start().catch(() => undefined);
    await gw.close();
    await redis.destroy();
  });

  const scrape = async (): Promise<{ status: number; body: string }> => {
    // A hang is what this test is about: give up (and fail) long after the 1 s a reading may wait.
    const res = await fetch(`${gw.url}/metrics`, { signal: AbortSignal.timeout(10_000) });
    return { status: res.status, body: await res.text() };
  };

  it('answers with the last values, marked stale, and reads Redis at most once per scrape interval', async () => {
    const fresh = await scrape();
    expect(fresh.status).toBe(200);
    expect(fresh.body).toContain('xgw_scrape_stale{reading="xgw_reviews_pending"} 0');
    expect(fresh.body).toMatch(/xgw_queue_jobs\{queue="analyse",state="waiting"\} 0/);
    await redis.stop('kill');
    await new Promise((r) => setTimeout(r, 5_100)); // past the readings' 5 s freshness
    const away = await scrape();
    expect(away.status).toBe(200);
    expect(away.body).toContain('xgw_scrape_stale{reading="xgw_reviews_pending"} 1');
    expect(away.body).toContain('xgw_scrape_stale{reading="queue:analyse"} 1');
    expect(away.body).toMatch(/xgw_queue_jobs\{queue="analyse",state="waiting"\} 0/);
    const readyz = await fetch(`${gw.url}/readyz`, { signal: AbortSignal.timeout(10_000) });
    expect(readyz.status).toBe(503);
    const ready = (await readyz.json()) as { checks: { redis: { ok: boolean; detail?: string } } };
    // What the Redis client said (addresses, ports) stays in the log.
    expect(ready.checks.redis).toEqual({ ok: false, detail: 'no answer' });
  }, 30_000);
});
