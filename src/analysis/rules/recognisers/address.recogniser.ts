import { byPosition, entityMatch, matchAll, type EntityMatch } from '../entity-match.js';
import { SpanSet } from '../span-set.js';

const UPPER = 'A-ZÄÖÜ';
const LOWER = 'a-zäöüß';
/** Endings of one-word street names (`Musterstraße`, `Hauptstr.`, `Lindenweg`, `Marktplatz`). */
const SUFFIX =
  '(?:straße|strasse|str\\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|steig|stieg|pfad|markt|graben|wall|promenade|kamp|twiete)';
/** Second words of two-word street names (`Berliner Straße`, `Alter Markt`). */
const SEPARATE =
  '(?:Straße|Strasse|Str\\.|Weg|Allee|Platz|Gasse|Ring|Damm|Ufer|Chaussee|Markt|Steig|Pfad|Graben|Wall|Promenade)';
/** Prepositional street names (`Am Markt`, `An der Kirche`, `Unter den Linden`). */
const PREPOSITION =
  '(?:Am|An der|An den|Auf der|Auf dem|Im|In der|In den|Zum|Zur|Hinter der|Hinter dem|Unter den|Vor dem|Bei der)';
/** House number with optional letter and range: `12`, `12a`, `12 a`, `3-5`, `12/1`. */
const HOUSE_NUMBER = `\\d{1,4}(?:[ \\t]?[a-zA-Z](?![${LOWER}A-Z]))?(?:[ \\t]?[-–/][ \\t]?\\d{1,4}[a-z]?)?`;
const HOUSE_NUMBER_END = '(?![\\d.,]\\d|\\d)';

const STREET_FORMS: readonly (readonly [RegExp, number])[] = [
  [
    new RegExp(
      `(?<![\\w${LOWER}${UPPER}])[${UPPER}][${LOWER}-]*${SUFFIX}[ \\t]+(${HOUSE_NUMBER})${HOUSE_NUMBER_END}`,
      'g',
    ),
    0.75,
  ],
  [
    new RegExp(
      `(?<![\\w${LOWER}${UPPER}])[${UPPER}][${LOWER}]+[ \\t]+${SEPARATE}[ \\t]+(${HOUSE_NUMBER})${HOUSE_NUMBER_END}`,
      'g',
    ),
    0.75,
  ],
  // Street names that are a bare street word (`Promenade 24-28`, `Allee 3`).
  [
    new RegExp(
      `(?<![\\w${LOWER}${UPPER}])(?:Promenade|Esplanade|Chaussee|Allee)[ \\t]+(${HOUSE_NUMBER})${HOUSE_NUMBER_END}`,
      'g',
    ),
    0.6,
  ],
  // Preposition forms also match "Im Abschnitt 3", so they score lower and allow at most three digits.
  [
    new RegExp(
      `(?<![\\w${LOWER}${UPPER}])${PREPOSITION}[ \\t]+[${UPPER}][${LOWER}]+(?:[ \\t]+[${UPPER}][${LOWER}]+)?[ \\t]+(\\d{1,3}[a-z]?)${HOUSE_NUMBER_END}`,
      'g',
    ),
    0.55,
  ],
];

/**
 * `12345 Ort`, optionally `D-12345`; the place may be hyphenated, carry a parenthesis (`Halle (Saale)`)
 * or a joining word (`Frankfurt am Main`). A second capitalised word alone is not taken: it is usually
 * the next sentence.
 */
const POSTCODE_PLACE = new RegExp(
  `(?<![\\d\\w])(?:D-)?(\\d{5})[ \\t]+((?:Bad |Sankt |St\\. )?[${UPPER}][${LOWER}]+(?:-[${UPPER}][${LOWER}]+)*(?:[ \\t]+(?:am|an der|im|in der|ob der|bei|vor der)[ \\t]+[${UPPER}][${LOWER}]+)?(?:[ \\t]+\\([${UPPER}][${LOWER}]+\\))?)`,
  'g',
);

/** How much may separate street and postcode for them to be one address: comma, blanks, one line break. */
const JOIN = /^[ \t]*,?[ \t]*(?:\r?\n[ \t]*)?$/;
/** Longer gaps than this cannot match {@link JOIN} in any text a person writes; they are not even sliced. */
const MAX_JOIN = 24;

function expandStreet(quote: string): string {
  return quote
    .replace(/\s+/g, ' ')
    .replace(/str\.(?=\s)/, 'straße')
    .replace(/Str\.(?=\s)/, 'Straße');
}

function recogniseStreets(text: string): EntityMatch[] {
  const found: EntityMatch[] = [];
  const taken = new SpanSet(text.length);
  for (const [pattern, confidence] of STREET_FORMS) {
    for (const m of matchAll(pattern, text)) {
      const end = m.index + m[0].length;
      if (!taken.tryAdd(m.index, end)) continue;
      found.push(entityMatch('address', text, m.index, end, expandStreet(m[0]), confidence));
    }
  }
  return found.sort(byPosition);
}

function recognisePlaces(text: string): EntityMatch[] {
  const found: EntityMatch[] = [];
  for (const m of matchAll(POSTCODE_PLACE, text)) {
    const postcode = m[1] ?? '';
    if (postcode.startsWith('00')) continue; // no German postcode starts with 00
    found.push(
      entityMatch(
        'address',
        text,
        m.index,
        m.index + m[0].length,
        `${postcode} ${(m[2] ?? '').replace(/\s+/g, ' ')}`,
        0.6,
      ),
    );
  }
  return found;
}

/**
 * Postal addresses: street with house number and `postcode place`. When the place follows its street
 * (same line after a comma, or the next line) both become one match with a combined value
 * `Musterstraße 12a, 12345 Musterstadt` and a higher confidence.
 */
export function recogniseAddresses(text: string): EntityMatch[] {
  const streets = recogniseStreets(text);
  const places = recognisePlaces(text);
  const used = new Set<EntityMatch>();
  const found: EntityMatch[] = [];
  // Both lists are in text order: only the first place after a street can join it (the text between
  // a street and any later place holds that first place), so one pointer walks the places once.
  let next = 0;
  for (const street of streets) {
    while (next < places.length && (places[next]?.start ?? 0) < street.end) next++;
    const candidate = places[next];
    const place =
      candidate !== undefined &&
      !used.has(candidate) &&
      candidate.start - street.end <= MAX_JOIN &&
      JOIN.test(text.slice(street.end, candidate.start))
        ? candidate
        : undefined;
    if (place === undefined) {
      found.push(street);
      continue;
    }
    used.add(place);
    found.push(entityMatch('address', text, street.start, place.end, `${street.value}, ${place.value}`, 0.9));
  }
  for (const place of places) if (!used.has(place)) found.push(place);
  return found.sort(byPosition);
}
