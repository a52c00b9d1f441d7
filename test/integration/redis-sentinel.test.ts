import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RedisKeys } from '../../src/jobs/redis-keys.js';
import { example, postMessage, startTestGateway, waitForJob } from '../support/gateway.js';
import { freePort } from '../support/ports.js';
import { until } from '../support/until.js';

/**
 * Issue #20: REDIS_SENTINELS — the gateway asks the Sentinels for the primary they watch and keeps
 * its records, queues and audit trails there. A primary and one Sentinel of our own, on loopback.
 */
describe('a gateway on a Sentinel-watched primary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xgw-sentinel-'));
  const procs: ChildProcess[] = [];
  let primaryPort = 0;
  let sentinelPort = 0;

  beforeAll(async () => {
    primaryPort = await freePort();
    sentinelPort = await freePort();
    procs.push(
      spawn(
        'redis-server',
        ['--port', String(primaryPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        {
          stdio: 'ignore',
        },
      ),
    );
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${sentinelPort}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor xgwprimary 127.0.0.1 ${primaryPort} 1`,
        'sentinel down-after-milliseconds xgwprimary 2000',
        '',
      ].join('\n'),
    );
    procs.push(spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' }));
    const sentinel = new Redis({ port: sentinelPort, lazyConnect: true, retryStrategy: () => 100 });
    sentinel.on('error', () => undefined);
    await until(
      async () => sentinel.call('SENTINEL', 'get-master-addr-by-name', 'xgwprimary').catch(() => null),
      (addr) => Array.isArray(addr) && addr[1] === String(primaryPort),
      20_000,
    );
    sentinel.disconnect();
  });
  afterAll(() => {
    for (const p of procs) p.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes, analyses and records a message on the primary the Sentinels name', async () => {
    const gw = await startTestGateway(
      {
        // Credentials and TLS only; the address comes from the Sentinels.
        REDIS_URL: 'redis://127.0.0.1:1',
        REDIS_SENTINELS: `127.0.0.1:${sentinelPort}`,
        REDIS_SENTINEL_MASTER: 'xgwprimary',
      },
      'sentinel',
    );
    try {
      const res = await postMessage(gw.url, example('examples/messages/xdomea-3.0.0-Aussonderung.0503.xml'));
      expect(res.status).toBe(202);
      const { id, location } = (await res.json()) as { id: string; location: string };
      expect(['done', 'review']).toContain((await waitForJob(gw.url, location)).state);
      const primary = new Redis({ port: primaryPort });
      try {
        expect(await primary.hget(new RedisKeys(gw.prefix).job(id), 'state')).toMatch(/done|review/);
      } finally {
        primary.disconnect();
      }
    } finally {
      await gw.runtime.close();
      await gw.services.close();
    }
  });
});
