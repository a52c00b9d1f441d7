import { createHash } from 'node:crypto';
import { canonicalJson } from '../config/canonical-json.js';
import type { Actor } from '../jobs/job-events.js';

/** One fact in a job's audit trail: who, what, when; never message content. */
export interface AuditEntry {
  /** 0, 1, 2 … within the job. */
  readonly seq: number;
  readonly jobId: string;
  readonly tenant: string;
  /** The JobEvent type: received, analysing, analysed, reviewed, delivering, delivered, done, failed. */
  readonly type: string;
  readonly actor: Actor;
  readonly at: string;
  /** The event's other facts (model, prompt version, input hashes, codes, decisions). */
  readonly details: Readonly<Record<string, unknown>>;
  /** Hash of the previous entry of this job; '' for the first. */
  readonly prev: string;
}

/** An entry as stored, with its own hash. */
export interface ChainedEntry {
  /** Redis stream id. */
  readonly id: string;
  readonly entry: AuditEntry;
  readonly hash: string;
}

/** sha256 (hex) over the previous hash and the canonical JSON of the entry (which names `prev` too). */
export function entryHash(entry: AuditEntry): string {
  return createHash('sha256').update(entry.prev).update('\n').update(canonicalJson(entry)).digest('hex');
}

/** Where and why a chain breaks. */
export interface ChainBreak {
  /** Position in the stored chain (0-based). */
  readonly index: number;
  /** Redis stream id of the offending entry. */
  readonly id: string;
  readonly reason: string;
}

export interface ChainVerdict {
  readonly verified: boolean;
  readonly brokenAt?: ChainBreak;
}

/**
 * Checks a job's chain: each entry's hash matches its content, names the previous entry's hash,
 * and the sequence has no gaps. An altered, removed or inserted entry breaks the chain at that
 * point. (Removing the newest entries leaves a shorter valid chain: the head is not anchored
 * outside Redis; see docs/security.md.)
 */
export function verifyChain(chain: readonly ChainedEntry[]): ChainVerdict {
  let prev = '';
  for (const [index, item] of chain.entries()) {
    const broken = (reason: string): ChainVerdict => ({ verified: false, brokenAt: { index, id: item.id, reason } });
    if (item.entry.seq !== index)
      return broken(`sequence ${item.entry.seq} where ${index} was expected (an entry is missing or inserted)`);
    if (item.entry.prev !== prev) return broken('prev does not name the hash of the previous entry');
    if (entryHash(item.entry) !== item.hash) return broken('content does not match its hash (the entry was altered)');
    prev = item.hash;
  }
  return { verified: true };
}
