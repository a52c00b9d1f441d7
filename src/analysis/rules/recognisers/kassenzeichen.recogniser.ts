import { byPosition, entityMatch, matchAll, type EntityMatch } from '../entity-match.js';

/**
 * The label words a municipal cash office puts before a payment reference (`Kassenzeichen`,
 * `Kassenz.`, `KZ`, `Buchungszeichen`, `Personenkonto`, `Debitorennummer`), then an optional `Nr.`,
 * source (`laut Gebührenbescheid`), `lautet`, colon. Only a labelled number counts: the shapes alone
 * are those of dates, amounts and phone numbers. Every gap is bounded so that a run of blanks is
 * read once.
 */
const LABEL =
  /(?<![\p{L}\d])(?:kassenzeichens?|kassenz\.|kassen-z\.|kz\.?|buchungszeichens?|personenkontos?(?:nummer|-?nr\.?)?|debitorennummer|debitoren-?nr\.?|debitor-?nr\.?)(?![\p{L}\d])(?:[ \t]{0,3}-?(?:nr\.?|nummer)(?![\p{L}]))?(?:[ \t]{1,3}(?:laut|gemäß|gemaess|aus|des|der|im)[ \t]{1,3}\p{L}{1,40})?(?:[ \t]{1,3}(?:lautet|ist)(?![\p{L}]))?[ \t]{0,3}:?[ \t]{0,3}/giu;

/**
 * One token of letter and digit groups joined by `.`, `-` or `/`, or digit groups split by single
 * blanks (`12 345 678 9`). A separator must be followed by a group, so trailing punctuation stays out.
 */
const TOKEN = /^[\p{L}\d]+(?:[./-][\p{L}\d]+|(?<=\d) (?=\d)\d+)*/u;

/**
 * Longer than any cash office's reference. The token is read from a slice this long, so labels glued
 * to each other (`kz1-kz1-kz1…`) cost a bounded read each instead of the rest of the text each.
 */
const MAX_LENGTH = 40;

/** Fewer digits than this are a count or a house number after a stray `KZ`, not a reference. */
const MIN_DIGITS = 4;

/**
 * Kassenzeichen and the same idea under other names (Buchungszeichen, Personenkonto,
 * Debitorennummer). The span is the reference as written; the value drops its inner blanks, so that
 * `12 345 678 9` and `123456789` are one reference.
 */
export function recogniseKassenzeichen(text: string): EntityMatch[] {
  const found: EntityMatch[] = [];
  for (const m of matchAll(LABEL, text)) {
    const from = m.index + m[0].length;
    const token = TOKEN.exec(text.slice(from, from + MAX_LENGTH + 1))?.[0];
    if (token === undefined || token.length > MAX_LENGTH) continue;
    if ((token.match(/\d/g)?.length ?? 0) < MIN_DIGITS) continue;
    found.push(entityMatch('kassenzeichen', text, from, from + token.length, token.replaceAll(' ', ''), 0.9));
  }
  return found.sort(byPosition);
}
