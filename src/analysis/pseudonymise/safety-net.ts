import type { EntityKind } from '../../jobs/entity-kinds.js';
import { entityMatch, type EntityMatch } from '../rules/entity-match.js';
import { isGermanKey, isGermanWord } from '../rules/german-lexicon.js';
import { givenNames, surnames } from '../rules/name-gazetteer.js';
import { nameKey } from '../rules/name-key.js';
import {
  COMMON_LOWER,
  CUES,
  FIRM,
  INSTITUTION_END,
  MONTHS,
  NEVER,
  NOT_BEFORE_ECHO,
  NOUN_END,
  PLACE_BEFORE,
  ROLES,
  STREET_END,
} from '../rules/recognisers/person-name.words.js';

/**
 * What the recognisers miss, the pseudonymiser still hides before a text leaves the house.
 *
 * The recognisers must be precise: their matches become findings a person reviews. Hiding is a
 * different trade: a word hidden wrongly costs the model a little context, a name or file number
 * sent out costs the person their data (issue #14). So for the text an external provider gets,
 * these shapes are hidden whatever the recognisers said, none of them a finding:
 * - a Sozialversicherungsnummer's shape, its check digit unchecked (a typo in it is still the person's);
 * - what follows a reference's label (`Kunden-Nr. 123 456 789`), whatever its shape;
 * - file numbers and other references: a token of digits with a slash, letters mixed with digits,
 *   three or more number groups that are no date, seven or more digits; with the short parts of a
 *   court's register around it (`4 K 1234/25`, `Ds 120 Js 4711/25`, `L 7 AS 112/25 B ER`);
 * - the value of a form field about a person or an address (`Beschäftigter: …`, `ANSCHRIFT: …`);
 * - an address before a postcode (`Kerkstraat 18, 6211 KE Maastricht`);
 * - every capitalised word the name gazetteer knows, unless a German noun after an article (`im Sommer`);
 * - a word broken across lines whose halves make a name (`Kowal-⏎czyk`);
 * - every capitalised word that is no German word, abbreviation or place (german-lexicon.ts): the
 *   names no gazetteer lists (`Olusegun Adeyemi`), at the cost of foreign words.
 * Every rule reads the text once and looks a bounded number of words around each hit: linear.
 */

/** A number-bearing token: letters and digits joined by inner `.`, `/`, `-`, `–`. */
const TOKEN = /[\p{L}\p{N}](?:[\p{L}\p{N}]|[./\-–](?=[\p{L}\p{N}]))*/gu;

/** Short function words that never belong to a file number before it (`unter BG 2025/1744`). */
const FUNCTION_WORDS = new Set(
  'am an auf aus bei bis das dem den der des die ein im in ist mit nach per so und vom von vor zu zum zur für fur ab als'.split(
    ' ',
  ),
);

/** A date, or a year and month (`2026/03`; not `4471/24`, a court's number). */
const DATE = /^(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2}|(?:19|20)\d\d\/(?:0[1-9]|1[0-2]))$/;
const YEAR_RANGE = /^(?:19|20)\d\d[-–/](?:19|20)?\d\d$/;
/** Thousands separated by dots (`1.250.000`): an amount. */
const THOUSANDS = /^\d{1,3}(?:\.\d{3})+$/;
/** A house number (`12a`), a measure (`20kg`, `3x`), an ordinal (`2te`): no reference. */
const MEASURE = /^\d{1,4}[a-z]?$|^\d+(?:kg|km|m|m2|qm|cm|mm|ha|h|min|x|te|ten|er|mb|gb|kb|l|t|eur|st)$/i;

function digitCount(s: string): number {
  let n = 0;
  for (const c of s) if (c >= '0' && c <= '9') n++;
  return n;
}

/** Is this token a reference (file number, customer number, account, …) rather than a date or an amount? */
function isReference(token: string, after: string): boolean {
  const digits = digitCount(token);
  if (digits < 3 || DATE.test(token) || YEAR_RANGE.test(token) || THOUSANDS.test(token) || MEASURE.test(token))
    return false;
  // `1.234,56 €`: an amount's integer part.
  if (/^,\d/.test(after)) return false;
  if (token.includes('/')) return true;
  if (/\p{L}/u.test(token)) return true;
  const groups = token.split(/[.\-–]/).length;
  if (groups >= 3) return digits >= 6;
  if (groups === 2) return digits >= 6;
  return digits >= 7;
}

