import { createHash } from 'node:crypto';

/**
 * The delivery key: the same fact about the same subject from the same source message to the same
 * register always gets the same key, however often the job is retried, crashed or resubmitted.
 * Registers use it as their idempotency key; the ledger is keyed by it.
 */
export function deliveryKey(parts: { connector: string; subject: string; fact: string; sourceId: string }): string {
  // Length-prefixed so that no two different tuples can concatenate to the same input.
  const input = [parts.connector, parts.subject, parts.fact, parts.sourceId].map((s) => `${s.length}:${s}`).join('|');
  return createHash('sha256').update(input).digest('hex').slice(0, 40);
}
