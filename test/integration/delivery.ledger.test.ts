import type { RedisClient } from '../../src/jobs/redis-connection.js';
/**
 * The ledger settles a delivery key once. A worker whose claim lapsed while a slow register
 * answered, and whose delivery another worker made and settled meanwhile, must neither overwrite
 * that outcome nor report it a second time: the chaos soak counted one key `delivered` twice in a
 * job's audit trail (the register itself stored it once, by its idempotency key). Real Redis.
 */
import type { PlannedDelivery } from '../../src/delivery/delivery-plan.js';
import { Ledger } from '../../src/delivery/ledger.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';

function delivery(key: string): PlannedDelivery {
  return {
    key,
    kind: 'fact',
    connector: 'bauregister',
    fact: 'vorhaben',
    subject: 'job-1',
    fields: { bezeichnung: 'Carport' },
    provenance: { jobId: 'job-1', tenant: 'default', models: [], promptVersions: [] },
  };
}

describe('delivery ledger (real Redis)', () => {
  const prefix = testPrefix('ledger');
  let redis: RedisClient;
  let ledger: Ledger;
  beforeAll(() => {
    redis = testRedis();
    ledger = new Ledger(redis, prefix, 60);
  });
  afterAll(async () => {
    redis.disconnect();
    await cleanPrefix(prefix);
  });

  it('lets only the attempt that settles a key report it; a lapsed attempt changes nothing', async () => {
    const key = 'd-lapsed-1';
    await ledger.register('job-1', 'default', delivery(key));
    expect(await ledger.claim(key, 'slow', 50)).toEqual({ outcome: 'claimed', attempt: 1 });
    expect(await ledger.claim(key, 'fast', 50)).toEqual({ outcome: 'busy' });
    await new Promise((r) => setTimeout(r, 80)); // the slow worker's lease lapses
    expect(await ledger.claim(key, 'fast', 5000)).toEqual({ outcome: 'claimed', attempt: 2 });
    expect(await ledger.finish(key, 'fast', 'delivered', { reference: 'row-7' })).toBe(true);

    // The slow worker's register call returns now: whatever it would write, the key stays as settled.
    expect(await ledger.finish(key, 'slow', 'delivered')).toBe(false);
    expect(await ledger.finish(key, 'slow', 'failed', { detail: 'timeout' })).toBe(false);
    expect(await ledger.finish(key, 'slow', 'dead_letter', { detail: 'timeout' })).toBe(false);
    expect(await ledger.get(key)).toMatchObject({ state: 'delivered', reference: 'row-7', attempts: 2 });
    expect(await ledger.deadLetters(10)).toEqual([]);
    expect(await ledger.claim(key, 'third', 50)).toEqual({ outcome: 'settled', state: 'delivered' });
  });

  it('a failed attempt leaves the key to the next one, which settles it', async () => {
    const key = 'd-retry-1';
    await ledger.register('job-1', 'default', delivery(key));
    expect(await ledger.claim(key, 'a', 5000)).toMatchObject({ outcome: 'claimed' });
    expect(await ledger.finish(key, 'a', 'failed', { detail: '503' })).toBe(true);
    expect(await ledger.claim(key, 'b', 5000)).toEqual({ outcome: 'claimed', attempt: 2 });
    expect(await ledger.finish(key, 'b', 'dead_letter', { detail: '400' })).toBe(true);
    expect((await ledger.deadLetters(10)).map((e) => e.key)).toEqual([key]);
    // A replay revives it; the replay's attempt settles it.
    expect(await ledger.revive(key)).toBe(true);
    expect(await ledger.claim(key, 'c', 5000)).toEqual({ outcome: 'claimed', attempt: 3 });
    expect(await ledger.finish(key, 'c', 'delivered')).toBe(true);
    expect(await ledger.deadLetters(10)).toEqual([]);
  });
});
