/**
 * Every Redis key the gateway writes, named in one place (BullMQ names its own under the same
 * prefix). `<prefix>` is QUEUE_PREFIX; one gateway's keys never mix with another's.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** A job record (hash): the resource GET /v1/jobs/{id} reads. */
  job(id: string): string {
    return `${this.prefix}:job:${id}`;
  }

  /** Announcements not yet taken by every sink (sorted set `<jobId>|<event type>` by time). */
  outbox(): string {
    return `${this.prefix}:outbox`;
  }

  /** Jobs waiting for a person: of every tenant (sorted set by entry time), or of one. */
  reviews(tenant?: string): string {
    return tenant === undefined ? `${this.prefix}:reviews` : `${this.prefix}:reviews:tenant:${tenant}`;
  }

  /** Reviewers' corrections of one tenant (sorted set by time). */
  reviewExamples(tenant: string): string {
    return `${this.prefix}:review-examples:${tenant}`;
  }

  /** A cached finding, by content hash. */
  finding(hash: string): string {
    return `${this.prefix}:cache:finding:${hash}`;
  }

  /** A job's audit trail (stream). */
  audit(jobId: string): string {
    return `${this.prefix}:audit:${jobId}`;
  }

  /** The start every audit trail key shares (for listing them). */
  auditPrefix(): string {
    return `${this.prefix}:audit:`;
  }

  /** Tokens used by one client of one tenant (hash). */
  usage(tenant: string, client: string): string {
    return `${this.prefix}:usage:${tenant}:${client}`;
  }

  /** The SCAN pattern of usage keys, of one tenant or all. */
  usagePattern(tenant?: string): string {
    return `${this.prefix}:usage:${tenant === undefined ? '*' : tenant.replace(/[*?[\]\\]/g, '\\$&')}:*`;
  }

  /** A review workspace session, by the hash of its cookie value (the key never shows the cookie). */
  session(idHash: string): string {
    return `${this.prefix}:session:${idHash}`;
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

  /** An API key (hash), and the set of all key ids. */
  apiKey(id: string): string {
    return `${this.prefix}:apikey:${id}`;
  }

  apiKeys(): string {
    return `${this.prefix}:apikeys`;
  }

  /** A delivery in the ledger (hash), its claim, a job's delivery keys, the dead letters. */
  ledger(key: string): string {
    return `${this.prefix}:ledger:${key}`;
  }

  ledgerClaim(key: string): string {
    return `${this.prefix}:ledger-claim:${key}`;
  }

  ledgerJob(jobId: string): string {
    return `${this.prefix}:ledger-job:${jobId}`;
  }

  deadLetters(): string {
    return `${this.prefix}:dead-letters`;
  }
}
