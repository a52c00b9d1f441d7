import { isValidIbanChecksum } from '../check-digits.js';
import { entityMatch, matchAll, type EntityMatch } from '../entity-match.js';

/**
 * IBAN length per country (ISO 13616 registry, SEPA countries and common neighbours). Knowing the
 * length lets us stop exactly at the IBAN's end even when a BIC or word follows on the same line.
 */
const IBAN_LENGTHS: ReadonlyMap<string, number> = new Map([
  ['AD', 24],
  ['AT', 20],
  ['BE', 16],
  ['BG', 22],
  ['CH', 21],
  ['CY', 28],
  ['CZ', 24],
  ['DE', 22],
  ['DK', 18],
  ['EE', 20],
  ['ES', 24],
  ['FI', 18],
  ['FR', 27],
  ['GB', 22],
  ['GI', 23],
  ['GR', 27],
  ['HR', 21],
  ['HU', 28],
  ['IE', 22],
  ['IS', 26],
  ['IT', 27],
  ['LI', 21],
  ['LT', 20],
  ['LU', 20],
  ['LV', 21],
  ['MC', 27],
  ['MT', 31],
  ['NL', 18],
  ['NO', 15],
  ['PL', 28],
  ['PT', 25],
  ['RO', 24],
  ['SE', 24],
  ['SI', 19],
  ['SK', 24],
  ['SM', 27],
  ['TR', 26],
  ['UA', 29],
  ['VA', 22],
]);

/** Country code + two check digits, not glued to a preceding word. */
const IBAN_START = /(?<![A-Za-z0-9])([A-Za-z]{2})(\d{2})/g;

/**
 * Reads `length` alphanumerics from `from`, allowing single spaces between groups as printed on
 * letters (`DE89 3704 0044 …`). Returns the end offset and the compact IBAN, or `null` when the
 * characters run out or something else interrupts them.
 */
function readCompact(text: string, from: number, length: number): { end: number; compact: string } | null {
  let compact = '';
  let i = from;
  while (compact.length < length && i < text.length) {
    const ch = text[i] ?? '';
    if (/[A-Za-z0-9]/.test(ch)) {
      compact += ch.toUpperCase();
      i++;
    } else if (ch === ' ' && /[A-Za-z0-9]/.test(text[i + 1] ?? '') && compact.length > 0) {
      i++;
    } else {
      return null;
    }
  }
  return compact.length === length ? { end: i, compact } : null;
}

/** IBANs of known countries whose MOD 97 checksum passes; a failing checksum is not an IBAN. */
export function recogniseIbans(text: string): EntityMatch[] {
  const found: EntityMatch[] = [];
  for (const m of matchAll(IBAN_START, text)) {
    // Lower case too: a mail typed on a phone writes `de89 3704 …`; the checksum still decides.
    const length = IBAN_LENGTHS.get((m[1] ?? '').toUpperCase());
    if (length === undefined) continue;
    const read = readCompact(text, m.index, length);
    if (read === null || /[A-Za-z0-9]/.test(text[read.end] ?? '')) continue;
    if (!isValidIbanChecksum(read.compact)) continue;
    found.push(entityMatch('iban', text, m.index, read.end, read.compact, 0.99));
  }
  return found;
}
