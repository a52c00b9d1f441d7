import { entityMatch, type EntityMatch } from '../entity-match.js';
import { recogniseDates } from './date.recogniser.js';

/**
 * A date counts as a birth date only right after a birth marker (`geb. am`, `geboren`,
 * `Geburtsdatum:`, `*`). Without the marker a date is just a date: precision over recall.
 */
const BIRTH_MARKER =
  /(?:\bgeb\.|\bgeboren|\bGeburtsdatum(?:[ \t]+(?:des|der)[ \t]+\p{L}+)?|\bGeburtstag|\bgeb\.-?Datum|(?<![\w*])\*)[ \t]*(?:am|den)?[ \t]*:?[ \t]*$/iu;

/** `ist am 11.11.2011 geboren`: the marker after the date. */
const BIRTH_AFTER = /^[ \t]+(?:geboren|zur Welt gekommen)/i;

/** `die Geburt Ihrer Tochter … am 22.02.2026`: the birth of a person named before the date. */
const BIRTH_OF =
  /\bGeburt(?:[ \t]+(?:Ihres|Ihrer|unseres|unserer|meines|meiner|des|der)[ \t]+[^\n.;]{1,60})?[ \t]+am[ \t]+$/iu;

/** How far before a date the marker may start (`Geburtsdatum des Vaters: ` plus a little slack). */
const LOOK_BEHIND = 40;

/** Birth dates such as `geb. am 01.02.1980` or `geboren 1.2.1980`; the quote is the date itself. */
export function recogniseBirthDates(text: string): EntityMatch[] {
  return recogniseDates(text)
    .filter(
      (d) =>
        BIRTH_MARKER.test(text.slice(Math.max(0, d.start - LOOK_BEHIND), d.start)) ||
        BIRTH_AFTER.test(text.slice(d.end, d.end + 30)) ||
        BIRTH_OF.test(text.slice(Math.max(0, d.start - 100), d.start)),
    )
    .map((d) => entityMatch('birth-date', text, d.start, d.end, d.value, Math.min(0.95, d.confidence + 0.05)));
}
