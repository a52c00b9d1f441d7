import { entityMatch, matchAll, type EntityMatch } from '../entity-match.js';

/** Pragmatic address pattern; umlaut domains (IDN) are allowed because German authorities use them. */
const EMAIL =
  /(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9äöüÄÖÜ](?:[A-Za-z0-9äöüÄÖÜ-]{0,61}[A-Za-z0-9äöüÄÖÜ])?\.)+[A-Za-z]{2,24}(?![\w-])/g;

/** E-mail addresses; the domain is lower-cased in the value, the local part kept as written. */
export function recogniseEmails(text: string): EntityMatch[] {
  const found: EntityMatch[] = [];
  for (const m of matchAll(EMAIL, text)) {
    const at = m[0].lastIndexOf('@');
    const value = m[0].slice(0, at) + m[0].slice(at).toLowerCase();
    found.push(entityMatch('email', text, m.index, m.index + m[0].length, value, 0.97));
  }
  return found;
}
