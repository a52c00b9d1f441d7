import { byPosition, entityMatch, matchAll, type EntityMatch } from '../entity-match.js';
import { SpanSet } from '../span-set.js';

/**
 * Words that announce a file reference in German letters (`Az.:`, `Aktenzeichen`, `Geschäftszeichen`,
 * `GZ`, `Kennzeichen`, `Unser Zeichen`, `Ihr Zeichen`). What follows them is read token by token.
 */
const MARKER =
  /(?<![\wÄÖÜäöüß])(?:Az\.?|AZ\.?|Aktenzeichen|Geschäftszeichen|Geschaeftszeichen|Gesch\.-?Z\.?|GZ\.?|Gz\.?|Kennzeichen|Unser Zeichen|Ihr Zeichen|Unser Az\.?|Ihr Az\.?)(?:[ \t]*[:.])?[ \t]*/g;

/**
 * The numbers an authority files a citizen under, which are personal data as much as an
 * Aktenzeichen: Kassenzeichen, Kundennummer, BG-Nummer (Jobcenter), Vorgangsnummer, Registernummer,
 * Beitragsnummer, Kindergeldnummer, `unter dem Zeichen …`. Any case: mails are often lower case.
 * A few filler words may stand between (`Das Aktenzeichen lautet`, `unsere BG-Nummer ist`).
 */
const NUMBER_MARKER =
  /(?<![\p{L}\d])(?:az|aktenzeichen|geschäftszeichen|kassenzeichens?|kundennummer|kunden-nr|bg-nummer|bg-nr|bg|vorgangsnummer|vorgangs-nr|vorgang|registernummer|register-nr|beitragsnummer|kindergeldnummer|mitgliedsnummer|versicherungsnummer|antragsnummer|antrags-nr|fallnummer|akte|zeichen|w-nr|ticketnummer|bearbeitungsnummer|referenznummer|bauantrag|nummer)\.?(?:[ \t]+(?:laut|gemäß|aus|des|der|im|vom)[ \t]+\p{L}+|[ \t]+\p{Lu}{2,6}(?=[ \t]*:))?(?:[ \t]*[:.])?(?:[ \t]+(?:lautet|ist|lauten|nr\.?|nummer))?[ \t]*:?[ \t]*/giu;

/** Shapes that are a file number wherever they stand: Jobcenter BG-Nummer, BA Kundennummer, Kindergeldnummer. */
const DISTINCT = /(?<![\w/])(?:\d{5}\/\/\d{7}|\d{5}BG\d{7}|\d{3}[A-Za-z]\d{6}|\d{3}FK\d{6})(?![\w/])/g;

/** An office's reference with a register code and a year (`32.1-OWi 4471/26`). */
const OFFICE_REF = /(?<![\p{L}\d.])\d{1,3}(?:\.\d{1,3})?-\p{L}{2,6}[ \t]+\d{1,6}\/\d{2,4}(?![\p{L}\d/])/gu;

/**
 * A reference written as one token of letters and digit groups joined by `-`, `/` or `.`, carrying a
 * year (`BA-2026-0317`, `51-KT-2026/0456`, `6.1-BVA-2026/015`, `IHK-FOSA-26-08812`, `234-W-1107/26`).
 * Dates (`12.03.2024`, `2026-01-15`) and plain number pairs are not.
 */
const YEAR_TOKEN =
  /(?<![\p{L}\d./-])(?=[\p{L}\d./-]*(?:19|20)\d\d|[\p{L}\d./-]*\/\d{2}(?![\d]))(?=[\p{L}\d./-]*[-/])[\p{L}\d]{1,12}(?:[-./]{1,2}[\p{L}\d]{1,12}){2,7}(?![\p{L}\d]|[./-][\p{L}\d])/gu;

/**
 * Court file numbers recognised without a marker: the Federal Constitutional Court (`1 BvR 123/20`)
 * and the general `chamber register number/year` shape (`2 C 123/24`, `4 StR 123/20`, `5 K 1234/22`,
 * and the Federal Administrative Court's `4 C 10.19`).
 */
const BVERFG =
  /(?<![\w/])(\d{1,2}[ \t]+(?:BvR|BvL|BvE|BvF|BvB|BvQ|BvC|BvK|BvP|PBvU|PBvV)[ \t]+\d{1,5}\/\d{2})(?![\w/])/g;
const COURT =
  /(?<![\w/-])((?:(?:[IVX]{1,4}-)?\d{1,3}[a-z]?(?:-\d{1,3})?|(?:VG|OVG|LSG|SG|LG|AG|OLG|S|L|B)[ \t]+\d{1,3})[ \t]+[A-Z][A-Za-z]{0,3}(?:[ \t]+[A-Z][A-Za-z]{0,2})?[ \t]+\d{1,6}(?:\/\d{2,4}(?:\.A)?|\.\d{2})(?:[ \t]+(?:B[ \t]+ER|ER|EASO|EA|SO|UG|WF|B|E)(?![\w]))?)(?![\w/]|\.\d)/g;

