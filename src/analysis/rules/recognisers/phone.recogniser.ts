import { entityMatch, matchAll, type EntityMatch } from '../entity-match.js';

/**
 * Telephone numbers in the forms German letters use: `+49 30 1234567`, `+49 (0)30 …`, `0049 …`,
 * `(030) 123 45-67`, `030 1234567`, `0 30 1234567`, `0171/1234567`. Dots are not allowed inside, which
 * keeps dates out; only blanks and tabs separate groups, so a number never spans a line break.
 */
const PHONE_FORMS = [
  String.raw`(?:\+|00)[1-9]\d{0,2}[ \t]?(?:\(0\)[ \t]?)?\d[\d \t/\-]{4,20}\d`,
  String.raw`\(0\d{1,5}\)[ \t]?\d[\d \t/\-]{2,16}\d`,
  String.raw`0[ \t]?\d[\d \t/\-]{4,18}\d`,
];
const PHONE = new RegExp(String.raw`(?<![\w+/.\-])(?:${PHONE_FORMS.join('|')})(?![\w/\-]|\.\d)`, 'g');

/** Words that announce a phone number; a number right after one scores higher. */
const PHONE_MARKER =
  /(?:tel|telefon|telefonnummer|fax|telefax|mobil|mobilfunk|handy|rufnummer|durchwahl|erreichbar unter)\.?[ \t]*(?:nr\.?)?[ \t]*:?[ \t]*$/i;

/** A digit group right before (`… 0532 0130 01` of a broken IBAN) means we are inside a longer number. */
const TAIL_OF_NUMBER = /\d[ \t]$/;

/** Fewest digits a German number has (area code + subscriber); fewer is a postcode or a count. */
const MIN_NATIONAL_DIGITS = 7;
/** E.164 allows at most 15 digits including the country code. */
const MAX_DIGITS = 15;

/** Normalises to E.164 (`+49301234567`); national numbers are taken as German. */
function toE164(raw: string): string | null {
  const withoutTrunk = raw.replace('(0)', '');
  const digits = withoutTrunk.replace(/\D/g, '');
  if (withoutTrunk.trimStart().startsWith('+')) return `+${digits}`;
  if (digits.startsWith('00')) return `+${digits.slice(2)}`;
  if (digits.startsWith('0')) return `+49${digits.slice(1)}`;
  return null;
}

/** Telephone and fax numbers, normalised to E.164. Postcodes, dates and short numbers are not phones. */
export function recognisePhones(text: string): EntityMatch[] {
  const found: EntityMatch[] = [];
  for (const m of matchAll(PHONE, text)) {
    const quote = m[0].replace(/[ \t/-]+$/, '');
    const value = toE164(quote);
    if (value === null || TAIL_OF_NUMBER.test(text.slice(Math.max(0, m.index - 2), m.index))) continue;
    const digitCount = value.length - 1;
    const nationalDigits = quote.replace(/\D/g, '').length;
    if (digitCount > MAX_DIGITS || nationalDigits < MIN_NATIONAL_DIGITS) continue;
    const announced = PHONE_MARKER.test(text.slice(Math.max(0, m.index - 30), m.index));
    found.push(entityMatch('phone', text, m.index, m.index + quote.length, value, announced ? 0.95 : 0.75));
  }
  return found;
}
