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
const BIRTH_COLUMN =
  /^[ \t]*(?:geburtsdatum|geb\.?[ \t-]*datum|geboren(?:[ \t]+am)?|geb\.)(?:[ \t]+[\p{L}().]{1,16}){0,2}[ \t]*$/iu;

/** The cells of a table line: split at `|`, `;` or `,` outside double quotes, with their offsets in the line. */
function cellsOf(line: string, separator: string): { start: number; text: string }[] {
  const cells: { start: number; text: string }[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i <= line.length; i++) {
    const c = line.charAt(i);
    if (c === '"') quoted = !quoted;
    if (i === line.length || (c === separator && !quoted)) {
      cells.push({ start, text: line.slice(start, i) });
      start = i + 1;
    }
  }
  return cells;
}

/**
 * The cells of birth-date columns in tables (`Name | Geburtsdatum | Verhältnis`) and CSV
 * (`nr;nachname;vorname;geburtsdatum`): the rows under a header that names the column, up to the
 * first line without the header's separator. One pass.
 */
function birthColumnCells(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let column = -1;
  let separator = '';
  let offset = 0;
  for (const line of text.split('\n')) {
    if (column >= 0 && !line.includes(separator)) column = -1;
    if (column < 0) {
      for (const sep of ['|', ';', ',']) {
        if (!line.includes(sep)) continue;
        const cells = cellsOf(line, sep);
        const header = cells.findIndex((c) => BIRTH_COLUMN.test(c.text.replace(/^["']|["']$/g, '')));
        // A row that names its value (`| Geburtsdatum | 07.05.1986 |`): the next cell.
        const value = cells[header + 1];
        if (header >= 0 && value !== undefined && /\d/.test(value.text)) {
          out.push({ start: offset + value.start, end: offset + value.start + value.text.length });
          break;
        }
        if (header >= 0 && (sep !== ',' || cells.length >= 3)) {
          column = header;
          separator = sep;
          break;
        }
      }
    } else {
      const cell = cellsOf(line, separator)[column];
      if (cell !== undefined) out.push({ start: offset + cell.start, end: offset + cell.start + cell.text.length });
    }
    offset += line.length + 1;
  }
  return out;
}

/** Birth dates such as `geb. am 01.02.1980` or `geboren 1.2.1980`; the quote is the date itself. */
export function recogniseBirthDates(text: string): EntityMatch[] {
  const cells = /[|;,]/.test(text) && /geb/i.test(text) ? birthColumnCells(text) : [];
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
