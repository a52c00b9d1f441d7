import { RedisKeys } from '../../../src/jobs/redis-keys.js';
import { ApiKeyStore, parseApiKey } from '../../../src/security/api-key-store.js';
import { cleanPrefix, testPrefix, testRedis } from '../../support/redis.js';

describe('API key store (real Redis)', () => {
  const prefix = testPrefix('apikeys');
  const redis = testRedis();
  const store = new ApiKeyStore(redis, prefix);
  afterAll(async () => {
    await cleanPrefix(prefix);
    redis.disconnect();
  });

  it('creates a key that verifies, stores only its hash, lists and revokes it', async () => {
    const { key, record } = await store.create({
      name: 'Fachverfahren Bau',
      roles: ['submitter', 'rpa'],
      tenant: 'bauamt',
    });
    expect(parseApiKey(key)?.id).toBe(record.id);
    await expect(store.verify(key)).resolves.toMatchObject({
      id: record.id,
      roles: ['submitter', 'rpa'],
      tenant: 'bauamt',
      revoked: false,
    });
    const stored = await redis.hgetall(new RedisKeys(prefix).apiKey(record.id));
    expect(JSON.stringify(stored)).not.toContain(parseApiKey(key)?.secret ?? 'x');
    expect((await store.list()).map((k) => k.id)).toContain(record.id);
    await expect(store.revoke(record.id)).resolves.toBe(true);
    await expect(store.verify(key)).resolves.toBeUndefined();
    expect((await store.get(record.id))?.revoked).toBe(true);
    await expect(store.revoke('0000000000000000')).resolves.toBe(false);
  });

  it('refuses a wrong secret, a malformed key and bad input', async () => {
    const { key, record } = await store.create({ name: 'rpa-bot', roles: ['rpa'], tenant: 't1' });
    const wrong = `xgw_${record.id}_${'A'.repeat(43)}`;
    await expect(store.verify(wrong)).resolves.toBeUndefined();
    await expect(store.verify(key.slice(0, -1))).resolves.toBeUndefined();
    await expect(store.verify('xgw_zz_zz')).resolves.toBeUndefined();
    await expect(store.create({ name: 'x', roles: ['boss'], tenant: 't' })).rejects.toThrow(/boss/);
    await expect(store.create({ name: 'x', roles: ['admin'], tenant: 'a b' })).rejects.toThrow(/tenant/);
  });
});
