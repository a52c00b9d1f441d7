import { entityMatch, matchAll, type EntityMatch } from '../entity-match.js';

/**
 * Steuernummer after its marker (in every case, `des Betriebs`/`beim Finanzamt …`/`lautet` between): the
 * Länder format (`21/815/08150`, `181/815/08155`, `93815/08152`, ten digits without slashes) or the
 * 13-digit federal format. Without the marker these shapes are indistinguishable from
 * Aktenzeichen, so no marker, no match.
 */
const STEUERNUMMER =
  /(?<![\p{L}])(?:Steuernummer|Steuer-Nr\.?|St\.-?Nr\.?|StNr\.?)(?:[ \t]+(?:des|der|beim|bei|vom|von)[ \t]+[\p{L}.-]{1,30}(?:[ \t]+[\p{L}.-]{1,30})?)?(?:[ \t]+(?:lautet|ist))?[ \t]*:?[ \t]*(\d{2,4}\/\d{3,4}\/\d{4,5}|\d{5}\/\d{5}|\d{3} ?\d{4} ?\d{4} ?\d{2}|\d{13}|\d{10,11})(?![\d/])/giu;

/** Steuernummern (not the Steuer-ID); the value keeps the slashes and drops blanks. */
export function recogniseSteuernummern(text: string): EntityMatch[] {
  const found: EntityMatch[] = [];
  for (const m of matchAll(STEUERNUMMER, text)) {
    const number = m[1] ?? '';
    const start = m.index + m[0].length - number.length;
    found.push(entityMatch('steuernummer', text, start, start + number.length, number.replace(/\s/g, ''), 0.85));
  }
  return found;
}
