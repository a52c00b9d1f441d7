import { startTestGateway, type TestGateway } from '../support/gateway.js';

/** Issue #11, rows 5, 7, 12 and 13: JSON task bodies built to hurt. */
describe('hostile task bodies on POST /v1/jobs', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ PART_MAX_CHARS: '5000' }, 'hostile-tasks');
  });
  afterAll(async () => {
    await gw.close();
  });

  const post = (body: string | object, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${gw.url}/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const problemOf = async (res: Response): Promise<{ status: number; code: string; errors?: { path?: string }[] }> => ({
    status: res.status,
    ...((await res.json()) as { code: string; errors?: { path?: string }[] }),
  });

  it('answers JSON nested 10,000 deep inside a schema with 400 XGW_REQ_TOO_COMPLEX (row 13)', async () => {
    const deep = `{"task":"extract","text":"x","schema":{"type":"object","properties":{"a":${'{"x":'.repeat(10_000)}1${'}'.repeat(10_000)}}}}`;
    expect(await problemOf(await post(deep))).toMatchObject({ status: 400, code: 'XGW_REQ_TOO_COMPLEX' });
  });

  it("refuses a schema with $id; a tenant's $ref cannot reach another's schema (row 7)", async () => {
    const schema = { $id: 'urn:example:x', type: 'object', properties: { a: { type: 'string' } } };
    expect(await problemOf(await post({ task: 'extract', text: 'x', schema }))).toMatchObject({
      status: 400,
      code: 'XGW_REQ_VALIDATION',
      errors: [{ path: '/schema/$id' }],
    });
    expect(
      await problemOf(
        await post({
          task: 'extract',
          text: 'x',
          schema: { type: 'object', properties: { a: { $ref: 'urn:example:x' } } },
        }),
      ),
    ).toMatchObject({ status: 400, errors: [{ path: '/schema/properties/a/$ref' }] });
  });

  it.each([
    'file:///etc/passwd',
    'gopher://127.0.0.1:6379/_FLUSHALL',
    'ftp://example.org/x',
    'http://example.org/cb',
    'https://127.0.0.1/cb',
    'https://[::7f00:1]/cb',
    'https://user:pw@example.org/cb',
  ])('refuses callbackUrl %s at intake with 400 naming /callbackUrl (row 12)', async (callbackUrl) => {
    expect(
      await problemOf(
        await post({
          task: 'classify',
          text: 'Widerspruch',
          labels: [{ code: 'W', name: 'Widerspruch' }],
          callbackUrl,
        }),
      ),
    ).toMatchObject({ status: 400, code: 'XGW_REQ_VALIDATION', errors: [{ path: '/callbackUrl' }] });
  });

  it('answers a text over PART_MAX_CHARS with 413 XGW_PART_TOO_LONG (row 5)', async () => {
    expect(
      await problemOf(
        await post({ task: 'classify', text: 'Straße 1 '.repeat(1_000), labels: [{ code: 'W', name: 'Widerspruch' }] }),
      ),
    ).toMatchObject({ status: 413, code: 'XGW_PART_TOO_LONG', errors: [{ path: '/text' }] });
  });

  it('bounds label sets: more than 1,000 labels, or keywords beyond their limits, are 400', async () => {
    const labels = Array.from({ length: 1_001 }, (_, i) => ({ code: `L${i}`, name: `Label ${i}` }));
    expect((await post({ task: 'classify', text: 'x', labels })).status).toBe(400);
    expect(
      (await post({ task: 'classify', text: 'x', labels: [{ code: 'A', name: 'A', keywords: ['k'.repeat(101)] }] }))
        .status,
    ).toBe(400);
  });
});

describe('a callback target the connector refuses (issue #11, row 12)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(
      { CALLBACK_SIGNING_SECRET: 'cb-secret', DELIVERY_ATTEMPTS: '3', DELIVERY_BACKOFF_MS: '20' },
      'hostile-callback',
    );
  });
  afterAll(async () => {
    await gw.close();
  });

  it('is dead-lettered with its reason and replayable, not left delivering (a record from before intake checked URLs)', async () => {
    const now = new Date().toISOString();
    const id = `t-legacy-${Date.now()}`;
    await gw.runtime.store.createIfAbsent({
      id,
      tenant: 'default',
      kind: 'task',
      state: 'done',
      createdAt: now,
      updatedAt: now,
      attempts: 1,
      callbackUrl: 'file:///etc/passwd',
    });
    await gw.runtime.events.emit({
      type: 'done',
      jobId: id,
      tenant: 'default',
      actor: { kind: 'system', id: 'test' },
      at: now,
    });
    let deliveries: { state: string; detail?: string; connector: string }[] = [];
    for (let i = 0; i < 200; i++) {
      const body = (await (await fetch(`${gw.url}/v1/jobs/${id}/deliveries`)).json()) as {
        deliveries: typeof deliveries;
      };
      deliveries = body.deliveries;
      if (deliveries[0]?.state === 'dead_letter') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(deliveries).toMatchObject([
      { connector: 'callback', state: 'dead_letter', detail: expect.stringContaining('refused') },
    ]);
    const letters = (await (await fetch(`${gw.url}/v1/dead-letters`)).json()) as {
      deadLetters: { key: string; jobId: string }[];
    };
    const letter = letters.deadLetters.find((l) => l.jobId === id);
    expect(letter).toBeDefined();
    expect(
      (await fetch(`${gw.url}/v1/dead-letters/${encodeURIComponent(letter?.key ?? '')}/replay`, { method: 'POST' }))
        .status,
    ).toBe(202);
  });
});
