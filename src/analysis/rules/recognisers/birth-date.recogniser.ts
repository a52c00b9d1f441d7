import { entityMatch, type EntityMatch } from '../entity-match.js';
import { recogniseDates } from './date.recogniser.js';

/**
 * A date counts as a birth date only right after a birth marker (`geb. am`, `geboren`,
 * `Geburtsdatum:`, `*`). Without the marker a date is just a date: precision over recall.
 */
const BIRTH_MARKER =
  /(?:\bgeb\.|\bgeboren|\bGeburtsdatum|\bGeburtstag|\bgeb\.-?Datum|(?<![\w*])\*)[ \t]*(?:am|:|den)?[ \t]*$/i;

/** How far before a date the marker may start (`Geburtsdatum: ` plus a little slack). */
const LOOK_BEHIND = 24;

/** Birth dates such as `geb. am 01.02.1980` or `geboren 1.2.1980`; the quote is the date itself. */
export function recogniseBirthDates(text: string): EntityMatch[] {
  return recogniseDates(text)
    .filter((d) => BIRTH_MARKER.test(text.slice(Math.max(0, d.start - LOOK_BEHIND), d.start)))
    .map((d) => entityMatch('birth-date', text, d.start, d.end, d.value, Math.min(0.95, d.confidence + 0.05)));
}
