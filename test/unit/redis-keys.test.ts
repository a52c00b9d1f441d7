import calculateSlot from 'cluster-key-slot';
import { RedisKeys, SHARDS, shardOf } from '../../src/jobs/redis-keys.js';

/**
 * Issue #20: a Redis Cluster runs a script or transaction only on keys of one slot. What one
 * script touches must hash to one slot, whatever the id; indexes over all jobs spread over shards.
 */
describe('Redis key names on a cluster', () => {
  const keys = new RedisKeys('xgw');
  const ids = Array.from({ length: 500 }, (_, i) => `job-${i}-${(i * 7919).toString(36)}`);

  it('keeps what one script touches in one slot: a job and its indexes, a delivery and its claim', () => {
    for (const id of ids) {
      const slot = calculateSlot(keys.job(id));
      // Job moves (record, outbox, review indexes), audit appends (trail and record).
      for (const k of [
        keys.audit(id),
        keys.outbox(id),
        keys.reviews(id),
        keys.reviews(id, 'kommune-a'),
        keys.ledgerJob(id),
      ])
        expect(calculateSlot(k)).toBe(slot);
      // Ledger claim, finish and revive (entry, claim, dead letters).
      const d = `${id}-delivery`;
      const dslot = calculateSlot(keys.ledger(d));
      for (const k of [keys.ledgerClaim(d), keys.deadLetters(d)]) expect(calculateSlot(k)).toBe(dslot);
    }
    expect(calculateSlot(keys.apiKey('k1'))).toBe(calculateSlot(keys.apiKeys()));
    expect(calculateSlot(keys.session('a'))).toBe(calculateSlot(keys.session('b')));
    expect(calculateSlot(keys.inboundHeld('ozg'))).toBe(calculateSlot(keys.inboundAnswered('ozg', 'x')));
    // BullMQ's keys of a queue share its prefix's tag.
    expect(calculateSlot(`${keys.bullmq()}:analyse:wait`)).toBe(calculateSlot(`${keys.bullmq()}:analyse:42:lock`));
  });

  it('spreads jobs over every shard, and each shard over more than one slot range', () => {
    const counts = new Array<number>(SHARDS).fill(0);
    for (const id of ids) counts[shardOf(id)] = (counts[shardOf(id)] ?? 0) + 1;
    expect(counts.every((c) => c > 0)).toBe(true);
    const slots = new Set(keys.outboxes().map((k) => calculateSlot(k)));
    expect(slots.size).toBe(SHARDS);
    // Three masters of a cluster each get some shards (slots 0–5460, 5461–10922, 10923–16383).
    const masters = new Set([...slots].map((s) => (s <= 5460 ? 0 : s <= 10922 ? 1 : 2)));
    expect(masters.size).toBe(3);
  });

  it('finds the job id of an audit key, and nothing in keys of another prefix', () => {
    expect(keys.jobIdOfAudit(keys.audit('job:with:colons'))).toBe('job:with:colons');
    expect(keys.jobIdOfAudit('other:{s1}:audit:x')).toBeUndefined();
  });
});
