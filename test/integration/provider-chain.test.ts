import type { RedisClient } from '../../src/jobs/redis-connection.js';
import { CircuitBreaker } from '../../src/analysis/circuit-breaker.js';
import { FindingCache } from '../../src/analysis/finding-cache.js';
import { OpenAiAnalyser } from '../../src/analysis/providers/openai/openai.analyser.js';
import { ProviderChain, type ChainMember } from '../../src/analysis/provider-chain.js';
import { ProviderLimiter } from '../../src/analysis/provider-limits.js';
import { AppError } from '../../src/errors/app-error.js';
import { startFakeLlm, type FakeLlm } from '../support/fake-llm-server.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';

const TASK = {
  kind: 'classify' as const,
  labels: [
    { code: 'WID', name: 'Widerspruch' },
    { code: 'ANT', name: 'Antrag' },
  ],
};

describe('provider chain (two real HTTP providers, real Redis)', () => {
  let primary: FakeLlm;
  let secondary: FakeLlm;
  let redis: RedisClient;
  const prefix = testPrefix('chain');

  beforeAll(async () => {
    primary = await startFakeLlm();
    secondary = await startFakeLlm();
    redis = testRedis();
  });
  afterAll(async () => {
    await primary.close();
    await secondary.close();
    await cleanPrefix(prefix);
    redis.disconnect();
  });
  beforeEach(() => {
    primary.reset();
    secondary.reset();
  });

  function member(
    id: string,
    llm: FakeLlm,
    breaker = new CircuitBreaker(2, 60_000),
    limits = { concurrency: 2, requestsPerMinute: 0, tokensPerMinute: 0 },
  ): ChainMember {
    return {
      identity: { provider: id, model: 'fake-model', promptVersion: 'classify.v1' },
      external: false,
      analyser: new OpenAiAnalyser({
        providerId: id,
        baseURL: llm.url,
        apiKey: 'k',
        model: 'fake-model',
        timeoutMs: 2000,
      }),
      breaker,
      limiter: new ProviderLimiter(redis, `${prefix}:rl:${id}:${Math.random()}`, limits),
    };
  }

  it('falls back to the next provider when the first fails', async () => {
    primary.setBehaviour({ kind: 'status', status: 500 });
    const chain = new ProviderChain([member('a', primary), member('b', secondary)], undefined);
    const finding = await chain.analyse({ partId: 'p1', text: 'Widerspruch gegen den Bescheid', task: TASK });
    expect(finding.provider).toBe('b');
    expect(primary.calls).toBe(1);
    expect(secondary.calls).toBe(1);
  });

  it('opens the circuit of a failing provider and stops calling it', async () => {
    primary.setBehaviour({ kind: 'status', status: 503 });
    const chain = new ProviderChain(
      [member('a', primary, new CircuitBreaker(2, 60_000)), member('b', secondary)],
      undefined,
    );
    for (let i = 0; i < 4; i++) await chain.analyse({ partId: 'p1', text: `Antrag Nummer ${i}`, task: TASK });
    expect(primary.calls).toBe(2);
    expect(secondary.calls).toBe(4);
  });

  it('throws a rate-limit error with the shortest wait when every provider answers 429', async () => {
    primary.setBehaviour({ kind: 'status', status: 429, retryAfter: '7' });
    secondary.setBehaviour({ kind: 'status', status: 429, retryAfter: '3' });
    const chain = new ProviderChain([member('a', primary), member('b', secondary)], undefined);
    const error = await chain.analyse({ partId: 'p1', text: 'Antrag', task: TASK }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'XGW_LLM_RATE_LIMITED', retryAfterSeconds: 3 });
  });

  it('throws XGW_LLM_CIRCUIT_OPEN with the wait until the first circuit half-opens when no provider can be tried', async () => {
    let now = 0;
    const a = new CircuitBreaker(1, 10_000, () => now);
    const b = new CircuitBreaker(1, 4_000, () => now);
    a.failure();
    b.failure();
    now = 500;
    const chain = new ProviderChain([member('a', primary, a), member('b', secondary, b)], undefined);
    const error = await chain.analyse({ partId: 'p1', text: 'Antrag', task: TASK }).catch((e: unknown) => e);
    // Not a failure of the task (the worker parks the queue for it), and no provider was called.
    expect(error).toMatchObject({ code: 'XGW_LLM_CIRCUIT_OPEN', retryAfterSeconds: 4 });
    expect(primary.calls + secondary.calls).toBe(0);
  });

  it('fails the task when a provider was called and failed, even if the others were skipped', async () => {
    const open = new CircuitBreaker(1, 60_000);
    open.failure();
    secondary.setBehaviour({ kind: 'status', status: 500 });
    const chain = new ProviderChain([member('a', primary, open), member('b', secondary)], undefined);
    const error = await chain.analyse({ partId: 'p1', text: 'Antrag', task: TASK }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'XGW_LLM_UNAVAILABLE' });
  });

  it('a 429 answered to the half-open trial leaves the next call to be the trial (the circuit does not wedge)', async () => {
    let now = 0;
    const breaker = new CircuitBreaker(1, 1000, () => now);
    breaker.failure();
    now = 1000;
    primary.enqueue({ kind: 'status', status: 429, retryAfter: '1' });
    const chain = new ProviderChain([member('a', primary, breaker)], undefined);
    await expect(chain.analyse({ partId: 'p1', text: 'Antrag eins', task: TASK })).rejects.toMatchObject({
      code: 'XGW_LLM_RATE_LIMITED',
    });
    const finding = await chain.analyse({ partId: 'p1', text: 'Antrag zwei', task: TASK });
    expect(finding.provider).toBe('a');
    expect(breaker.state).toBe('closed');
  });

  it('skips a provider whose requests-per-minute budget is spent, without calling it', async () => {
    const chain = new ProviderChain(
      [
        member('a', primary, undefined, { concurrency: 2, requestsPerMinute: 1, tokensPerMinute: 0 }),
        member('b', secondary),
      ],
      undefined,
    );
    await chain.analyse({ partId: 'p1', text: 'Antrag eins', task: TASK });
    const second = await chain.analyse({ partId: 'p1', text: 'Antrag zwei', task: TASK });
    expect(primary.calls).toBe(1);
    expect(second.provider).toBe('b');
  });

  it('finds a cached finding of any provider in the chain before calling one', async () => {
    const cache = new FindingCache(redis, prefix, 60);
    primary.setBehaviour({ kind: 'status', status: 500 });
    const chain = new ProviderChain([member('a', primary), member('b', secondary)], cache);
    const first = await chain.analyse({ partId: 'p1', text: 'Widerspruch wegen Gebühren', task: TASK });
    expect(first.provider).toBe('b');
    primary.reset();
    const again = await chain.analyse({ partId: 'p9', text: 'Widerspruch wegen Gebühren', task: TASK });
    expect(again).toMatchObject({ cached: true, provider: 'b', partId: 'p9' });
    expect(primary.calls + secondary.calls).toBe(1);
  });
});

describe('circuit breaker', () => {
  it('opens after the threshold, lets one trial through after the cooldown, closes on success', () => {
    let now = 0;
    const b = new CircuitBreaker(2, 1000, () => now);
    b.failure();
    expect(b.allow()).toBe(true);
    b.failure();
    expect(b.state).toBe('open');
    expect(b.allow()).toBe(false);
    now = 1000;
    expect(b.allow()).toBe(true);
    expect(b.allow()).toBe(false);
    b.success();
    expect(b.state).toBe('closed');
  });

  it('tells how long until it lets a call through again', () => {
    let now = 0;
    const b = new CircuitBreaker(1, 1000, () => now);
    expect(b.retryInMs()).toBe(0);
    b.failure();
    now = 300;
    expect(b.retryInMs()).toBe(700);
    now = 1200;
    expect(b.retryInMs()).toBe(0);
  });
});
