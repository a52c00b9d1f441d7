import {
  af_ZA,
  az,
  cs_CZ,
  cy,
  da,
  de,
  de_AT,
  de_CH,
  en,
  en_AU,
  en_CA,
  en_GB,
  en_GH,
  en_IE,
  en_IN,
  en_NG,
  en_NP,
  en_ZA,
  es,
  es_MX,
  fi,
  fr,
  fr_BE,
  fr_CH,
  fr_SN,
  hr,
  hu,
  id_ID,
  it,
  ku_kmr_latin,
  type LocaleDefinition,
  lv,
  mk,
  nb_NO,
  nl,
  pl,
  pt_BR,
  pt_PT,
  ro,
  ro_MD,
  ru,
  sk,
  sl_SI,
  sr_RS_latin,
  sv,
  tr,
  uk,
  uz_UZ_latin,
  vi,
  yo_NG,
  zu_ZA,
} from '@faker-js/faker';
import { isGermanWord } from './german-lexicon.js';
import { nameKey } from './name-key.js';
import { SUPPLEMENT_GIVEN_NAMES } from './name-supplement.js';

/**
 * Given names and surnames the person-name recogniser knows without a cue. The source is the name
 * data of Faker (`@faker-js/faker`, MIT licence; lists compiled per locale by its contributors):
 * German, Austrian and Swiss names and those of the countries most people in Germany with a
 * migration history come from (Turkey, Poland, Italy, the former Yugoslavia, Romania, Russia,
 * Ukraine, Vietnam, Nigeria, Ghana, India, Kurdish (Kurmanji), Serbia, Moldova, Senegal, Uzbekistan,
 * Nepal, the English- and French-speaking countries …). Cyrillic lists are transliterated as passports write
 * them. Lists in Arabic, Persian or Greek script are left out: German letters write such names in
 * Latin letters, in spellings no transliteration rule predicts; a cue (Herr, Frau, a role word)
 * finds them, and name-supplement.ts adds the common spellings and the older German names.
 */

/** Locales in Latin script. */
const LATIN: readonly LocaleDefinition[] = [
  de,
  de_AT,
  de_CH,
  tr,
  pl,
  it,
  hr,
  ro,
  ro_MD,
  es,
  pt_PT,
  pt_BR,
  fr,
  nl,
  en,
  cy,
  cs_CZ,
  sk,
  hu,
  sl_SI,
  lv,
  vi,
  az,
  id_ID,
  en_IN,
  yo_NG,
  en_GH,
  en_NG,
  zu_ZA,
  sv,
  da,
  nb_NO,
  fi,
  af_ZA,
];

/**
 * Further Latin-script locales (Kurdish Kurmanji, Serbian, Moldovan, Senegalese, Uzbek, Nepali,
 * Mexican, Belgian, Swiss French, British, Irish, Canadian, Australian, South African, Welsh). Their
 * lists hold words too (`Wasser`, `Garden`, `Iban`, `Top`): a name that is a German word, abbreviation
 * or place (german-lexicon.ts) is left out of these, where the lists above were checked by hand.
 */
const MORE_LATIN: readonly LocaleDefinition[] = [
  ku_kmr_latin,
  sr_RS_latin,
  ro_MD,
  fr_SN,
  uz_UZ_latin,
  en_NP,
  es_MX,
  fr_BE,
  fr_CH,
  en_GB,
  en_IE,
  en_CA,
  en_AU,
  en_ZA,
  cy,
];

/** Ukrainian passport transliteration (2010 rules), and the usual one for Russian and Macedonian. */
const CYRILLIC: readonly [LocaleDefinition, Readonly<Record<string, string>>][] = [
  [uk, { г: 'h', и: 'y', і: 'i', ї: 'yi', є: 'ye', й: 'y' }],
  [ru, { г: 'g', и: 'i', й: 'y', ы: 'y', э: 'e', ё: 'e' }],
  [mk, { г: 'g', и: 'i', ј: 'j', љ: 'lj', њ: 'nj', ќ: 'kj', ѓ: 'gj', џ: 'dž', ѕ: 'dz' }],
];

const CYRILLIC_BASE: Readonly<Record<string, string>> = {
  а: 'a',
  б: 'b',
  в: 'v',
  ґ: 'g',
  д: 'd',
  е: 'e',
  ж: 'zh',
  з: 'z',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ю: 'yu',
  я: 'ya',
  ь: '',
  ъ: '',
  "'": '',
  '’': '',
};

function transliterate(name: string, table: Readonly<Record<string, string>>): string {
  let out = '';
  for (const ch of name.toLowerCase()) out += table[ch] ?? CYRILLIC_BASE[ch] ?? ch;
  return out.replace(/(^|[\s-])(\p{L})/gu, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

function listsOf(def: LocaleDefinition, field: 'first_name' | 'last_name'): string[] {
  const value: unknown = def.person?.[field];
  if (value === undefined || value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap((list: unknown) =>
    Array.isArray(list) ? list.filter((x) => typeof x === 'string') : [],
  );
}

/** Each word of a listed name (`Anh Vũ` gives `anh` and `vu`; `Schulze-Wendt` stays one part and gives its halves too). */
function parts(name: string): string[] {
  const words = name.split(/\s+/).filter((w) => w.length >= 2);
  return [...words, ...words.flatMap((w) => (w.includes('-') ? w.split('-').filter((p) => p.length >= 2) : []))];
}

function build(field: 'first_name' | 'last_name'): Set<string> {
  const out = new Set<string>();
  if (field === 'first_name')
    for (const name of SUPPLEMENT_GIVEN_NAMES) for (const p of parts(name)) out.add(nameKey(p));
  for (const def of LATIN) for (const name of listsOf(def, field)) for (const p of parts(name)) out.add(nameKey(p));
  for (const def of MORE_LATIN)
    for (const name of listsOf(def, field)) for (const p of parts(name)) if (!isGermanWord(p)) out.add(nameKey(p));
  for (const [def, table] of CYRILLIC)
    for (const name of listsOf(def, field)) for (const p of parts(transliterate(name, table))) out.add(nameKey(p));
  return out;
}

let givenCache: ReadonlySet<string> | undefined;
let surnameCache: ReadonlySet<string> | undefined;

/**
 * Keys ({@link nameKey}) of known given names. Built on first use, not at import: a process that
 * never reads a name (the API alone) does not pay for some 27,000 keys.
 */
export function givenNames(): ReadonlySet<string> {
  givenCache ??= build('first_name');
  return givenCache;
}

/** Keys ({@link nameKey}) of known surnames, built on first use like {@link givenNames}. */
export function surnames(): ReadonlySet<string> {
  surnameCache ??= build('last_name');
  return surnameCache;
}