/** A register code before a year-bearing number (`BV 2026/0412`, `G 451/2026`). */
const CODE_YEAR =
  /(?<![\p{L}\d])[A-ZÄÖÜ]{1,4}[ \t]+(?:(?:19|20)\d\d[/-]\d{1,6}|[\d.-]{1,12}\/(?:19|20)\d\d)(?![\p{L}\d/])/gu;

/** A date, not a reference: `2026-01-15`, `15.01.2026`, `15/01/26`. */
const DATE_SHAPE = /^(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})$/;

/** Tokens a reference is built from: anything with a digit, roman numerals, short capitalised register codes, dashes. */
function isReferenceToken(token: string): boolean {
  return (
    token === '–' ||
    /^[A-Za-zÄÖÜäöü0-9./\-()]*\d[A-Za-zÄÖÜäöü0-9./\-()]*$/.test(token) ||
    /^[IVX]{1,4}$/.test(token) ||
    /^[A-ZÄÖÜ][A-Za-zÄÖÜäöü]{0,2}$/.test(token) ||
    /^[A-ZÄÖÜ]{1,3}-[A-ZÄÖÜ]{1,3}$/.test(token) ||
    token === '-' ||
    token === '/'
  );
}

/** A reference token is short; reading one stops after this many characters (`Az.Az.Az.…` would otherwise read the rest of the text at every marker). */
const MAX_TOKEN = 40;

/** Longest prefix of the tokens after a marker that forms a reference ending in a digit-bearing token. */
function readReference(text: string, from: number): { end: number } | null {
  const token = new RegExp(`[^ \\t\\n\\r,;]{1,${MAX_TOKEN + 1}}`, 'y');
  let i = from;
  let end = -1;
  for (let count = 0; count < 8; count++) {
    token.lastIndex = i;
    const m = token.exec(text);
    if (m === null || m[0].length > MAX_TOKEN) break;
    // A closing bracket or a full stop after the reference belongs to the sentence around it.
    let raw = m[0].replace(/[.:]+$/, '');
    if (raw.endsWith(')') && !raw.includes('(')) raw = raw.slice(0, -1).replace(/[.:]+$/, '');
    if (raw.startsWith('(')) break;
    if (raw.length === 0 || !isReferenceToken(raw)) break;
    if (/\d/.test(raw)) end = i + raw.length;
    i = m.index + m[0].length;
    const gap = /[ \t]+/y;
    gap.lastIndex = i;
    const g = gap.exec(text);
    if (g === null || g[0].length > 3) break;
    i += g[0].length;
  }
  return end > from ? { end } : null;
}

function normalise(quote: string): string {
  return quote.replace(/\s+/g, ' ').trim();
}

/**
 * Aktenzeichen, Geschäftszeichen and court file numbers. Marked references are read up to the last
 * digit-bearing token (so `vom 12.03.2024` or a following sentence stays out); unmarked court numbers
 * score lower because only their shape speaks for them.
 */
export function recogniseAktenzeichen(text: string): EntityMatch[] {
  const found: EntityMatch[] = [];
  const taken = new SpanSet(text.length);
  for (const m of matchAll(MARKER, text)) {
    const from = m.index + m[0].length;
    const ref = readReference(text, from);
    if (ref === null) continue;
    taken.add(from, ref.end);
    found.push(entityMatch('aktenzeichen', text, from, ref.end, normalise(text.slice(from, ref.end)), 0.9));
  }
  for (const m of matchAll(NUMBER_MARKER, text)) {
    const from = m.index + m[0].length;
    if (taken.overlaps(m.index, from)) continue;
    const ref = readReference(text, from);
    if (ref === null || !/\d{3}/.test(text.slice(from, ref.end))) continue;
    // `meine Nummer ist 069 / 27 40 11 83`: after the bare word a phone number is a phone number.
    if (/^(?:nummer|zeichen)/i.test(m[0]) && /^(?:\+|0)[\d \t/()-]{5,}$/.test(text.slice(from, ref.end))) continue;
    if (!taken.tryAdd(from, ref.end)) continue;
    found.push(entityMatch('aktenzeichen', text, from, ref.end, normalise(text.slice(from, ref.end)), 0.8));
  }
  for (const [pattern, confidence] of [
    [BVERFG, 0.9],
    [COURT, 0.7],
    [DISTINCT, 0.8],
    [CODE_YEAR, 0.65],
    [OFFICE_REF, 0.65],
    [YEAR_TOKEN, 0.6],
  ] as const) {
    for (const m of matchAll(pattern, text)) {
      const end = m.index + m[0].length;
      if (pattern === YEAR_TOKEN && DATE_SHAPE.test(m[0])) continue;
      if (!taken.tryAdd(m.index, end)) continue;
      found.push(entityMatch('aktenzeichen', text, m.index, end, normalise(m[0]), confidence));
    }
  }
  return found.sort(byPosition);
}
