import { svNummerCheckDigit } from '../check-digits.js';
import { entityMatch, matchAll, type EntityMatch } from '../entity-match.js';
import { isValidCalendarDate } from './date.recogniser.js';

/**
 * Versicherungsnummer of the Rentenversicherung: area (2 digits), birth date DDMMYY, initial letter of
 * the birth name, serial (2 digits), check digit, e.g. `15 070649 C 103` or `15070649C103`.
 */
const SV_NUMMER = /(?<![\w])(\d{2})[ \t]?(\d{2})(\d{2})(\d{2})[ \t]?([A-Z])[ \t]?(\d{2})[ \t]?(\d)(?![\w])/g;

/**
 * The birth-date part may carry +20/+40 on the day for second allocations (§ 2 VKVV) and the month
 * can be an artificial value; we accept the common variants and check the remaining calendar day.
 */
function plausibleBirthPart(dd: number, mm: number, yy: number): boolean {
  const day = dd > 40 ? dd - 40 : dd > 31 ? dd - 20 : dd;
  return isValidCalendarDate(2000 + (yy % 100), mm, day) || isValidCalendarDate(1900 + yy, mm, day);
}

/** Sozialversicherungs-/Rentenversicherungsnummern whose check digit is right; value is compact. */
export function recogniseSvNummern(text: string): EntityMatch[] {
  const found: EntityMatch[] = [];
  for (const m of matchAll(SV_NUMMER, text)) {
    const [, area = '', dd = '', mm = '', yy = '', letter = '', serial = '', check = ''] = m;
    if (Number(area) < 2 || !plausibleBirthPart(Number(dd), Number(mm), Number(yy))) continue;
    if (svNummerCheckDigit(area, dd + mm + yy, letter, serial) !== Number(check)) continue;
    const value = `${area}${dd}${mm}${yy}${letter}${serial}${check}`;
    found.push(entityMatch('sozialversicherungsnummer', text, m.index, m.index + m[0].length, value, 0.95));
  }
  return found;
}