/** A short part of a court's or an office's register beside a number (`K`, `BvR`, `Js`, `120`, `3100`, `abh`, `k`). */
function isRegisterPart(token: string): boolean {
  if (/^\d{1,4}$/.test(token)) return true;
  if (/^(?=.*\p{Lu})[\p{L}]{1,4}$/u.test(token)) return true;
  return /^\p{Ll}{1,3}$/u.test(token) && !FUNCTION_WORDS.has(token);
}

function references(text: string): EntityMatch[] {
  const tokens = [...text.matchAll(TOKEN)];
  const out: EntityMatch[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === undefined || !isReference(t[0], text.slice(t.index + t[0].length, t.index + t[0].length + 2))) continue;
    let start = t.index;
    // Register parts before it on the same line, one blank or a dash apart, at most four (`14 Cs 502 Js 1187/25`).
    for (let k = i - 1, n = 0; k >= 0 && n < 4; k--, n++) {
      const p = tokens[k];
      if (p === undefined || !/^[ \t]+(?:[–-][ \t]+)?$/.test(text.slice(p.index + p[0].length, start))) break;
      if (!isRegisterPart(p[0]) || /^[.:]/.test(text.slice(p.index + p[0].length))) break;
      start = p.index;
    }
    let end = t.index + t[0].length;
    // Capital letters after it (`112/25 B ER`), at most two.
    let j = i + 1;
    for (; j < tokens.length && j <= i + 2; j++) {
      const n = tokens[j];
      if (n === undefined || !/^[ \t]$/.test(text.slice(end, n.index)) || !/^\p{Lu}{1,3}$/u.test(n[0])) break;
      end = n.index + n[0].length;
    }
    out.push(entityMatch('aktenzeichen', text, start, end, text.slice(start, end), 0.3));
    i = j - 1;
  }
  return out;
}

/**
 * Labels of a reference: what follows them is a file, customer or case number however it is written
 * (`Kunden-Nr. 123 456 789`, `Ihr Zeichen: SG 32.1 – 1123/26`). Matched on the label's last word.
 */
const REFERENCE_LABEL =
  /(?<![\p{L}])(?:az|aktenzeichen|gz|geschaftszeichen|geschäftszeichen|zeichen|kassenzeichen|kundennummer|kunden-?nr|vorgangsnummer|vorgangs-?nr|antragsnummer|antrags-?nr|bg-?nummer|bg-?nr|nummer|nr|kennziffer|registernummer|mandatsreferenz|referenz|vertragsnummer|versicherungsnummer|personalnummer|matrikelnummer|fallnummer|akte|vorgang|ref|blatt|hra|hrb|vr|gnr|pr)\.?[ \t]*:?[ \t]*/giu;
/** Register signs that belong to their number (`HRB 12345`, `VR 4711`): hidden with it. */
const REGISTER_SIGN = /^(?:hra|hrb|vr|gnr|pr)\b/i;
/** A part of a reference after its label: digits in it, or a short register part (`K`, `BvR`, `SG`, `abh`). */
const REFERENCE_PART = /^(?:[\p{L}\p{N}]*\p{N}[\p{L}\p{N}]*|\p{Lu}[\p{L}]{0,3}|\p{Ll}{1,3})$/u;

function labelledReferences(text: string): EntityMatch[] {
  const out: EntityMatch[] = [];
  for (const label of text.matchAll(REFERENCE_LABEL)) {
    const from = label.index + label[0].length;
    // The value: tokens (letters and digits joined by `./-–`) on the label's line, blanks or one dash between.
    let end = from;
    let digits = 0;
    for (const t of text.slice(from, from + 48).matchAll(TOKEN)) {
      const gap = text.slice(end, from + t.index);
      if (end > from && !/^[ \t]*(?:[–-][ \t]*)?$/.test(gap)) break;
      if (end === from && t.index > 0) break;
      if (!REFERENCE_PART.test(t[0].replace(/[./\-–]/g, '')) || FUNCTION_WORDS.has(t[0].toLowerCase())) break;
      digits += digitCount(t[0]);
      end = from + t.index + t[0].length;
    }
    const start = REGISTER_SIGN.test(label[0]) ? label.index : from;
    if (digits >= 2 && !DATE.test(text.slice(from, end)))
      out.push(entityMatch('aktenzeichen', text, start, end, text.slice(start, end), 0.3));
  }
  return out;
}

