import { isValidSteuerId } from '../check-digits.js';
import { entityMatch, matchAll, type EntityMatch } from '../entity-match.js';

/** 11 digits, printed compact or grouped `12 345 678 901`; never part of a longer number. */
const STEUER_ID = /(?<![\d.,/-])(\d{2}[ \t]?\d{3}[ \t]?\d{3}[ \t]?\d{3})(?![\d.,/-]\d|\d)/g;

const STEUER_ID_MARKER =
  /(?:steuer-?id|steuerliche[n]? identifikationsnummer|identifikationsnummer|idnr\.?|tin)[ \t]*(?:\(idnr\.?\))?[ \t]*:?[ \t]*$/i;

/**
 * Steuerliche Identifikationsnummer (§ 139b AO). Only numbers whose ISO 7064 check digit and digit
 * distribution are valid are reported; a marker word before the number raises the confidence.
 */
export function recogniseSteuerIds(text: string): EntityMatch[] {
  const found: EntityMatch[] = [];
  for (const m of matchAll(STEUER_ID, text)) {
    const digits = m[0].replace(/\D/g, '');
    if (!isValidSteuerId(digits)) continue;
    const announced = STEUER_ID_MARKER.test(text.slice(Math.max(0, m.index - 45), m.index));
    // A random 11-digit number passes the check digit one time in ten, hence the lower unannounced score.
    found.push(entityMatch('steuer-id', text, m.index, m.index + m[0].length, digits, announced ? 0.97 : 0.7));
  }
  return found;
}
