import type { RedisClient } from '../../src/jobs/redis-connection.js';
import { RedisKeys } from '../../src/jobs/redis-keys.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { fromRoot } from '../../src/config/paths.js';
import { SYSTEM } from '../../src/jobs/job-events.js';
import { backupCommand } from '../../src/main/commands/backup.command.js';
import { AuditTrail } from '../../src/observability/audit-trail.js';
import { ApiKeyStore } from '../../src/security/api-key-store.js';
import { cleanPrefix, testPrefix, testRedis, testRedisEnv } from '../support/redis.js';

/** Issue #13, point 10: API keys and audit trails out of Redis and back (`xoev-gw backup`). */
describe('xoev-gw backup export / import', () => {
  const from = testPrefix('backup-from');
  const to = testPrefix('backup-to');
  const dir = mkdtempSync(join(tmpdir(), 'xgw-backup-'));
  const file = join(dir, 'backup.jsonl');
  let redis: RedisClient;
  beforeAll(() => {
    redis = testRedis();
  });
  afterAll(async () => {
    redis.disconnect();
    await cleanPrefix(from);
    await cleanPrefix(to);
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (args: string[], prefix: string): Promise<{ code: number; lines: string[] }> => {
    const lines: string[] = [];
    const code = await backupCommand(
      args,
      (l) => lines.push(l),
      (l) => lines.push(l),
      loadConfig({ ...testRedisEnv(), QUEUE_PREFIX: prefix }),
    );
    return { code, lines };
  };

  it('restores keys that still authenticate (a revoked one stays revoked) and trails that still verify', async () => {
    const keysA = new ApiKeyStore(redis, from);
    const live = await keysA.create({ name: 'fachverfahren', roles: ['submitter'], tenant: 'kommune-a' });
    const gone = await keysA.create({ name: 'old-bot', roles: ['rpa'], tenant: 'kommune-a' });
    await keysA.revoke(gone.record.id);
    const trailA = new AuditTrail(redis, from, 3600);
    const at = new Date().toISOString();
    await trailA.append({
      type: 'received',
      jobId: 'job-1',
      tenant: 'kommune-a',
      actor: { kind: 'client', id: 'apikey:x' },
      at,
      kind: 'message',
      duplicate: false,
    });
    await trailA.append({ type: 'done', jobId: 'job-1', tenant: 'kommune-a', actor: SYSTEM, at });

    expect(await run(['export', file], from)).toEqual({
      code: 0,
      lines: [`2 API key(s) and 1 audit trail(s) written to ${file}`],
    });
    // The file holds hashes of the secrets, never the secrets.
    // The secret is all after `xgw_<16 hex>_` (it may hold `_` itself: base64url).
    const secret = live.key.slice('xgw_'.length + 16 + 1);
    expect(secret).toHaveLength(43);
    expect(readFileSync(file, 'utf8')).not.toContain(secret);

    expect((await run(['import', file], to)).code).toBe(0);
    const keysB = new ApiKeyStore(redis, to);
    expect((await keysB.verify(live.key))?.tenant).toBe('kommune-a');
    expect(await keysB.verify(gone.key)).toBeUndefined();
    const restored = await new AuditTrail(redis, to, 3600).read('job-1');
    expect(restored.verified).toBe(true);
    expect(restored.entries.map((e) => e.entry.type)).toEqual(['received', 'done']);
    expect(restored.entries.map((e) => e.id)).toEqual((await trailA.read('job-1')).entries.map((e) => e.id));
    expect(await redis.ttl(new RedisKeys(to).audit('job-1'))).toBeGreaterThan(0);

    // A second import leaves the trails alone.
    expect((await run(['import', file], to)).lines[0]).toContain('1 trail(s) already present');
  });

  it('explains its usage and refuses a file that is not a backup', async () => {
    expect((await run(['export'], from)).code).toBe(2);
    await expect(run(['import', fromRoot('package.json')], to)).rejects.toMatchObject({ code: 'XGW_CONFIG_INVALID' });
  });
});