/** Field labels whose value is a person (beyond the recognisers' role words). Keys (lower case, no diacritics). */
const PERSON_FIELDS = new Set([
  ...ROLES,
  ...'person personen eltern mutter vater kinder kindes beschaftigter beschaftigte arbeitnehmer arbeitnehmerin partner partnerin lebenspartner lebenspartnerin schuldner schuldnerin glaubiger glaubigerin betreuer betreuerin vormund einziehende ausziehende ehepartner ehepartnerin inhaberin'.split(
    ' ',
  ),
]);
const ADDRESS_FIELDS = new Set(
  'anschrift adresse adres address wohnort wohnsitz wohnung wohnhaft postanschrift meldeadresse hauptwohnung nebenwohnung strasse'.split(
    ' ',
  ),
);
/** `Label: value` on one line; the label short. */
const FIELD = /^[ \t]*([^:\n]{1,48}):[ \t]*([^\n]+)$/gmu;

function fieldValues(text: string): EntityMatch[] {
  const out: EntityMatch[] = [];
  for (const m of text.matchAll(FIELD)) {
    const label = m[1] ?? '';
    // A name or an address fits in a few hundred characters; the searches below look no further
    // (on a whole line of blanks or commas they would back off quadratically).
    const value = (m[2] ?? '').slice(0, 240);
    const keys = (label.match(/\p{L}+/gu) ?? []).map(nameKey);
    const valueStart = m.index + m[0].length - (m[2] ?? '').length;
    let kind: EntityKind | undefined;
    let length = 0;
    if (keys.some((k) => ADDRESS_FIELDS.has(k))) {
      kind = 'address';
      // To the end of the line, short of a phone or mail field written on it.
      length = value.search(/[ \t,;]+(?:tel|telefon|fon|mobil|e-mail|email|mail)\b|$/i);
    } else if (keys.some((k) => PERSON_FIELDS.has(k))) {
      out.push(...personValues(text, valueStart, value));
      continue;
    }
    const quote = value.slice(0, length).trimEnd();
    if (kind === undefined || !/\p{L}/u.test(quote) || quote.length > 120) continue;
    out.push(entityMatch(kind, text, valueStart, valueStart + quote.length, quote, 0.3));
  }
  return out;
}

/**
 * The names in a person field's value: each comma- or `und`-separated part's leading words up to a
 * date, a number or a parenthesis (`Abdullahi (geb. …), Ubah (geb. …)`, `Alhamwi, Mohamad`). A part
 * that starts in lower case is prose (`wohnhaft in …`) unless the whole value is lower case.
 */
function personValues(text: string, valueStart: number, value: string): EntityMatch[] {
  const out: EntityMatch[] = [];
  const lowerValue = value.toLowerCase() === value;
  for (const part of value.matchAll(/[^,;]+/g)) {
    for (const piece of part[0].matchAll(/(?:^|[ \t]und[ \t])[ \t]*([^\d(]+)/g)) {
      const words = (piece[1] ?? '').replace(/[ \t]+(?:geb|geboren)\b.*$/iu, '').trimEnd();
      if (!/\p{L}/u.test(words) || words.length > 80) continue;
      if (!lowerValue && !/^(?:\p{Lu}|(?:von|van|de|al|el|zu)[ \t-])/u.test(words)) continue;
      const start = valueStart + part.index + piece.index + (piece[0].length - (piece[1] ?? '').length);
      out.push(entityMatch('person-name', text, start, start + words.length, words, 0.3));
    }
  }
  return out;
}

/** A postcode (`04315`, `6211 KE`, `D-79000`) and the place after it on the line, up to four words. */
const POSTCODE_PLACE =
  /(?<![\p{L}\p{N}])(?:\p{Lu}{1,2}-)?\d{4,6}(?:[ \t]\p{Lu}{2})?[ \t]+\p{L}[\p{L}.'’()-]*(?:[ \t]+\p{L}[\p{L}.'’()-]*){0,3}/gu;
