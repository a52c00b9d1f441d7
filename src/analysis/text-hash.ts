import { createHash } from 'node:crypto';

/**
 * sha256 (hex) of the exact text a task ran on. Findings carry it so that an auditor can prove which
 * input produced a result and the cache can recognise a part it has already analysed.
 */
export function hashText(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
