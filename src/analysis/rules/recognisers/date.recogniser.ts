import { byPosition, entityMatch, matchAll, type EntityMatch } from '../entity-match.js';

/** Month names and abbreviations as they appear in German letters, mapped to their number. */
const MONTHS: ReadonlyMap<string, number> = new Map([
  ['januar', 1],
  ['jänner', 1],
  ['jan', 1],
  ['februar', 2],
  ['feb', 2],
  ['märz', 3],
  ['maerz', 3],
  ['mär', 3],
  ['mrz', 3],
  ['april', 4],
  ['apr', 4],
  ['mai', 5],
  ['juni', 6],
  ['jun', 6],
  ['juli', 7],
  ['jul', 7],
  ['august', 8],
  ['aug', 8],
  ['september', 9],
  ['sep', 9],
  ['sept', 9],
  ['oktober', 10],
  ['okt', 10],
  ['november', 11],
  ['nov', 11],
  ['dezember', 12],
  ['dez', 12],
]);

const MONTH_ALTERNATION = [...MONTHS.keys()].sort((a, b) => b.length - a.length).join('|');

/** `12.03.2024`, `1.3.24`, `12. 03. 2024`. Neighbouring digits or dots would make it a version or amount. */
const NUMERIC = /(?<![\d.])(\d{1,2})\.[ \t]?(\d{1,2})\.[ \t]?(\d{4}|\d{2})(?![\d]|\.\d)/g;
/** `12. März 2024`, `1. Okt. 2023`. */
const NAMED = new RegExp(`(?<![\\d.])(\\d{1,2})\\.?[ \\t]*(${MONTH_ALTERNATION})\\.?[ \\t]+(\\d{4})(?!\\d)`, 'gi');
/** `2024-03-12` (ISO 8601 calendar date). */
const ISO = /(?<![\d\-/])(\d{4})-(\d{2})-(\d{2})(?![\d\-/])/g;

/**
 * Two-digit years up to this value are read as 20yy, above as 19yy. Administrative texts mix
 * near-future deadlines (`1.3.24`) and birth years (`1.2.80`). The pivot is fixed rather than derived
 * from today so that the same text always gives the same dates (findings are cached by content hash).
 */
export const TWO_DIGIT_YEAR_PIVOT = 40;

function expandYear(year: string): number {
  if (year.length === 4) return Number(year);
  const yy = Number(year);
  return yy <= TWO_DIGIT_YEAR_PIVOT ? 2000 + yy : 1900 + yy;
}

/** True for a real calendar day (rejects 31.02., 29.02. outside leap years, month 13 …). */
export function isValidCalendarDate(year: number, month: number, day: number): boolean {
  if (year < 1000 || year > 2999 || month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * German calendar dates in numeric, written-month and ISO form, normalised to `YYYY-MM-DD`.
 * Impossible dates are not reported; two-digit years score lower because the century is a guess.
 */
export function recogniseDates(text: string): EntityMatch[] {
  const found: EntityMatch[] = [];
  const push = (m: RegExpExecArray, year: number, month: number, day: number, confidence: number): void => {
    if (!isValidCalendarDate(year, month, day)) return;
    found.push(entityMatch('date', text, m.index, m.index + m[0].length, isoDate(year, month, day), confidence));
  };
  for (const m of matchAll(NUMERIC, text)) {
    const year = m[3] ?? '';
    push(m, expandYear(year), Number(m[2]), Number(m[1]), year.length === 4 ? 0.95 : 0.8);
  }
  for (const m of matchAll(NAMED, text)) {
    const month = MONTHS.get((m[2] ?? '').toLowerCase());
    if (month !== undefined) push(m, Number(m[3]), month, Number(m[1]), 0.95);
  }
  for (const m of matchAll(ISO, text)) push(m, Number(m[1]), Number(m[2]), Number(m[3]), 0.95);
  return found.sort(byPosition);
}
