import type { Evidence } from '../../jobs/finding.js';
import { PLACEHOLDER_PATTERN, type PseudonymMapping } from './pseudonym-mapping.js';

/**
 * Writes the originals back into a value that came from the pseudonymised text (a model's answer, an
 * extracted value, a quote). Unknown placeholders are left as they are. Each placeholder becomes the
 * text of its first occurrence; where one value was written two ways (`Hauptstr. 5`, `Hauptstraße 5`)
 * later occurrences come back in the first spelling.
 */
export function restore(value: string, mapping: PseudonymMapping): string {
  const originals = new Map(mapping.entries.map((e) => [e.placeholder, e.original]));
  return value.replace(
    new RegExp(PLACEHOLDER_PATTERN.source, 'g'),
    (placeholder) => originals.get(placeholder) ?? placeholder,
  );
}

/**
 * Maps one offset of the pseudonymised text to the original text. Outside placeholders the offset
 * moves by the length differences of the placeholders before it; inside one it snaps to the start
 * (`side: 'start'`) or end (`side: 'end'`) of the replaced original, so a range never cuts a value.
 */
export function mapOffset(offset: number, mapping: PseudonymMapping, side: 'start' | 'end'): number {
  let shift = 0;
  for (const span of mapping.spans) {
    if (offset <= span.pseudoStart) break;
    if (offset < span.pseudoEnd) return side === 'start' ? span.originalStart : span.originalEnd;
    shift += span.originalEnd - span.originalStart - (span.pseudoEnd - span.pseudoStart);
  }
  return offset + shift;
}

/** Maps a range `[start, end)` of the pseudonymised text to the corresponding range of the original. */
export function mapOffsets(start: number, end: number, mapping: PseudonymMapping): { start: number; end: number } {
  return { start: mapOffset(start, mapping, 'start'), end: mapOffset(end, mapping, 'end') };
}

/** The occurrence of `needle` in `haystack` nearest to `near`, or -1. */
function nearestIndexOf(haystack: string, needle: string, near: number): number {
  let bestIndex = -1;
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + 1)) {
    if (bestIndex === -1 || Math.abs(i - near) < Math.abs(bestIndex - near)) bestIndex = i;
  }
  return bestIndex;
}

/**
 * Evidence given on the pseudonymised text → evidence on the original text. The offsets are mapped
 * first; if the original slice there is not the restored quote (models miscount offsets), the
 * restored quote's occurrence nearest to the mapped start is taken. If it occurs nowhere, the restored
 * quote is returned with the mapped offsets and grounding will flag it.
 */
export function restoreEvidence(evidence: Evidence, mapping: PseudonymMapping, originalText: string): Evidence {
  const mapped = mapOffsets(evidence.start, evidence.end, mapping);
  const quote = restore(evidence.quote, mapping);
  if (originalText.slice(mapped.start, mapped.end) === quote) return { quote, ...mapped };
  const found = quote.length === 0 ? -1 : nearestIndexOf(originalText, quote, mapped.start);
  if (found !== -1) return { quote, start: found, end: found + quote.length };
  return { quote, ...mapped };
}
