import { entityMatch, matchAll, type EntityMatch } from '../entity-match.js';
import { recogniseDates } from './date.recogniser.js';

/**
 * The words that tie a date to the document before it: `vom`, `v.`, `datiert (auf|am|vom) (den)`,
 * `datierend vom`, with an optional colon. Anchored at the end of the text before the date.
 */
const CONNECTOR =
  /(?<![\p{L}])(?:vom|v\.|datiert(?:[ \t]{1,3}(?:auf|am|vom))?(?:[ \t]{1,3}den)?|datierend[ \t]{1,3}vom)[ \t]{0,3}:?[ \t]{0,3}$/iu;

/** `Bescheid: 12.11.2026`, `Wohngeldbescheid 20.02.2026`: the date right after the word. */
const DIRECT = /[ \t]{0,3}[:,]?[ \t]{0,3}$/u;

/**
 * The word `bescheid`, alone or at the end of a compound (`Wohngeldbescheid`), with its inflections
 * (`Bescheides`, `Bescheiden`) but not the adjective `bescheidene`; and the other names of an
 * administrative act a writer objects to (`Ordnungsverfügung`, `Gebührenfestsetzung`).
 */
const KEYWORD = /(?:bescheid(?:es|s|e|en)?|verfügung(?:en)?|verfuegung(?:en)?|festsetzung(?:en)?)(?![\p{L}])/giu;

/** A sentence or paragraph ends between word and date: `!`, `?`, `;` or a blank line. */
const CLAUSE_END = /[!?;]|\n[ \t]*\n/u;

/**
 * Words whose full stop ends no sentence, lower case. References in brackets are full of them
 * (`Bescheid (Az. 63-2026/17, Abs. 2) vom …`); a single letter (`z. B.`, `d. J.`, initials) is one too.
 */
const ABBREVIATIONS = new Set(
  'az gz nr abs bzw vgl ggf evtl ca str tel geb dr fr hr hrn lt gem ff kap art ziff lfd bes amtl stv ref bl sog inkl zzgl usw etc pp jan feb mrz apr aug sep sept okt nov dez gesch aktz kassenz'.split(
    ' ',
  ),
);

/** Does a full stop followed by a blank end a sentence in this text? The word before each is read backwards once. */
function hasSentenceEnd(text: string): boolean {
  if (CLAUSE_END.test(text)) return true;
  for (const m of text.matchAll(/\.(?=\s)/g)) {
    let start = m.index;
    while (start > 0 && /\p{L}/u.test(text.charAt(start - 1))) start--;
    const word = text.slice(start, m.index).toLowerCase();
    // Digits or a bracket before the stop (`… 2026/17. Vom`) end a sentence too.
    if (word.length === 0 || (word.length > 1 && !ABBREVIATIONS.has(word))) return true;
  }
  return false;
}

/**
 * Documents with dates of their own: in `Bescheid zu meinem Antrag vom 3.2.2026` the date is the
 * application's, in `Bescheid für den Zeitraum vom …` the start of a period.
 */
const OTHER_DOCUMENT =
  /antrag|schreiben|widerspruch|einspruch|telefonat|gespräch|gespraech|mail|brief|anhörung|anhoerung|mitteilung|rechnung|vertrag|nachricht|termin|urteil|beschluss|anfrage|anruf|zahlung|überweisung|ueberweisung|mahnung|zeitraum|monat|geburt|geb\./iu;

/** `vom 1.1.2026 bis 31.12.2026`: the start of a period, not the day a decision was made. */
const PERIOD_AFTER = /^[ \t]*(?:bis|–|-)[ \t]*(?:zum[ \t]+)?\d/iu;

/** Most text allowed between the `bescheid…` word and the connector (`Bescheid (Az. 63-2026/17) des Landkreises`). */
const MAX_GAP = 60;
/** How far before a date the search looks: the word with its inflection, the gap and the longest connector. */
const LOOK_BEHIND = 'bescheides'.length + MAX_GAP + 30;

/** The last `bescheid…` word in the text, if any. */
function lastKeyword(text: string): { start: number; end: number } | undefined {
  let last: { start: number; end: number } | undefined;
  for (const m of matchAll(KEYWORD, text)) last = { start: m.index, end: m.index + m[0].length };
  return last;
}

function isBescheidDate(text: string, start: number, end: number): boolean {
  if (PERIOD_AFTER.test(text.slice(end, end + 16))) return false;
  const before = text.slice(Math.max(0, start - LOOK_BEHIND), start);
  const connector = CONNECTOR.exec(before);
  if (connector === null) {
    const direct = DIRECT.exec(before);
    return direct !== null && lastKeyword(before.slice(0, direct.index))?.end === direct.index;
  }
  const word = lastKeyword(before.slice(0, connector.index));
  if (word === undefined || connector.index - word.end > MAX_GAP) return false;
  return (
    !hasSentenceEnd(before.slice(word.start, connector.index)) &&
    !OTHER_DOCUMENT.test(before.slice(word.end, connector.index))
  );
}

/**
 * The date of the Bescheid a writer refers to (`Bescheid vom 12.11.2026`, `Ihren Wohngeldbescheid
 * vom 3.2.26`, `Gebührenbescheid, datiert 4.9.2026`). The span is the date alone, parsed by the date
 * recogniser, so a date it does not read (`vom 2. Okt.`, no year) is no Bescheid date either. Each date
 * looks a bounded distance back: linear in the text.
 */
export function recogniseBescheidDates(text: string): EntityMatch[] {
  return recogniseDates(text)
    .filter((d) => isBescheidDate(text, d.start, d.end))
    .map((d) => entityMatch('bescheid-date', text, d.start, d.end, d.value, Math.min(0.85, d.confidence)));
}
