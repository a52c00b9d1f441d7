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
  '(?:Am|An der|An den|Auf der|Auf dem|Im|In der|In den|Zum|Zur|Hinter der|Hinter dem|Hintern|Unter den|Vor dem|Bei der)';
/** Street words of other countries before the name (`Via Roma 12`, `Rue de Rivoli 5`, `ul. Długa 5`). */
const FOREIGN = '(?:Via|Viale|Piazza|Rua|Rue|Calle|Avenida|Avenue|ul\\.|ulica|Odos)';
/** House number with optional letter and range: `12`, `12a`, `12 a`, `3-5`, `12/1`. */
const HOUSE_NUMBER = `\\d{1,4}(?:[ \\t]?[a-zA-Z](?![${LOWER}A-Z]))?(?:[ \\t]?[-–/][ \\t]?\\d{1,4}[a-z]?)?`;
const HOUSE_NUMBER_END = '(?![\\d.,]\\d|\\d)';

const STREET_FORMS: readonly (readonly [RegExp, number])[] = [
  // Prepositional names first: `Am Wolfsgraben 9` is one street, not `Wolfsgraben 9`.
  [
    new RegExp(
      `(?<![\\w${LOWER}${UPPER}])(?:${PREPOSITION}[ \\t]+[${UPPER}][${LOWER}]+(?:[ \\t]+[${UPPER}][${LOWER}]+)?|(?:AM|AN DER|AUF DER|IM|IN DER|ZUM|ZUR)[ \\t]+[${UPPER}]{3,}(?:[ \\t]+[${UPPER}]{3,})?)[ \\t]+(\\d{1,3}[a-zA-Z]?(?:[ \\t]?[-–][ \\t]?\\d{1,3}[a-z]?)?)${HOUSE_NUMBER_END}`,
      'g',
    ),
    0.55,
  ],
  // An adjective before a compound street (`Kölner Landstraße 230`, `Hanauer Landstraße 291`).
  [
    new RegExp(
      `(?<![\\w${LOWER}${UPPER}])[${UPPER}][${LOWER}]+er[ \\t]+[${UPPER}][${LOWER}]*${SUFFIX}[ \\t]+(${HOUSE_NUMBER})${HOUSE_NUMBER_END}`,
      'g',
    ),
    0.75,
  ],
  // Names of several hyphenated words (`Kaiser-Wilhelm-Straße`, `Dr.-Martin-Luther-Straße`).
  [
    new RegExp(
      `(?<![\\w${LOWER}${UPPER}.-])(?:[${UPPER}][${LOWER}]*\\.?-)+(?:${SEPARATE}|[${LOWER}-]*${SUFFIX})[ \\t]+(${HOUSE_NUMBER})${HOUSE_NUMBER_END}`,
      'g',
    ),
    0.75,
  ],
  // Capitals and lower case (`NORDSTRASSE 44`, `lindenstr. 3`, `bergstraße 14`): at least two letters before the street word.
  [
    new RegExp(
      `(?<![\\p{L}\\d.-])(?:\\p{L}{2,}er[ \\t]+\\p{L}*|\\p{L}{2,}(?:-\\p{L}+)*-?)${SUFFIX}[ \\t]+(${HOUSE_NUMBER})${HOUSE_NUMBER_END}`,
      'giu',
    ),
    0.65,
  ],
  [
    new RegExp(
      `(?<![\\p{L}\\d])${FOREIGN}[ \\t]+\\p{Lu}[\\p{L}]+(?:[ \\t]+(?:de|da|del|di|do|\\p{Lu}[\\p{L}]+)){0,3}[ \\t]+(\\d{1,4}[a-zA-Z]?)${HOUSE_NUMBER_END}`,
      'gu',
    ),
    0.6,
  ],
  // Other countries' street words in any case, particles and lower-case names, `12/4` (`calle de toledo 86`,
  // `ul. piłsudskiego 12/4`, `Rua de Santa Catarina 512`).
  [
    /(?<![\p{L}\d])(?:via|viale|piazza|rua|rue|calle|carrer|avenida|avenue|ul\.|ulica|odos|strada|bul\.|bulevardul|aleja|al\.|ulitsa|vul\.|vulytsia)[ \t]+(?:(?:de|da|del|di|do|des|du|la|le|dos|das)[ \t]+){0,2}\p{L}[\p{L}.'’-]+(?:[ \t]+(?:de|da|del|di|do|des|du|la|le|dos|das|\p{L}[\p{L}'’-]+)){0,3}[ \t]+(\d{1,4}[a-zA-Z]?(?:\/\d{1,4})?)(?![\d.,]\d|\d)/giu,
    0.55,
  ],
  // The number first (`12 rue des Lilas`, `14 Clarendon Road`).
  [
    /(?<![\p{L}\d])\d{1,4}[a-z]?,?[ \t]+(?:rue|avenue|boulevard|bd|chemin|allée|impasse|place|quai)[ \t]+(?:[\p{L}'’-]+[ \t]+){0,3}[\p{L}'’-]+/giu,
    0.55,
  ],
  [
    /(?<![\p{L}\d])\d{1,4}[a-z]?[ \t]+(?:\p{Lu}[\p{L}'’-]+[ \t]+){1,3}(?:Road|Street|Lane|Avenue|Close|Drive|Way|Gardens|Crescent|Terrace|Place|Square|Row)(?![\p{L}])/gu,
    0.6,
  ],
  // Turkish addresses (`Bağdat Caddesi No: 214 Daire 7`, `Gazi Cad. No: 18/3`).
  [
    /(?<![\p{L}\d])\p{Lu}[\p{L}]+(?:[ \t]+\p{Lu}[\p{L}]+)?[ \t]+(?:Caddesi|Cad\.|Sokak|Sokağı|Sok\.|Bulvarı|Blv\.)(?:[ \t]+No[.:]?)?[ \t]*\d{1,4}(?:\/\d{1,3})?(?:[ \t]+Daire[ \t]*:?[ \t]*\d{1,3})?/gu,
    0.6,
  ],
  // Prepositional names in lower case, ending the clause (`am eichwald 5,`; not `in der bergstraße 14`, where the street is the word after).
  [
    /(?<![\p{L}\d])(?:am|an der|an den|auf der|auf dem|im|zum|zur|hinter der|unter den)[ \t]+(?!\p{Ll}*(?:straße|strasse|str\.)[ \t])\p{Ll}{3,}(?:[ \t]+\p{Ll}{3,})?[ \t]+\d{1,3}[a-z]?(?=[ \t]*(?:[,;]|\r?\n|$))/gu,
    0.5,
  ],
  // A post-office box (`Postfach 10 20 30`) is an address too.
  [/(?<![\p{L}])Postfach[ \t]+\d{1,6}(?:[ \t]\d{2,3}){0,3}(?![\d])/giu, 0.7],
  [
    new RegExp(
      `(?<![\\w${LOWER}${UPPER}])[${UPPER}][${LOWER}-]*${SUFFIX}[ \\t]+(${HOUSE_NUMBER})${HOUSE_NUMBER_END}`,
      'g',
    ),
    0.75,
  ],
  [
    new RegExp(
      `(?<![\\w${LOWER}${UPPER}])(?:(?:Neue|Alte|Große|Kleine|Obere|Untere|Hohe|Lange|Breite|Hintere|Vordere|Neuer|Alter|Großer|Kleiner|Langer|Hoher)[ \\t]+)?[${UPPER}][${LOWER}]+[ \\t]+${SEPARATE}[ \\t]+(${HOUSE_NUMBER})${HOUSE_NUMBER_END}`,
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
];

/**
 * `12345 Ort`, optionally `D-12345`, or a Polish or Portuguese postcode (`58-500`, `4000-446`); the place may be hyphenated, carry a parenthesis (`Halle (Saale)`)
 * or a joining word (`Frankfurt am Main`). A second capitalised word alone is not taken: it is usually
 * the next sentence.
 */
const POSTCODE_PLACE =
  /(?<![\d\w])(?:D-|A-|CH-)?(\d{4,5}|\d{2}-\d{3}|\d{4}-\d{3})[ \t]+((?:Bad |BAD |Sankt |St\. )?\p{Lu}[\p{Ll}\p{Lu}]+(?:[-/]\p{Lu}[\p{Ll}\p{Lu}]+)*(?:[ \t]+(?:am|an der|im|in der|ob der|bei|vor der|AM|IM)[ \t]+\p{Lu}[\p{Ll}\p{Lu}]+)?(?:[ \t]+v\.[ \t]?d\.[ \t]?\p{Lu}\p{Ll}+)?(?:[ \t]+\(\p{Lu}\p{Ll}+\))?|\p{Ll}{3,}(?:-\p{Ll}+)*)/gu;

/** Words after five digits that make them an amount or a count, not a postcode. Lower case. */
const NOT_A_PLACE = new Set([
  'euro',
  'eur',
  'stück',
  'einwohner',
  'menschen',
  'personen',
  'mitglieder',
  'exemplare',
  'mal',
  'kilometer',
  'km',
  'meter',
  'qm',
  'tonnen',
  'liter',
  'bis',
  'und',
  'oder',
  'von',
  'vom',
  'zum',
  'zur',
  'der',
  'die',
  'das',
  'ist',
  'wurde',
  'wird',
  'sind',
  'in',
  'im',
  'am',
  'an',
  'auf',
  'für',
  'mit',
  'nach',
  'bei',
  'seit',
]);

/** `Markt 3, ` or `Augustinerbach 7⏎` right before a postcode: a street of any name. */
const LOOK_BACK_STREET =
  /(?<![\p{L}\d.-])(\p{Lu}[\p{L}.'-]+)(?:[ \t]+[\p{L}.'-]+){0,3}[ \t]+\d{1,4}[a-zA-Z]?(?:[ \t]?[-–][ \t]?\d{1,4}[a-z]?)?[ \t]*,?[ \t]*(?:\r?\n[ \t]*)?$/u;

/** First words of a line before a postcode that are labels or numbers of something else. Lower case. */
const NOT_A_STREET = new Set([
  'telefon',
  'tel',
  'fax',
  'nr',
  'plz',
  'ort',
  'postleitzahl',
  'zimmer',
  'raum',
  'seite',
  'az',
  'kassenzeichen',
  'iban',
  'bic',
  'konto',
  'blz',
]);

/** How much may separate street and postcode for them to be one address: comma, blanks, one line break. */
const JOIN =
  /^[ \t]*,?[ \t]*(?:(?:Whg\.?|Wohnung|App\.?|Apt\.?|Zimmer|Zi\.|Top|kv\.|ap\.|bl\.)[ \t]*[\w.-]{1,6}[ \t]*,[ \t]*|\d{1,2}\.[ \t]*(?:OG|Etage|Stock|Obergeschoss)(?:[ \t]+(?:links|rechts|Mitte))?[ \t]*,[ \t]*)?(?:\r?\n[ \t]*)?$/;
/** Longer gaps than this cannot match {@link JOIN} in any text a person writes; they are not even sliced. */
const MAX_JOIN = 40;

function expandStreet(quote: string): string {
  return quote
    .replace(/\s+/g, ' ')
    .replace(/str\.(?=\s)/, 'straße')
    .replace(/Str\.(?=\s)/, 'Straße');
}

function recogniseStreets(text: string): EntityMatch[] {
  // Every form's matches, then the longest first: `Neue Mainzer Straße 52` over `Mainzer Straße 52`.
  const candidates: { m: EntityMatch; form: number }[] = [];
  for (const [form, [pattern, confidence]] of STREET_FORMS.entries()) {
    for (const m of matchAll(pattern, text)) {
      const end = m.index + m[0].length;
      candidates.push({ m: entityMatch('address', text, m.index, end, expandStreet(m[0]), confidence), form });
    }
  }
  candidates.sort((a, b) => b.m.end - b.m.start - (a.m.end - a.m.start) || a.form - b.form);
  const taken = new SpanSet(text.length);
  return candidates
    .filter((c) => taken.tryAdd(c.m.start, c.m.end))
    .map((c) => c.m)
    .sort(byPosition);
}

function recognisePlaces(text: string): EntityMatch[] {
  const found: EntityMatch[] = [];
  for (const m of matchAll(POSTCODE_PLACE, text)) {
    const postcode = m[1] ?? '';
    const place = m[2] ?? '';
    if (NOT_A_PLACE.has(place.toLowerCase().split(/[ \t]/)[0] ?? '')) continue;
    // A lower-case place only in lower-case writing (`69120 heidelberg`), never a word after a number.
    if (
      /^\p{Ll}/u.test(place) &&
      !/^\p{Ll}/u.test(text.slice(Math.max(0, m.index - 30), m.index).replace(/[^\p{L}]/gu, '') || 'x')
    )
      continue;
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
  // A place after `Name 12,` whose street word is none of ours (`Markt 3`, `Augustinerbach 7`).
  for (const place of places) {
    if (used.has(place)) continue;
    const before = text.slice(Math.max(0, place.start - 60), place.start);
    const m = LOOK_BACK_STREET.exec(before);
    if (m === null || NOT_A_STREET.has((m[1] ?? '').toLowerCase())) continue;
    const start = place.start - before.length + m.index;
    used.add(place);
    found.push(
      entityMatch(
        'address',
        text,
        start,
        place.end,
        `${(m[0].replace(/[ \t]*,?[ \t]*(?:\r?\n[ \t]*)?$/, '')).replace(/\s+/g, ' ')}, ${place.value}`,
        0.8,
      ),
    );
  }
  // A place on its own is an address only with a German postcode (five digits, not 00…).
  for (const place of places)
    if (!used.has(place) && /^\d{5} /.test(place.value) && !place.value.startsWith('00')) found.push(place);
  return found.sort(byPosition);
}
