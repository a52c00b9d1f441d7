/**
 * A deliver worker killed with SIGKILL in the middle of its deliveries: its INSERT into the
 * register is in flight (held by a table lock) when it dies. Another worker finishes the job; the
 * register holds exactly one row per fact, and nothing is lost.
 */
import type { ChildProcess } from 'node:child_process';
import { BUILT_IN_CONNECTORS } from '../../connectors/index.js';
import { writeConnectorsFile } from '../support/connectors-file.js';
import { example, postMessage, startTestGateway, waitForJob, spawnWorker } from '../support/gateway.js';
import { dropTable, PG, pgClient, testTable } from '../support/postgres.js';
import { cleanPrefix, testPrefix } from '../support/redis.js';

const XBAU = 'test/fixtures/xbau/baugenehmigung.antrag.0200.xml';

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it('finishes deliveries on another worker after the first was killed mid-delivery; one row per fact', async () => {
  const table = testTable('crash');
  const prefix = testPrefix('delivery-crash');
  const config = { ...PG, table, createTable: true };
  const file = writeConnectorsFile({ connectors: { bauregister: { type: 'postgres-register', config } } });
  const env = { QUEUE_PREFIX: prefix, CONNECTORS_FILE: file, WORKER_LOCK_MS: '2000', DELIVERY_BACKOFF_MS: '100' };

  // Create the table up front so the test can lock it.
  const setup = BUILT_IN_CONNECTORS['postgres-register']?.create(config, {
    name: 'setup',
    secrets: {},
    fetch,
    logger: { info: () => undefined, warn: () => undefined },
  });
  await setup?.healthCheck();
  await setup?.close();

  const api = await startTestGateway({ ...env, ROLE: 'api' }, 'delivery-crash');
  const lock = await pgClient();
  const db = await pgClient();
  let child: ChildProcess | undefined;
  try {
    // SHARE mode holds every INSERT (and lets reads and CREATE … IF NOT EXISTS pass).
    await lock.query('BEGIN');
    await lock.query(`LOCK TABLE ${table} IN SHARE MODE`);
    const first = await postMessage(api.url, example(XBAU));
    expect(first.status).toBe(202);
    const { location, id } = (await first.json()) as { location: string; id: string };
    expect((await postMessage(api.url, example(XBAU))).status).toBe(200);

    child = spawnWorker(env);
    // The Bauantrag's completeness check proposes a reply: a person accepts it, then delivery starts.
    await waitForJob(api.url, location, ['review'], 20_000);
    const accepted = await fetch(`${api.url}/v1/reviews/${id}/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'accept' }),
    });
    expect(accepted.status).toBe(200);
    // The child is in the middle of its deliveries: its first INSERT waits on the lock.
    await until(
      async () =>
        (
          await db.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`, [
            `INSERT INTO ${table}%`,
          ])
        ).rowCount === 1,
      'the child to block in INSERT',
    );
    await waitForJob(api.url, location, ['delivering'], 10_000);
    child.kill('SIGKILL');
    await new Promise((r) => child?.once('exit', r));
    // Let the dead worker's INSERT through: the register may now hold a row the ledger never saw.
    await lock.query('COMMIT');

    const worker = await startTestGateway({ ...env, ROLE: 'worker' }, 'delivery-crash');
    try {
      const job = await waitForJob(api.url, location, ['done', 'failed'], 30_000);
      expect(job.state).toBe('done');
      expect((await postMessage(api.url, example(XBAU))).status).toBe(200);
      const rows = (
        await db.query<{ fact: string; n: string }>(
          `SELECT fact, count(*) AS n FROM ${table} GROUP BY fact ORDER BY fact`,
        )
      ).rows;
      expect(rows).toEqual([
        { fact: 'eingang', n: '1' },
        { fact: 'vorhaben', n: '1' },
      ]);
      const res = await fetch(`${api.url}/v1/jobs/${id}/deliveries`);
      const { deliveries } = (await res.json()) as { deliveries: { fact: string; state: string; attempts: number }[] };
      const vorhaben = deliveries.find((d) => d.fact === 'vorhaben');
      expect(vorhaben?.state).toBe('delivered');
      // Killed during attempt 1; finished by the other worker.
      expect(vorhaben?.attempts).toBeGreaterThanOrEqual(2);
      expect(deliveries.find((d) => d.fact === 'eingang')?.state).toBe('delivered');
    } finally {
      await worker.runtime.close();
      await worker.services.close();
    }
  } finally {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await lock.query('ROLLBACK').catch(() => undefined);
    await lock.end();
    await db.end();
    await api.close();
    await cleanPrefix(prefix);
    await dropTable(table);
  }
}, 90_000);
