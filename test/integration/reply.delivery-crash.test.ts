/**
 * Issue #15: a decided reply (XBau 0201) is handed to the Fachverfahren once, through the
 * `xoev-reply` connector, even when the worker delivering it is killed with SIGKILL while its POST
 * is in flight: another worker delivers it again under the same Idempotency-Key, and the receiver
 * holds one message, the one `GET /v1/jobs/{id}/reply` shows.
 */
import type { ChildProcess } from 'node:child_process';
import { writeConnectorsFile } from '../support/connectors-file.js';
import { example, postMessage, startTestGateway, waitForJob, spawnWorker } from '../support/gateway.js';
import { startHttpRegister } from '../support/http-register-server.js';
import { cleanPrefix, testPrefix } from '../support/redis.js';
import { until } from '../support/until.js';

it('delivers the reply once across a worker killed mid-delivery', async () => {
  const receiver = await startHttpRegister();
  const prefix = testPrefix('reply-crash');
  const file = writeConnectorsFile({
    connectors: { fachverfahren: { type: 'xoev-reply', config: { url: `${receiver.url}/xoev/eingang` } } },
  });
  const env = {
    QUEUE_PREFIX: prefix,
    CONNECTORS_FILE: file,
    OUTBOUND_ALLOWLIST: '127.0.0.1',
    WORKER_LOCK_MS: '2000',
    DELIVERY_BACKOFF_MS: '100',
  };
  const api = await startTestGateway({ ...env, ROLE: 'api' }, 'reply-crash');
  let child: ChildProcess | undefined;
  try {
    const first = await postMessage(api.url, example('examples/messages/xbau-2.6-baugenehmigung.antrag.0200.xml'));
    const { location, id } = (await first.json()) as { location: string; id: string };
    child = spawnWorker(env);
    await waitForJob(api.url, location, ['review'], 30_000);
    // The receiver holds every request long enough for the worker to die with it in flight.
    receiver.setDelay(8_000);
    const decided = await fetch(`${api.url}/v1/reviews/${id}/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'accept' }),
    });
    expect(decided.status).toBe(200);
    expect(
      await until(
        () => receiver.requests.some((r) => r.path === '/xoev/eingang'),
        (v) => v,
        30_000,
      ),
    ).toBe(true);
    child.kill('SIGKILL');
    await new Promise((r) => child?.once('exit', r));
    receiver.setDelay(0);

    const worker = await startTestGateway({ ...env, ROLE: 'worker' }, 'reply-crash');
    try {
      const job = await waitForJob(api.url, location, ['done', 'failed'], 30_000);
      expect(job.state).toBe('done');
      const posts = receiver.requests.filter((r) => r.path === '/xoev/eingang');
      expect(posts.length).toBeGreaterThanOrEqual(2);
      expect(new Set(posts.map((p) => p.headers['idempotency-key'])).size).toBe(1);
      const key = posts[0]?.headers['idempotency-key'] ?? '';
      const reply = await (await fetch(`${api.url}/v1/jobs/${id}/reply`)).text();
      expect(
        await until(
          () => receiver.records.has(key),
          (v) => v,
        ),
      ).toBe(true);
      expect([...receiver.records.values()].filter((r) => r.key === key)).toHaveLength(1);
      expect(receiver.records.get(key)?.body.xml).toBe(reply);
      expect(posts[0]?.headers['x-xoev-message-type']).toBe('baugenehmigung.formellePruefung.0201');
      const { deliveries } = (await (await fetch(`${api.url}/v1/jobs/${id}/deliveries`)).json()) as {
        deliveries: { fact: string; state: string; attempts: number }[];
      };
      const delivered = deliveries.find((d) => d.fact === 'formellePruefung');
      expect(delivered?.state).toBe('delivered');
      expect(delivered?.attempts).toBeGreaterThanOrEqual(2);
    } finally {
      await worker.runtime.close();
      await worker.services.close();
    }
  } finally {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await api.close();
    await receiver.close();
    await cleanPrefix(prefix);
  }
}, 120_000);
