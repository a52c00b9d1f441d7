/**
 * bench:review — the review workspace with 10,000 pending reviews (issue #17): server time
 * (median, p95) and bytes of the queue page and of the case view, against the JSON API's list and
 * job reads of the same data in the same run (the baseline). Goal: p95 < 200 ms on this machine.
 *
 * One real Posteingang job is analysed and enters review; 9,999 copies of its record (new ids)
 * enter review through the job store's own `doubt` move, so the indexes are what the pipeline writes.
 *
 *   npm run bench:review [-- --pending 10000 --requests 300]
 */
import { RedisKeys } from '../src/jobs/redis-keys.js';
import type { JobRecord } from '../src/jobs/job-record.js';
import { startBenchGateway } from './support/in-process.js';
import { arg, fmt, percentile } from './support/stats.js';

const pending = Number(arg('pending', '10000'));
const requests = Number(arg('requests', '300'));

const gw = await startBenchGateway('review', {});
const store = gw.runtime.store;
try {
  const res = await fetch(`${gw.url}/v1/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      profile: 'posteingang',
      receivedAt: '2026-11-30',
      form: {
        Name: 'Erika Musterfrau',
        Betreff: 'Widerspruch Wohngeld',
        Nachricht:
          'Hiermit lege ich Widerspruch gegen Ihren Wohngeldbescheid vom 12.11.2026 (Az. WG-2026-04711) ein. Bitte erstatten Sie 120,00 € auf DE89 3704 0044 0532 0130 00.',
      },
    }),
  });
  const { id } = (await res.json()) as { id: string };
  let seed: JobRecord | undefined;
  for (let i = 0; i < 400 && seed?.state !== 'review'; i++) {
    await new Promise((r) => setTimeout(r, 50));
    seed = await store.get(id);
  }
  if (seed?.state !== 'review' || seed.result === undefined) throw new Error('the seed job did not reach review');
  const keys = new RedisKeys(gw.config.queuePrefix);
  const started = performance.now();
  for (let i = 1; i < pending; i += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, pending - i) }, async (_, k) => {
        const copy: JobRecord = {
          ...seed,
          id: `bench${String(i + k).padStart(6, '0')}`,
          state: 'analysing',
          createdAt: new Date().toISOString(),
        };
        delete copy.result;
        await store.createIfAbsent(copy);
        await store.move(
          copy.id,
          'doubt',
          { result: seed.result, plan: seed.plan ?? [] },
          {},
          { index: { keys: [keys.reviews(copy.id), keys.reviews(copy.id, copy.tenant)], score: Date.now() } },
        );
      }),
    );
  }
  process.stdout.write(`${pending} reviews pending (filled in ${fmt((performance.now() - started) / 1000, 1)} s)\n`);

  // One session for the pages (an open gateway gives its anonymous admin one).
  const first = await fetch(`${gw.url}/review`);
  const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  await first.text();

  const measure = async (paths: () => string, headers: Record<string, string>) => {
    const ms: number[] = [];
    let bytes = 0;
    for (let i = 0; i < requests; i++) {
      const t = performance.now();
      const r = await fetch(gw.url + paths(), { headers });
      const body = await r.arrayBuffer();
      ms.push(performance.now() - t);
      if (r.status !== 200) throw new Error(`${paths()}: ${r.status}`);
      bytes = body.byteLength;
    }
    ms.sort((a, b) => a - b);
    return { median: percentile(ms, 50), p95: percentile(ms, 95), bytes };
  };
  const some = (): string => `bench${String(1 + Math.floor(Math.random() * (pending - 1))).padStart(6, '0')}`;
  const rows = [
    ['queue page (50 of 10,000)', await measure(() => '/review', { cookie })],
    ['GET /v1/reviews?limit=50 (baseline)', await measure(() => '/v1/reviews?limit=50', {})],
    ['case view', await measure(() => `/review/jobs/${some()}`, { cookie })],
    ['GET /v1/jobs/{id} (baseline)', await measure(() => `/v1/jobs/${some()}`, {})],
  ] as const;
  const lines = [
    `bench:review — ${pending} pending reviews, ${requests} requests each, loopback, one process (ROLE=all)`,
    '',
    '| request | median ms | p95 ms | bytes |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map(([name, r]) => `| ${name} | ${fmt(r.median, 1)} | ${fmt(r.p95, 1)} | ${r.bytes} |`),
    '',
    `queue page vs its API list: ${fmt(rows[0][1].median / rows[1][1].median, 2)} × (median); case view vs the job read: ${fmt(rows[2][1].median / rows[3][1].median, 2)} ×; goal p95 < 200 ms: ${rows[0][1].p95 < 200 && rows[2][1].p95 < 200 ? 'met' : 'missed'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await gw.close();
}
