import type { RedisClient } from '../../src/jobs/redis-connection.js';
import { RedisKeys } from '../../src/jobs/redis-keys.js';
import { ApiKeyStore } from '../../src/security/api-key-store.js';
import { startTestGateway, waitForJob, type TestGateway } from '../support/gateway.js';
import { testRedis } from '../support/redis.js';

/** Issue #11, rows 8, 9, 11, 15 and 17: review decisions and listings under pressure. */
const LABELS = [
  { code: 'WID', name: 'Widerspruch', keywords: ['widerspruch'] },
  { code: 'ANT', name: 'Antrag', keywords: ['antrag'] },
];
const SCHEMA = {
  type: 'object',
  properties: { datum: { type: 'string', format: 'date', 'x-entity': 'date' }, anzahl: { type: 'integer' } },
  additionalProperties: false,
};

describe('review decisions, listings and what they keep', () => {
  let gw: TestGateway;
  let redis: RedisClient;
  const keys: Record<string, string> = {};
  const as = (who: string): Record<string, string> => ({ authorization: `ApiKey ${keys[who] ?? ''}` });

  /** A job the rules analyser cannot decide (no keyword, no date): it goes to review. */
  const inReview = async (who: string, task: 'classify' | 'extract' = 'classify', multi = false): Promise<string> => {
    const body =
      task === 'classify'
        ? { task, text: 'Ein Schreiben ohne jedes Stichwort.', labels: LABELS, multi }
        : { task, text: 'Ein Schreiben ohne Datum.', schema: { ...SCHEMA, required: ['datum'] } };
    const res = await fetch(`${gw.url}/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...as(who) },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(202);
    const location = ((await res.json()) as { location: string }).location;
    const reached = await waitForJob(gw.url, location, ['review', 'done', 'failed'], 20_000, as(who));
    expect(reached.state).toBe('review');
    return String(reached.id);
  };
  const decide = (who: string, id: string, body: object): Promise<Response> =>
    fetch(`${gw.url}/v1/reviews/${id}/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...as(who) },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    gw = await startTestGateway({ AUTH_MODE: 'required', RATE_LIMIT_PER_MINUTE: '0' }, 'hostile-reviews');
    redis = testRedis();
    const store = new ApiKeyStore(redis, gw.prefix);
    for (const tenant of ['a', 'b']) {
      keys[`submitter@${tenant}`] = (
        await store.create({ name: `submitter-${tenant}`, roles: ['submitter'], tenant })
      ).key;
      keys[`reviewer@${tenant}`] = (
        await store.create({ name: `reviewer-${tenant}`, roles: ['reviewer'], tenant })
      ).key;
    }
    keys['admin@a'] = (await store.create({ name: 'admin-a', roles: ['admin'], tenant: 'a' })).key;
  });
  afterAll(async () => {
    await gw.close();
    redis.disconnect();
  });

  it('10 accepts and corrections racing 10 rejects: exactly one 200, the rest 409, and the job agrees with the winner (row 8)', async () => {
    for (let run = 0; run < 5; run++) {
      const id = await inReview('submitter@a');
      const bodies = Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? i % 4 === 0
            ? { decision: 'accept' }
            : { decision: 'correct', corrections: [{ partId: 'p1', task: 'classify', labels: ['WID'] }] }
          : { decision: 'reject', reason: 'falsch' },
      );
      const answers = await Promise.all(bodies.map((b) => decide('reviewer@a', id, b)));
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(19);
      const winner = bodies[statuses.indexOf(200)] as { decision: string };
      const job = (await (await fetch(`${gw.url}/v1/jobs/${id}`, { headers: as('submitter@a') })).json()) as {
        state: string;
        result: { review: { decision: string } };
      };
      expect(job.result.review.decision).toBe(winner.decision);
      expect(job.state).toBe(winner.decision === 'reject' ? 'failed' : 'done');
      const audit = (await (await fetch(`${gw.url}/v1/jobs/${id}/audit`, { headers: as('reviewer@a') })).json()) as {
        verified: boolean;
        entries: { type: string }[];
      };
      expect(audit.verified).toBe(true);
      expect(audit.entries.filter((e) => e.type === 'reviewed')).toHaveLength(1);
    }
  });

  it.each([
    ['a code outside the label set', { partId: 'p1', task: 'classify', labels: ['XYZ'] }, '/corrections/0/labels/0'],
    [
      'markup as a code',
      { partId: 'p1', task: 'classify', labels: ['<script>alert(1)</script>'] },
      '/corrections/0/labels/0',
    ],
    [
      'two labels where the task allows one',
      { partId: 'p1', task: 'classify', labels: ['WID', 'ANT'] },
      '/corrections/0/labels',
    ],
    ['an empty label list', { partId: 'p1', task: 'classify', labels: [] }, '/corrections/0/labels'],
    ['a finding the job does not have', { partId: 'p9', task: 'classify', labels: ['WID'] }, '/corrections/0'],
  ])(
    'refuses a correction with %s: 422 naming it, and the job stays in review (row 9)',
    async (_name, correction, path) => {
      const id = await inReview('submitter@a');
      const res = await decide('reviewer@a', id, { decision: 'correct', corrections: [correction] });
      expect(res.status).toBe(422);
      const problem = (await res.json()) as { code: string; errors: { path: string }[] };
      expect(problem.code).toBe('XGW_REVIEW_CORRECTION_INVALID');
      expect(problem.errors.map((e) => e.path)).toContain(path);
      expect(
        ((await (await fetch(`${gw.url}/v1/jobs/${id}`, { headers: as('submitter@a') })).json()) as { state: string })
          .state,
      ).toBe('review');
      expect((await decide('reviewer@a', id, { decision: 'accept' })).status).toBe(200);
    },
  );

  it('checks extract corrections against the task schema, and takes a valid one (row 9)', async () => {
    const id = await inReview('submitter@a', 'extract');
    for (const data of [
      { datum: 'gestern' },
      { datum: '2024-03-12', anzahl: 'drei' },
      { datum: '2024-03-12', extra: 1 },
    ]) {
      const res = await decide('reviewer@a', id, {
        decision: 'correct',
        corrections: [{ partId: 'p1', task: 'extract', data }],
      });
      expect(res.status).toBe(422);
    }
    const ok = await decide('reviewer@a', id, {
      decision: 'correct',
      corrections: [{ partId: 'p1', task: 'extract', data: { datum: '2024-03-12', anzahl: 3 } }],
    });
    expect(ok.status).toBe(200);
    const job = (await ok.json()) as {
      state: string;
      result: { findings: { extraction: { data: unknown }; aiGenerated: boolean }[] };
    };
    expect(job.result.findings[0]).toMatchObject({
      extraction: { data: { datum: '2024-03-12', anzahl: 3 } },
      aiGenerated: false,
    });
  });

  it('takes several labels where the task allows them', async () => {
    const id = await inReview('submitter@a', 'classify', true);
    const res = await decide('reviewer@a', id, {
      decision: 'correct',
      corrections: [{ partId: 'p1', task: 'classify', labels: ['WID', 'ANT'] }],
    });
    expect(res.status).toBe(200);
    // Corrected labels keep the names of the task's label set (issue #13, point 6).
    const job = (await res.json()) as { result: { findings: { classification: { labels: unknown[] } }[] } };
    expect(job.result.findings[0]?.classification.labels).toEqual([
      { code: 'WID', name: 'Widerspruch', keywords: ['widerspruch'] },
      { code: 'ANT', name: 'Antrag', keywords: ['antrag'] },
    ]);
  });

  it("answers another tenant's review exactly as an unknown one (row 11)", async () => {
    const id = await inReview('submitter@a');
    const normalise = async (res: Response): Promise<unknown> => ({
      status: res.status,
      body: JSON.stringify(await res.json())
        .replaceAll(id, 'ID')
        .replaceAll('t-unknown-0000', 'ID'),
    });
    const foreign = await normalise(await fetch(`${gw.url}/v1/reviews/${id}`, { headers: as('reviewer@b') }));
    const unknown = await normalise(await fetch(`${gw.url}/v1/reviews/t-unknown-0000`, { headers: as('reviewer@b') }));
    expect(foreign).toEqual(unknown);
    expect(foreign).toMatchObject({ status: 404 });
    const foreignDecision = await normalise(await decide('reviewer@b', id, { decision: 'accept' }));
    const unknownDecision = await normalise(await decide('reviewer@b', 't-unknown-0000', { decision: 'accept' }));
    expect(foreignDecision).toEqual(unknownDecision);
    expect((await decide('reviewer@a', id, { decision: 'accept' })).status).toBe(200);
  });

  it("lists a tenant's reviews from its own index, one page at a time, each once (row 17)", async () => {
    const mine = [];
    for (let i = 0; i < 7; i++) mine.push(await inReview('submitter@b'));
    await inReview('submitter@a');
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (; pages < 10; pages++) {
      const res = await fetch(
        `${gw.url}/v1/reviews?limit=3${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
        { headers: as('reviewer@b') },
      );
      const page = (await res.json()) as { reviews: { id: string }[]; next?: string };
      seen.push(...page.reviews.map((r) => r.id));
      cursor = page.next;
      if (cursor === undefined) break;
    }
    expect(seen).toEqual(mine);
    expect(pages).toBe(2); // 3 + 3 + 1, the last page without `next`
    const tenantIndex = (
      await Promise.all(new RedisKeys(gw.prefix).reviewShards('b').map((k) => redis.zrange(k, '0', '-1')))
    ).flat();
    expect(tenantIndex.sort()).toEqual([...mine].sort());
    // Newest first, paged the same way: the same items in reverse, each once.
    const newest: string[] = [];
    cursor = undefined;
    for (let p = 0; p < 10; p++) {
      const res = await fetch(
        `${gw.url}/v1/reviews?limit=3&order=newest${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
        { headers: as('reviewer@b') },
      );
      const page = (await res.json()) as { reviews: { id: string }[]; next?: string };
      newest.push(...page.reviews.map((r) => r.id));
      cursor = page.next;
      if (cursor === undefined) break;
    }
    expect(newest).toEqual([...mine].reverse());
  });

  it('keeps corrections per tenant, pages them, and never longer than the jobs (row 15)', async () => {
    for (let i = 0; i < 3; i++) {
      const id = await inReview('submitter@b');
      expect(
        (
          await decide('reviewer@b', id, {
            decision: 'correct',
            corrections: [{ partId: 'p1', task: 'classify', labels: ['ANT'] }],
          })
        ).status,
      ).toBe(200);
    }
    const first = await fetch(`${gw.url}/v1/review-examples?limit=2`, { headers: as('reviewer@b') });
    expect(first.headers.get('link')).toMatch(/rel="next"/);
    const rows = (await first.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { tenant: string });
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.tenant === 'b')).toBe(true);
    const next = /<([^>]+)>/.exec(first.headers.get('link') ?? '')?.[1] ?? '';
    const rest = (await (await fetch(gw.url + next, { headers: as('reviewer@b') })).text()).trim().split('\n');
    expect(rest.length).toBeGreaterThanOrEqual(1);
    const ttl = await redis.ttl(`${gw.prefix}:review-examples:b`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(gw.config.jobRetentionS);
    const aRows = (await (await fetch(`${gw.url}/v1/review-examples`, { headers: as('reviewer@a') })).text())
      .trim()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { tenant: string });
    expect(aRows.every((r) => r.tenant === 'a')).toBe(true);
  });

  it("does not answer one tenant's text from another tenant's cached finding; the cache lives no longer than jobs (row 15)", async () => {
    const text = { task: 'extract', text: 'Eingang am 12.03.2024.', schema: SCHEMA };
    const run = async (who: string): Promise<boolean | undefined> => {
      const res = await fetch(`${gw.url}/v1/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...as(who) },
        body: JSON.stringify(text),
      });
      const job = await waitForJob(
        gw.url,
        ((await res.json()) as { location: string }).location,
        ['done', 'review', 'failed'],
        20_000,
        as(who),
      );
      return (job.result as { findings: { cached?: boolean }[] }).findings[0]?.cached;
    };
    expect(await run('submitter@a')).toBe(false);
    expect(await run('submitter@a')).toBe(true);
    expect(await run('submitter@b')).toBe(false);
    const [cacheKey] = await redis.keys(`${gw.prefix}:cache:finding:*`);
    expect(await redis.ttl(cacheKey ?? '')).toBeLessThanOrEqual(gw.config.jobRetentionS);
  });
});
