/**
 * Word normalisation for keyword matching. The output is a matching key, not a readable word: both
 * label keywords and message text go through the same steps, so only consistency matters.
 */

/** German articles, definite and indefinite, in every case. */
export const ARTICLES: readonly string[] = [
  'der',
  'die',
  'das',
  'den',
  'dem',
  'des',
  'ein',
  'eine',
  'einer',
  'eines',
  'einem',
  'einen',
];

/** Function words that carry no topic; matching them would make every label look relevant. */
const STOP_WORDS = new Set([
  ...ARTICLES,
  'und',
  'oder',
  'aber',
  'auch',
  'als',
  'am',
  'an',
  'auf',
  'aus',
  'bei',
  'bis',
  'durch',
  'fuer',
  'gegen',
  'im',
  'in',
  'ins',
  'mit',
  'nach',
  'ohne',
  'um',
  'unter',
  'ueber',
  'von',
  'vom',
  'vor',
  'zu',
  'zum',
  'zur',
  'ist',
  'sind',
  'war',
  'wird',
  'werden',
  'wurde',
  'wurden',
  'hat',
  'haben',
  'habe',
  'sein',
  'seine',
  'ihr',
  'ihre',
  'ihren',
  'ihrem',
  'sie',
  'er',
  'es',
  'wir',
  'ich',
  'uns',
  'sich',
  'nicht',
  'kein',
  'keine',
  'dass',
  'daß',
  'wie',
  'was',
  'wer',
  'hiermit',
  'bitte',
  'sehr',
  'geehrte',
  'geehrter',
  'geehrten',
  'damen',
  'herren',
  'herr',
  'frau',
  'mit',
  'freundlichen',
  'gruessen',
  'gruss',
  'so',
  'noch',
  'nur',
  'dies',
  'diese',
  'dieser',
  'dieses',
  'diesem',
  'sowie',
  'bzw',
  'etc',
  'usw',
  'z',
  'b',
  'ggf',
  'sonstige',
  'sonstiges',
  'allgemein',
  'allgemeine',
  'the',
  'of',
  'and',
  // File types and scanner names in attachment names say nothing about what a document is.
  'pdf',
  'docx',
  'doc',
  'odt',
  'jpg',
  'jpeg',
  'png',
  'tif',
  'tiff',
  'xlsx',
  'xls',
  'dwg',
  'dxf',
  'zip',
]);

/** Longest first, so `ungen` is tried before `en`. */
const SUFFIXES = [
  'ungen',
  'heiten',
  'keiten',
  'innen',
  'ung',
  'heit',
  'keit',
  'ern',
  'en',
  'er',
  'es',
  'em',
  'in',
  'e',
  'n',
  's',
];
const MIN_STEM = 4;

/** Lower case with umlauts folded (ä→ae, ö→oe, ü→ue, ß→ss), so `Gebühr` and `Gebuehr` agree. */
export function foldGerman(text: string): string {
  return text
    .toLowerCase()
    .replaceAll('ä', 'ae')
    .replaceAll('ö', 'oe')
    .replaceAll('ü', 'ue')
    .replaceAll('ß', 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');
}

/**
 * Light German stemming: strips one common inflection suffix, and drops the umlaut marker so that
 * `Anträge` and `Antrag` share a key. Crude on purpose: deterministic and explainable.
 */
export function stem(folded: string): string {
  let word = folded;
  for (const suffix of SUFFIXES) {
    if (word.endsWith(suffix) && word.length - suffix.length >= MIN_STEM) {
      word = word.slice(0, -suffix.length);
      break;
    }
  }
  return word.replace(/ae/g, 'a').replace(/oe/g, 'o').replace(/ue/g, 'u');
}

/** One word of a text: its original spelling and its matching key. */
export interface NormalisedToken {
  readonly word: string;
  readonly key: string;
}

/** Splits a text into normalised, non-stop-word tokens in order of appearance. */
export function tokenise(text: string): NormalisedToken[] {
  const tokens: NormalisedToken[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const folded = foldGerman(m[0]);
    if (folded.length < 2 || STOP_WORDS.has(folded) || /^\d+$/.test(folded)) continue;
    tokens.push({ word: m[0], key: stem(folded) });
  }
  return tokens;
}