/** A flat or block segment (`Whg. 7`, `AP. 12`, `BL. A2`, `kv. 7`). */
const FLAT = /^\p{L}{1,4}\.?[ \t]?\p{L}?\d{1,4}\p{L}?$/u;
/** A house number at the end of a segment (`Kerkstraat 18`, `9A`, `12-2`). */
const HOUSE_NUMBER = /(?<![\p{L}\p{N}])\d{1,4}[ \t]?\p{L}?(?:[-/]\d{1,4}\p{L}?)?[ \t]*$/u;
const STREET_STOP = new Set(
  'in im am an auf bei der die dem den des und wohne wohnt wohnen wohnhaft nach von vom aus zur zum seit unter ist'.split(
    ' ',
  ),
);
/** Up to four words before a house number on its line: the street (`Van Baerlestraat`, `bul. Vasil Levski`). */
const STREET_WORDS = /(?:\p{L}[\p{L}.'’-]*[ \t]+){1,4}$/u;

/** Where the address whose postcode starts at `at` begins, or undefined when no house number precedes it. */
function addressStart(text: string, at: number): number | undefined {
  let start = at;
  // Back over `, Whg. 7` and `, BL. A2` to the segment that ends in the house number.
  for (let n = 0; n < 4; n++) {
    const comma = /,[ \t]*$/.exec(text.slice(Math.max(0, start - 4), start));
    if (comma === null) return undefined;
    const commaAt = start - comma[0].length;
    const segment = /[^,\n]{1,60}$/.exec(text.slice(Math.max(0, commaAt - 60), commaAt));
    if (segment === null) return undefined;
    const segStart = commaAt - segment[0].length;
    const trimmed = segment[0].trim();
    if (FLAT.test(trimmed)) {
      start = segStart + (segment[0].length - segment[0].trimStart().length);
      continue;
    }
    const number = HOUSE_NUMBER.exec(segment[0]);
    if (number === null) return undefined;
    const numberAt = segStart + number.index;
    const words = STREET_WORDS.exec(text.slice(Math.max(segStart, numberAt - 60), numberAt));
    if (words === null) return undefined;
    // The street's words, not the verb or article before it (`wohne in der kurze straße 3`).
    const list = [...words[0].matchAll(/\S+/g)];
    let from: number | undefined;
    for (let k = list.length - 1; k >= 0; k--) {
      const w = list[k];
      if (w === undefined || (/^\p{Ll}/u.test(w[0]) && STREET_STOP.has(w[0]))) break;
      from = w.index;
    }
    return from === undefined ? undefined : numberAt - words[0].length + from;
  }
  return undefined;
}

function postalAddresses(text: string): EntityMatch[] {
  const out: EntityMatch[] = [];
  for (const m of text.matchAll(POSTCODE_PLACE)) {
    const start = addressStart(text, m.index);
    if (start === undefined) continue;
    const end = m.index + m[0].replace(/[ \t.,;:]+$/u, '').length;
    out.push(entityMatch('address', text, start, end, text.slice(start, end), 0.3));
  }
  return out;
}

/** A capitalised word (`Sommer`, `HOXHA`, `Al-Saadi`); hyphen parts count. */
const CAP_WORD = /(?<![\p{L}\p{M}])\p{Lu}[\p{L}\p{M}]*(?:['’-][\p{L}\p{M}]+)*/gu;
/** Any word: for a writer who writes everything in lower case. */
const ANY_WORD = /(?<![\p{L}\p{M}])\p{L}[\p{L}\p{M}]*(?:['’-][\p{L}\p{M}]+)*/gu;

/** The most words one placeholder of the lexicon rule covers (`Nguyễn Thị Thu Trang`). */
const MAX_NAME_WORDS = 4;

/** Fewer than one word in twenty capitalised: names are written in lower case too (`gruß d. petrovic`). */
function lowerCaseWriter(text: string): boolean {
  let words = 0;
  let capitalised = 0;
  for (const m of text.matchAll(/\p{L}{3,}/gu)) {
    words++;
    if (/^\p{Lu}/u.test(m[0])) capitalised++;
  }
  return words >= 4 && capitalised * 20 < words;
}

/** `lower`: the writer writes in lower case ({@link lowerCaseWriter}), so every word is looked at. */
function knownNameWords(text: string, lower: boolean): EntityMatch[] {
  const given = givenNames();
  const family = surnames();
  const words = [...text.matchAll(lower ? ANY_WORD : CAP_WORD)];
  const isName = (w: string): boolean => {
    const key = nameKey(w);
    if (w.length < 2 || NEVER.has(key) || MONTHS.has(key) || (lower && COMMON_LOWER.has(key))) return false;
    return key.split('-').some((p) => (given.has(p) || family.has(p)) && !NEVER.has(p) && p.length >= 3);
  };
  /** A capitalised word right beside a name on its line (`Filmon Tekle Haile`): a part of it. */
  const beside = (a: RegExpExecArray | undefined, b: RegExpExecArray | undefined): boolean =>
    a !== undefined &&
    b !== undefined &&
    /^[ \t]$/.test(text.slice(a.index + a[0].length, b.index)) &&
    [a, b].every((x) => !NEVER.has(nameKey(x[0])) && !(lower && COMMON_LOWER.has(nameKey(x[0]))));
  const out: EntityMatch[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === undefined || !isName(w[0]) || commonNounHere(text, w)) continue;
    let first = i;
    while (first > i - 2 && beside(words[first - 1], words[first]) && mayLead(text, words[first - 1])) first--;
    let last = i;
    while (last < i + 2 && beside(words[last], words[last + 1])) last++;
    const from = words[first]?.index ?? w.index;
    const lastWord = words[last] ?? w;
    const to = lastWord.index + lastWord[0].length;
    out.push(entityMatch('person-name', text, from, to, text.slice(from, to), 0.3));
    i = last;
  }
  return out;
}

/**
 * Capitalised words that are no German word (german-lexicon.ts): names of every origin the gazetteer
 * does not know (`Olusegun`, `Jeyakumar`), and at a cost, places and foreign words. Neighbours on one
 * line become one match, so a full name gets one placeholder.
 */
function unknownWords(text: string, lower: boolean): EntityMatch[] {
  const runs: { start: number; end: number; words: number }[] = [];
  for (const w of text.matchAll(lower ? ANY_WORD : CAP_WORD)) {
    const key = nameKey(w[0]);
    if (w[0].length < 2 || NEVER.has(key) || MONTHS.has(key) || isGermanKey(key)) continue;
    const end = w.index + w[0].length;
    const last = runs[runs.length - 1];
    // A name has a few words; a longer run of unknown words (a foreign sentence) is cut into names' lengths.
    if (last !== undefined && last.words < MAX_NAME_WORDS && /^[ \t]$/.test(text.slice(last.end, w.index))) {
      last.end = end;
      last.words++;
    } else runs.push({ start: w.index, end, words: 1 });
  }
  return runs.map((r) => entityMatch('person-name', text, r.start, r.end, text.slice(r.start, r.end), 0.2));
}

/** The word before `w` on its line, as a key; empty when there is none. */
function wordBefore(text: string, w: RegExpExecArray): string {
  const before = /(\p{L}+)[ \t]+$/u.exec(text.slice(Math.max(0, w.index - 24), w.index));
  return before?.[1] === undefined ? '' : nameKey(before[1]);
}

/** A name that is also a German noun, after an article or a firm's word (`im Sommer`, `der Richter`, `Bäckerei Koch`): the noun. */
function commonNounHere(text: string, w: RegExpExecArray): boolean {
  return NOT_BEFORE_ECHO.has(wordBefore(text, w)) && isGermanWord(w[0]);
}

/**
 * A word that OCR or a narrow column broke across lines (`Kowal-⏎czyk`, `Dumi-⏎trescu`): joined, a name
 * when the gazetteer knows it or it is no German word (`Ortsbür-⏎germeister` stays). Both pieces are hidden.
 */
const BROKEN_WORD = /(?<![\p{L}\p{M}])(\p{Lu}[\p{L}\p{M}]*)-[ \t]*\r?\n[ \t]*(\p{Ll}[\p{L}\p{M}]*)/gu;

function brokenNames(text: string): EntityMatch[] {
  const given = givenNames();
  const family = surnames();
  const out: EntityMatch[] = [];
  for (const m of text.matchAll(BROKEN_WORD)) {
    const joined = `${m[1] ?? ''}${m[2] ?? ''}`;
    const key = nameKey(joined);
    if (NEVER.has(key) || !(given.has(key) || family.has(key) || !isGermanKey(key))) continue;
    out.push(entityMatch('person-name', text, m.index, m.index + m[0].length, m[0], 0.3));
  }
  return out;
}

/** Words that introduce a name rather than belong to it: cues, roles, firms' and places' words. */
const LEADS = new Set([...ROLES, ...PERSON_FIELDS, ...FIRM, ...PLACE_BEFORE, ...CUES.map(([seq]) => seq[0] ?? '')]);

/**
 * May the capitalised word before a known name be its first part (`Hawa` in `Hawa Ali Hussein`)? Not
 * at a sentence's start, not a cue or role (`Eheleute`, `Bäckerei`), not a noun by its ending or a
 * genitive or plural (`Sohnes`, `Kindern`).
 */
function mayLead(text: string, w: RegExpExecArray | undefined): boolean {
  if (w === undefined || /[.!?:]\s*$/.test(text.slice(Math.max(0, w.index - 3), w.index))) return false;
  return !nounLike(nameKey(w[0]));
}

/** A cue, role, firm's or place's word, or a noun by its ending, genitive or plural (`Sohnes`, `Kindern`). */
function nounLike(key: string): boolean {
  return (
    LEADS.has(key) ||
    NOUN_END.test(key) ||
    INSTITUTION_END.test(key) ||
    STREET_END.test(key) ||
    /(?:leute|ei|es|ern|ers)$/.test(key)
  );
}

/** An initial and a capitalised word (`K. Jeyakumar`, `E. Tchoupo`), not after a letter or dot (`z. B. Antrag`). */
const INITIAL_NAME =
  /(?<!\p{L}\.[ \t]?)(?<![\p{L}\p{N}])\p{Lu}\.[ \t]?\p{Lu}[\p{Ll}\p{M}]+(?:-\p{Lu}[\p{Ll}\p{M}]+)?/gu;

function initialNames(text: string): EntityMatch[] {
  return [...text.matchAll(INITIAL_NAME)]
    .filter((m) => {
      const word = m[0].replace(/^\p{Lu}\.[ \t]?/u, '');
      const key = nameKey(word);
      return !NEVER.has(key) && !MONTHS.has(key) && !nounLike(key);
    })
    .map((m) => entityMatch('person-name', text, m.index, m.index + m[0].length, m[0], 0.3));
}

/** A run of words in a script other than Latin (`Евгений Смирнов`, `محمد`): in a German letter, a name or a place. */
const OTHER_SCRIPT =
  /[\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Han}\p{Script=Hangul}\p{Script=Ethiopic}\p{Script=Georgian}\p{Script=Armenian}\p{Script=Devanagari}\p{Script=Tamil}\p{Script=Thai}]+(?:[ \t]+[\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Han}\p{Script=Hangul}\p{Script=Ethiopic}\p{Script=Georgian}\p{Script=Armenian}\p{Script=Devanagari}\p{Script=Tamil}\p{Script=Thai}\p{M}]+)*/gu;

function otherScripts(text: string): EntityMatch[] {
  return [...text.matchAll(OTHER_SCRIPT)].map((m) =>
    entityMatch('person-name', text, m.index, m.index + m[0].length, m[0], 0.3),
  );
}

/** A Sozialversicherungsnummer's shape (`12 150389 M 123`) whether or not its check digit is right. */
const SV_SHAPE = /(?<![\p{L}\p{N}])\d{2}[ \t]?\d{6}[ \t]?\p{Lu}[ \t]?\d{2}[ \t]?\d(?![\p{L}\p{N}])/gu;

function svShapes(text: string): EntityMatch[] {
  return [...text.matchAll(SV_SHAPE)].map((m) =>
    entityMatch('sozialversicherungsnummer', text, m.index, m.index + m[0].length, m[0], 0.3),
  );
}

/** Every net's matches; they overlap each other and the recognisers' matches (see {@link pseudonymise}). */
export function safetyNet(text: string): EntityMatch[] {
  const lower = lowerCaseWriter(text);
  return [
    ...svShapes(text),
    ...references(text),
    ...labelledReferences(text),
    ...fieldValues(text),
    ...postalAddresses(text),
    ...knownNameWords(text, lower),
    ...unknownWords(text, lower),
    ...brokenNames(text),
    ...initialNames(text),
    ...otherScripts(text),
  ];
}
