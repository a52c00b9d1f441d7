import { entityMatch, type EntityMatch } from '../entity-match.js';
import { recogniseDates } from './date.recogniser.js';

/**
 * A date counts as a birth date only right after a birth marker (`geb. am`, `geb`, `geboren`,
 * `Geburtsdatum:`, `Geburtsdatum (…)`, `Geburtsdatum sei der`, `*`). Without the marker a date is just a date: precision over recall.
 */
const BIRTH_MARKER =
  /(?:\bgeb\b\.?|\bgeboren|\bGeburtsdatum(?:[ \t]+(?:des|der)[ \t]+\p{L}+|[ \t]+(?:sei|ist|war|lautet)(?:[ \t]+der)?)?|\bGeburtstag|\bgeb\.-?Datum|(?<![\w*])\*)[ \t]*(?:am|den)?[ \t]*:?[ \t]*\(?[ \t]*$/iu;

/** `ist am 11.11.2011 geboren`, `sei am 01.01.2001 in Kunduz geboren`: the marker after the date. */
const BIRTH_AFTER = /^(?:[ \t]+(?:in|im|bei)[ \t]+[^\n.,;:]{1,40}?)?[ \t]+(?:geboren|zur Welt gekommen)/i;

/** `die Geburt Ihrer Tochter … am 22.02.2026`: the birth of a person named before the date. */
const BIRTH_OF =
  /\bGeburt(?:[ \t]+(?:Ihres|Ihrer|unseres|unserer|meines|meiner|des|der)[ \t]+[^\n.;]{1,60})?[ \t]+am[ \t]+$/iu;

/** How far before a date the marker may start (`Geburtsdatum des Vaters: ` plus a little slack). */
const LOOK_BEHIND = 40;

/** A table's header cell over birth dates. */
const BIRTH_COLUMN = /^[ \t]*(?:geburtsdatum|geb\.?[ \t-]*datum|geboren(?:[ \t]+am)?|geb\.)[ \t]*$/i;

/**
 * The cells of birth-date columns in tables written with `|` (`Name | Geburtsdatum | Verhältnis`):
 * the rows under a header that names the column, up to the first line without `|`. One pass.
 */
function birthColumnCells(text: string): { start: number; end: number }[] {
  const cells: { start: number; end: number }[] = [];
  let column = -1;
  let offset = 0;
  for (const line of text.split('\n')) {
    const parts = line.includes('|') ? line.split('|') : [];
    if (parts.length === 0) column = -1;
    else {
      const header = parts.findIndex((p) => BIRTH_COLUMN.test(p));
      if (header >= 0) column = header;
      else if (column >= 0 && column < parts.length) {
        const start = offset + parts.slice(0, column).reduce((n, p) => n + p.length + 1, 0);
        cells.push({ start, end: start + (parts[column]?.length ?? 0) });
      }
    }
    offset += line.length + 1;
  }
  return cells;
}

/** Birth dates such as `geb. am 01.02.1980` or `geboren 1.2.1980`; the quote is the date itself. */
export function recogniseBirthDates(text: string): EntityMatch[] {
  const cells = text.includes('|') ? birthColumnCells(text) : [];
  // Dates and cells both run in text order: one pointer walks the cells (no search per date).
  let cell = 0;
  const inBirthColumn = (d: EntityMatch): boolean => {
    while (cell < cells.length && (cells[cell]?.end ?? 0) < d.end) cell++;
    const c = cells[cell];
    return c !== undefined && c.start <= d.start && d.end <= c.end;
  };
  return [...recogniseDates(text)]
    .sort((a, b) => a.start - b.start)
    .filter(
      (d) =>
        inBirthColumn(d) ||
        BIRTH_MARKER.test(text.slice(Math.max(0, d.start - LOOK_BEHIND), d.start)) ||
        BIRTH_AFTER.test(text.slice(d.end, d.end + 30)) ||
        BIRTH_OF.test(text.slice(Math.max(0, d.start - 100), d.start)),
    )
    .map((d) => entityMatch('birth-date', text, d.start, d.end, d.value, Math.min(0.95, d.confidence + 0.05)));
}
