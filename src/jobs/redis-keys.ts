/**
 * How many hash-tagged shards a job's keys are spread over. A Redis Cluster runs a Lua script or a
 * MULTI only on keys of one slot, so everything one script touches carries one hash tag: a job's
 * record, audit trail, outbox and review index entries share `{s<n>}`, n = shardOf(job id); a
 * delivery's ledger entry, claim and dead-letter index share the shard of its key. Indexes over
 * all jobs (outbox, reviews, dead letters) are one sorted set per shard, read together. Sixteen
 * spread the data over up to sixteen masters; changing it moves every key, so it is fixed.
 */
export const SHARDS = 16;

/** The shard of an id (FNV-1a, 32 bit): the same in every process, whatever the cluster's size. */
export function shardOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % SHARDS;
}

const ALL_SHARDS = Array.from({ length: SHARDS }, (_, n) => n);

/**
 * Every Redis key the gateway writes, named in one place (BullMQ names its own under
 * `<prefix>:{bullmq}`, one slot for its queues). `<prefix>` is QUEUE_PREFIX (no braces: the hash tag
 * of a key must be the one named here); one gateway's keys never mix with another's.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** The start of the keys of shard n. */
  private shard(n: number): string {
    return `${this.prefix}:{s${n}}`;
  }

  /** The start of the keys that belong with `id` (a job id or a delivery key). */
  private with(id: string): string {
    return this.shard(shardOf(id));
  }

  /** A job record (hash): the resource GET /v1/jobs/{id} reads. */
  job(id: string): string {
    return `${this.with(id)}:job:${id}`;
  }

  /** The SCAN pattern of every job record (chaos reports, benches). */
  jobPattern(): string {
    return `${this.prefix}:{s*}:job:*`;
  }

  /** Announcements not yet taken by every sink, of the job's shard (sorted set `<jobId>|<event type>` by time). */
  outbox(jobId: string): string {
    return `${this.with(jobId)}:outbox`;
  }

  /** The outbox of every shard. */
  outboxes(): string[] {
    return ALL_SHARDS.map((n) => `${this.shard(n)}:outbox`);
  }

  /** Jobs waiting for a person in the job's shard: of every tenant (sorted set by entry time), or of one. */
  reviews(jobId: string, tenant?: string): string {
    return this.reviewIndex(shardOf(jobId), tenant);
  }

  /** The review index of every shard, of every tenant or of one. */
  reviewShards(tenant?: string): string[] {
    return ALL_SHARDS.map((n) => this.reviewIndex(n, tenant));
  }

  private reviewIndex(n: number, tenant?: string): string {
    return tenant === undefined ? `${this.shard(n)}:reviews` : `${this.shard(n)}:reviews:tenant:${tenant}`;
  }

  /** Reviewers' corrections of one tenant (sorted set by time). */
  reviewExamples(tenant: string): string {
    return `${this.prefix}:review-examples:${tenant}`;
  }

  /** A cached finding, by content hash. */
  finding(hash: string): string {
    return `${this.prefix}:cache:finding:${hash}`;
  }

  /** A job's audit trail (stream), beside its record (the append script reads both). */
  audit(jobId: string): string {
    return `${this.with(jobId)}:audit:${jobId}`;
  }

  /** The SCAN pattern of every audit trail, and the job id of a key it matched. */
  auditPattern(): string {
    return `${this.prefix}:{s*}:audit:*`;
  }

  jobIdOfAudit(key: string): string | undefined {
    const at = key.indexOf(':audit:', this.prefix.length);
    return key.startsWith(`${this.prefix}:{s`) && at > 0 ? key.slice(at + ':audit:'.length) : undefined;
  }

  /** Tokens used by one client of one tenant (hash). */
  usage(tenant: string, client: string): string {
    return `${this.prefix}:usage:${tenant}:${client}`;
  }

  /** The SCAN pattern of usage keys, of one tenant or all. */
  usagePattern(tenant?: string): string {
    return `${this.prefix}:usage:${tenant === undefined ? '*' : tenant.replace(/[*?[\]\\]/g, '\\$&')}:*`;
  }

  /**
   * A review workspace session, by the hash of its cookie value (the key never shows the cookie).
   * Sessions share one slot: a rotation writes the new and the old in one transaction.
   */
  session(idHash: string): string {
    return `${this.prefix}:{sessions}:session:${idHash}`;
  }

  /** A sign-in under way (state, nonce, PKCE verifier), by its `state`, for ten minutes. */
  signIn(state: string): string {
    return `${this.prefix}:signin:${state}`;
  }

  /** A lease one gateway process holds at a time (an inbound connector's poller). */
  lease(name: string): string {
    return `${this.prefix}:lease:${name}`;
  }

  /**
   * An inbound connector's submissions that cannot be handled now (hash: source id → reason), and
   * the mark that one was answered (so a late failure of a second pick-up cannot list it again).
   * Both carry the connector as hash tag: the script that checks the mark and writes the list
   * touches one slot.
   */
  inboundHeld(connector: string): string {
    return `${this.prefix}:inbound:{${connector}}:held`;
  }

  inboundAnswered(connector: string, ref: string): string {
    return `${this.prefix}:inbound:{${connector}}:answered:${ref}`;
  }

  /** A client's request count in one minute window. */
  rateLimit(client: string, window: number): string {
    return `${this.prefix}:ratelimit:${client}:${window}`;
  }

  /** A provider's shared request and token budget. */
  providerBudget(provider: string): string {
    return `${this.prefix}:ratelimit:provider:${provider}`;
  }

  /** An API key (hash), and the set of all key ids: one slot, written in one transaction. */
  apiKey(id: string): string {
    return `${this.prefix}:{apikeys}:apikey:${id}`;
  }

  apiKeys(): string {
    return `${this.prefix}:{apikeys}:apikeys`;
  }

  /** A delivery in the ledger (hash) and its claim, in the shard of the delivery key. */
  ledger(key: string): string {
    return `${this.with(key)}:ledger:${key}`;
  }

  ledgerClaim(key: string): string {
    return `${this.with(key)}:ledger-claim:${key}`;
  }

  /** A job's delivery keys (set), in the job's shard. */
  ledgerJob(jobId: string): string {
    return `${this.with(jobId)}:ledger-job:${jobId}`;
  }

  /** The dead letters of the delivery key's shard (sorted set by time), and those of every shard. */
  deadLetters(deliveryKey: string): string {
    return `${this.with(deliveryKey)}:dead-letters`;
  }

  deadLetterShards(): string[] {
    return ALL_SHARDS.map((n) => `${this.shard(n)}:dead-letters`);
  }

  /** BullMQ's prefix: its queues in one slot of their own (BullMQ's scripts touch many keys of a queue). */
  bullmq(): string {
    return `${this.prefix}:{bullmq}`;
  }
}
