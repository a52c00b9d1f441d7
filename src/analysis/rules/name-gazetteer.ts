import {
  af_ZA,
  az,
  cs_CZ,
  da,
  de,
  de_AT,
  de_CH,
  en,
  en_GH,
  en_IN,
  en_NG,
  es,
  fi,
  fr,
  hr,
  hu,
  id_ID,
  it,
  type LocaleDefinition,
  lv,
  mk,
  nb_NO,
  nl,
  pl,
  pt_BR,
  pt_PT,
  ro,
  ru,
  sk,
  sl_SI,
  sv,
  tr,
  uk,
  vi,
  yo_NG,
  zu_ZA,
} from '@faker-js/faker';
import { SUPPLEMENT_GIVEN_NAMES } from './name-supplement.js';

/**
 * Given names and surnames the person-name recogniser knows without a cue. The source is the name
 * data of Faker (`@faker-js/faker`, MIT licence; lists compiled per locale by its contributors):
 * German, Austrian and Swiss names and those of the countries most people in Germany with a
 * migration history come from (Turkey, Poland, Italy, the former Yugoslavia, Romania, Russia,
 * Ukraine, Vietnam, Nigeria, Ghana, India …). Cyrillic lists are transliterated as passports write
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
  es,
  pt_PT,
  pt_BR,
  fr,
  nl,
  en,
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

/** Key of a name part: lower case, without diacritics (`Öztürk` = `ozturk`, `Nguyễn` = `nguyen`, `Łukasz` = `lukasz`). */
export function nameKey(word: string): string {
  return word
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[ıł]/g, (c) => (c === 'ı' ? 'i' : 'l'))
    .replace(/[øđ]/g, (c) => (c === 'ø' ? 'o' : 'd'))
    .normalize('NFD')
    .replace(/\p{M}/gu, '');
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
