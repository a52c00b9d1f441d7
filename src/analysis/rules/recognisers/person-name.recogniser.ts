import { byPosition, entityMatch, type EntityMatch } from '../entity-match.js';
import { isGermanKey } from '../german-lexicon.js';
import { givenNames, surnames } from '../name-gazetteer.js';
import { nameKey } from '../name-key.js';
import { SpanSet } from '../span-set.js';
import { findNameEchoes } from './name-echoes.js';
import {
  COMMON_LOWER,
  COURT_BEFORE,
  CUES,
  FIRM,
  INSTITUTION_END,
  MONTHS,
  NEVER,
  NOT_BEFORE_ECHO,
  NOUN_END,
  OFFICE_END,
  OFFICE_CUES,
  OFFICIALS,
  PARTICLES,
  PERSON_LISTS,
  PLACE_BEFORE,
  ROLES,
  SECOND_PARTICLES,
  STREET_END,
  TITLES,
  type CueKind,
} from './person-name.words.js';

/**
 * Person names in German administrative text, found two ways over one pass of words:
 * - after a cue: a salutation (`Herr`, `Frau`), a title (`Dr.`), a role (`Antragstellerin:`,
 *   `Kontoinhaber:`), a closing (`Mit freundlichen Grüßen`, `gez.`, `i. A.`), `z. Hd.`,
 *   `hiermit beantrage ich,` — whatever the name's origin, in capitals or lower case;
 * - without a cue, a known given name followed by a surname (`Anna Schmidt`, `MEHMET ÖZTÜRK`,
 *   `anna schmidt`), or `Surname, Given` — known by the name gazetteer (name-gazetteer.ts).
 * Titles belong to the quote (`Dr. med. Anna Berg`), not to the value. Later mentions of a found
 * name without a cue are found last (name-echoes.ts). Linear in the text: words are read once,
 * every rule looks a bounded number of words ahead.
 */

/** A word: letters (with marks), inner apostrophes and hyphens (`O'Brien`, `Schulze-Wendt`, `al-Hassan`). */
const WORD = /[\p{L}\p{M}](?:[\p{L}\p{M}]|['’-](?=[\p{L}\p{M}]))*/gu;

interface Word {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Lower case, no diacritics: the key into the gazetteer and the cue tables. */
  readonly key: string;
  readonly shape: 'cap' | 'caps' | 'lower';
  /** Text between the previous word and this one. */
  readonly gap: string;
}

function shapeOf(word: string): Word['shape'] {
  const first = word.charAt(0);
  if (first.toLowerCase() === first && /^(?:al|el|ul|abu|bin|ibn|bint)-\p{Lu}/u.test(word)) return 'cap';
  if (first.toLowerCase() === first) return 'lower';
  const letters = word.replace(/[^\p{L}]/gu, '');
  return letters.length >= 2 && letters.toUpperCase() === letters ? 'caps' : 'cap';
}

function wordsOf(text: string): Word[] {
  const out: Word[] = [];
  let last = 0;
  for (const m of text.matchAll(WORD)) {
    const start = m.index;
    out.push({
      text: m[0],
      start,
      end: start + m[0].length,
      key: nameKey(m[0]),
      shape: shapeOf(m[0]),
      gap: text.slice(last, start),
    });
    last = start + m[0].length;
  }
  return out;
}

const known = (w: Word): boolean =>
  givenNames().has(w.key) || surnames().has(w.key) || hyphenKnown(w, surnames()) || hyphenKnown(w, givenNames());
const isGiven = (w: Word): boolean =>
  (givenNames().has(w.key) || (hyphenKnown(w, givenNames()) && w.key.split('-').every((p) => givenNames().has(p)))) &&
  !NEVER.has(w.key) &&
  !MONTHS.has(w.key);

/** A double name whose halves the gazetteer knows (`Schäfer-Brandt`). */
function hyphenKnown(w: Word, set: ReadonlySet<string>): boolean {
  if (!w.key.includes('-')) return false;
  return w.key.split('-').some((p) => set.has(p) && !NEVER.has(p));
}

const isSurname = (w: Word): boolean => (surnames().has(w.key) && !NEVER.has(w.key)) || hyphenKnown(w, surnames());

/** Blanks only (a name does not cross a line or a comma). */
const sameLine = (w: Word): boolean => /^[ \t]*$/.test(w.gap);

/** The first word of its line. */
const lineStart = (w: Word, i: number): boolean => i === 0 || w.gap.includes('\n');

/** A word in a script other than Latin (`Олена`, `خالد`, `መሰረት`). */
const OTHER_SCRIPT_WORD =
  /^[\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Ethiopic}\p{Script=Georgian}\p{Script=Armenian}]/u;

/**
 * A capitalised word that is no German word, abbreviation or place (german-lexicon.ts), nor a word
 * that is never a name: in a German text, most likely a name.
 */
const foreignWord = (w: Word): boolean =>
  w.shape !== 'lower' &&
  w.key.length >= 2 &&
  !NEVER.has(w.key) &&
  !MONTHS.has(w.key) &&
  !STREET_END.test(w.key) &&
  !PLACE_BEFORE.has(w.key) &&
  !FIRM.has(w.key) &&
  !isGermanKey(w.key);

/**
 * Unknown even to the gazetteer, a word still counts in a run of such words when written like a
 * name part (`Pavlos Nikolaidis`, `Mindaugas Petrauskas`): capitalised, three letters or more.
 */
const twoWordsOwn = (w: Word): boolean => w.key.length >= 3 && w.shape === 'cap';

/** Words before a place (`in Addis Abeba`, `Geburtsort: Hà Nội`), not before a person. Keys. */
const PLACE_PREPOSITIONS = new Set(['in', 'nach', 'aus', 'im', 'ins', 'zwischen', 'richtung']);

/** An office after a signature's surname (`Hentschel, Justizbeschäftigte`, `Lehmann, SB`). */
const SIGNATURE_OFFICE = /(?:sekretar|sekretarin|pfleger|pflegerin|richter|richterin|sachbearbeiter|^sb)$/;

/** Could this word be a part of a name here? Lower-case words only when the gazetteer knows them. */
function nameLike(w: Word): boolean {
  if (NEVER.has(w.key) || MONTHS.has(w.key) || STREET_END.test(w.key)) return false;
  if (w.shape === 'lower') return known(w);
  if ((NOUN_END.test(w.key) || INSTITUTION_END.test(w.key)) && !known(w)) return false;
  return true;
}

interface Found {
  start: number;
  end: number;
  value: string;
  confidence: number;
}

/** The cue at word i (its kind and the index of the word after it), or undefined. */
/** The cues by their first word: a word that starts none (most words) is passed over with one lookup. */
const CUES_BY_FIRST = new Map<string, (typeof CUES)[number][]>();
for (const cue of CUES) {
  const first = cue[0][0] ?? '';
  CUES_BY_FIRST.set(first, [...(CUES_BY_FIRST.get(first) ?? []), cue]);
}

function cueAt(words: readonly Word[], i: number): { kind: CueKind; next: number } | undefined {
  let best: { kind: CueKind; next: number } | undefined;
  for (const [seq, kind] of CUES_BY_FIRST.get(words[i]?.key ?? '') ?? []) {
    if (best !== undefined && seq.length <= best.next - i) continue;
    if (seq.every((k, j) => words[i + j]?.key === k)) best = { kind, next: i + seq.length };
  }
  const w = words[i];
  if (best === undefined && w !== undefined && ROLES.has(w.key)) best = { kind: 'role', next: i + 1 };
  // The parties of a lawsuit: `Haas ./. Kaiser`, `Elbblick eG ./. Tigist Alemu`.
  const after = words[i + 1];
  if (best === undefined && after !== undefined && /\.\/\.[ \t]*$/.test(after.gap))
    best = { kind: 'salutation', next: i + 1 };
  return best;
}

/** Titles at word i (`Dr.`, `Prof. Dr.`, `Dr. med.`, `Dipl.-Ing.`): the index after them. */
function skipTitles(text: string, words: readonly Word[], i: number): number {
  let k = i;
  while (k < words.length && k - i < 5) {
    const w = words[k];
    if (w === undefined) break;
    const dotted = text.charAt(w.end) === '.';
    if (!(dotted && (TITLES.has(w.key) || w.key === 'dipl-ing' || w.key.startsWith('dipl-')))) break;
    k++;
  }
  return k;
}

/**
 * The name that starts at word i: name-like words on one line, particles only inside, at most four;
 * `Surname, Given` when a comma and a given name follow. Undefined when there is none.
 */
/** An initial: one or two letters and a dot (`J.`, `Th.`, `J.-P.`), not a title. */
function isInitial(text: string, w: Word): boolean {
  return (
    w.shape !== 'lower' &&
    w.text.replace(/[^\p{L}]/gu, '').length <= 3 &&
    /^[.]/.test(text.slice(w.end)) &&
    !TITLES.has(w.key) &&
    /^\p{Lu}\p{Ll}?(?:\.?-\p{Lu})?$/u.test(w.text)
  );
}

/** Options of {@link nameAt}. */
interface NameOptions {
  /** Only words the gazetteer knows when lower case (no cue). */
  strict: boolean;
  /** After a salutation, a title or a kin word: every capitalised word is a name. */
  strong?: boolean;
  /** A lower-case writer: lower-case words after the cue are names until a common word. */
  lowerWriter?: boolean;
  /** After a salutation or a title a name may start with its particle (`Frau Dr. von Aschenbach`). */
  particleStart?: boolean;
  /** A list of names (`Kindern Freshta, Ahmad Shah und …`): a comma separates names, it does not invert one. */
  list?: boolean;
}

function nameAt(
  text: string,
  words: readonly Word[],
  i: number,
  options: NameOptions,
): { last: number; inverted?: number } | undefined {
  const strict = options.strict;
  let last = -1;
  for (let k = i; k < words.length && k - i < 6; k++) {
    const w = words[k];
    if (w === undefined || (k > i && !sameLine(w) && !/^\.[ \t]*$/.test(w.gap) && !/^\.-?$/.test(w.gap))) break;
    if (k > i && w.gap.includes('.') && !isInitial(text, words[k - 1] ?? w)) break;
    if (isInitial(text, w)) {
      last = k;
      continue;
    }
    const particle =
      PARTICLES.has(w.key) && (w.shape === 'lower' || (k === i && /^(?:van|von|de|da|di|al|el)$/.test(w.key)));
    if (particle && (!SECOND_PARTICLES.has(w.key) || PARTICLES.has(words[k - 1]?.key ?? ''))) {
      if (k > i || options.particleStart === true) continue;
    }
    if (
      options.lowerWriter === true &&
      w.shape === 'lower' &&
      !NEVER.has(w.key) &&
      !COMMON_LOWER.has(w.key) &&
      w.key.length >= 3
    ) {
      last = k;
      if (last - i >= 3) break;
      continue;
    }
    // `Frau Schulleiterin Dr. Grünewald`: an office after the salutation ends this name; the title starts the next.
    if (options.strong === true && k === i && OFFICE_END.test(w.key) && !known(w)) break;
    if (
      options.strong === true &&
      k === i &&
      w.shape !== 'lower' &&
      !NEVER.has(w.key) &&
      !MONTHS.has(w.key) &&
      // `Frau Park,` is a name, `Park 3` a street.
      !(STREET_END.test(w.key) && /^[ \t]+\d/.test(text.slice(w.end, w.end + 3))) &&
      // A role word after a salutation is read as any other word, not taken as a name outright.
      !(ROLES.has(w.key) && !known(w)) &&
      !(TITLES.has(w.key) && text.charAt(w.end) === '.')
    ) {
      last = k;
      if (last - i >= 3) break;
      continue;
    }
    if (k > i && MONTHS.has(w.key) && !/^[ \t]*\d/.test(text.slice(w.end, w.end + 3))) {
      last = k;
      continue;
    }
    if (TITLES.has(w.key) && text.charAt(w.end) === '.') break;
    // In lower-case writing, after a cue and a known given name: the surname (`ich heiße nikola marić`).
    const prev = words[k - 1];
    const lowerSurname =
      !strict &&
      k === i + 1 &&
      w.shape === 'lower' &&
      prev !== undefined &&
      prev.shape === 'lower' &&
      isGiven(prev) &&
      !NEVER.has(w.key) &&
      w.key.length >= 3;
    if (!lowerSurname && !nameLike(w)) break;
    if (strict && !known(w) && w.shape === 'lower') break;
    last = k;
    if (last - i >= 3) break;
  }
  if (last < 0) return undefined;
  while (last > i && PARTICLES.has(words[last]?.key ?? '') && words[last]?.shape === 'lower') last--;
  // `Surname, Given [Second]`: the surname part is one word after particles (`Van der Linden`).
  const comma = words[last + 1];
  const surnamePart = words.slice(i, last).every((w) => PARTICLES.has(w.key));
  const lastWord = words[last];
  if (
    options.list !== true &&
    surnamePart &&
    lastWord !== undefined &&
    comma !== undefined &&
    /^[ \t]*,[ \t]*$/.test(comma.gap) &&
    comma.shape !== 'lower' &&
    (isGiven(comma) || (isSurname(lastWord) && nameLike(comma) && !OFFICE_END.test(comma.key)))
  ) {
    const second = words[last + 2];
    const secondOk =
      second !== undefined &&
      sameLine(second) &&
      second.shape !== 'lower' &&
      (isGiven(second) || MONTHS.has(second.key) || (!NEVER.has(second.key) && nameLike(second))) &&
      !/^[ \t]*\d/.test(text.slice(second.end, second.end + 3));
    return { last, inverted: secondOk ? last + 2 : last + 1 };
  }
  return { last };
}

/** Followed by a firm's word, `&` or a street word, or after a court or street word: not a person. */
function isFirmOrStreet(text: string, words: readonly Word[], first: number, last: number): boolean {
  // Back over particles to the street's word (`Rua de Santa Catarina`).
  let b = first - 1;
  while (b > first - 3 && words[b]?.shape === 'lower' && PARTICLES.has(words[b]?.key ?? '')) b--;
  if (b < first - 1 && PLACE_BEFORE.has(words[b]?.key ?? '')) return true;
  const before = words[first - 1];
  const place =
    before !== undefined &&
    (PLACE_BEFORE.has(before.key) ||
      // `VG Berlin` is a court; `VG Ralf` (viele Grüße) is a name.
      (COURT_BEFORE.has(before.key) && before.shape === 'caps' && isGermanKey(words[first]?.key ?? '')));
  if (place && /^[ \t.]*$/.test(words[first]?.gap ?? '')) return true;
  const next = words[last + 1];
  if (next === undefined) return false;
  if (/^[ \t]*[&+][ \t]*$/.test(next.gap)) return true;
  if (!/^[ \t]*$/.test(next.gap)) return /^[ \t]+\d/.test(text.slice(words[last]?.end ?? 0)) && place;
  return FIRM.has(next.key) || STREET_END.test(next.key);
}

function nameValue(words: readonly Word[], from: number, to: number): string {
  return words
    .slice(from, to + 1)
    .map((w) => w.text)
    .join(' ');
}

export function recognisePersonNames(text: string): EntityMatch[] {
  const words = wordsOf(text);
  const found: Found[] = [];
  // The end of the furthest name found so far: names are found left to right, so one number says
  // whether a word is taken (asking every found name each time grew with names × words).
  let foundEnd = -1;
  const add = (start: number, end: number, value: string, confidence: number): void => {
    found.push({ start, end, value, confidence });
    foundEnd = Math.max(foundEnd, end);
  };
  /** A name at word `at` (after a cue or a given name), its quote starting at `quoteFrom`. */
  const take = (
    quoteFrom: number,
    at: number,
    single: boolean,
    multi: number,
    one: number,
    options: NameOptions = { strict: false },
  ): number => {
    const name = nameAt(text, words, at, options);
    const first = words[at];
    const startWord = words[quoteFrom];
    if (name === undefined || first === undefined || startWord === undefined) return at;
    if (isFirmOrStreet(text, words, at, name.inverted ?? name.last)) return name.last + 1;
    const lastWord = words[name.inverted ?? name.last];
    if (lastWord === undefined) return at;
    const count = name.last - at + 1;
    if (name.inverted !== undefined) {
      add(
        startWord.start,
        lastWord.end,
        `${nameValue(words, name.last + 1, name.inverted)} ${nameValue(words, at, name.last)}`,
        multi,
      );
      return name.inverted + 1;
    }
    if (count === 1 && !single && !known(first)) return at;
    add(startWord.start, lastWord.end, nameValue(words, at, name.last), count >= 2 ? multi : one);
    return name.last + 1;
  };

  for (let i = 0; i < words.length; ) {
    const cue = cueAt(words, i);
    if (cue !== undefined) {
      const cueWord = words[i];
      // `Antragsteller(in):`, `VORNAME(N):`, `ANTRAGSTELLER/IN`: the ending is part of the cue.
      const ending = words[cue.next];
      if (
        ending !== undefined &&
        ending.text.length <= 3 &&
        /^[(/*]$/.test(ending.gap) &&
        /^(?:in|innen|r|n|en|e)$/.test(ending.key)
      )
        cue.next++;
      // A form label that goes on before its colon (`Name (wie im Pass):`, `Kinder im Haushalt:`).
      if ((cue.kind === 'role' || cue.kind === 'kin') && cueWord !== undefined) {
        const label = /^[ \t]*(?:\([^)\n\d]{1,40}\)|\p{Ll}[^:\n\d.,;]{0,39})[ \t]*:[ \t]*/u.exec(
          text.slice(words[cue.next - 1]?.end ?? 0, (words[cue.next - 1]?.end ?? 0) + 48),
        );
        if (label !== null && label[0].length > 2) {
          const labelEnd = (words[cue.next - 1]?.end ?? 0) + label[0].length;
          let k = cue.next;
          while (k < words.length && (words[k]?.start ?? 0) < labelEnd) k++;
          if (k > cue.next) cue.next = k;
        }
      }
      if (cue.kind === 'role' && cueWord !== undefined && words[cue.next] !== undefined) {
        const gap = (words[cue.next]?.gap ?? '').replace(/^\)/, '');
        if ((cueWord.key === 'ich' || cueWord.key === 'wir') && cue.next === i + 1 && !/^[ \t]*,[ \t]*$/.test(gap)) {
          i++;
          continue;
        }
        if (!/^[ \t]*(?:\([\p{L}]{1,3}\)|\/[\p{L}]{1,3}|\*in)?[ \t]*[:,]?[ \t]*$/u.test(gap) && !/:[ \t]*$/.test(gap)) {
          i++;
          continue;
        }
      }
      let at = cue.next;
      // `Richter am Oberverwaltungsgericht Sauer`: the court between the office and the name.
      const am = words[at];
      if (
        cueWord !== undefined &&
        OFFICIALS.has(cueWord.key) &&
        am !== undefined &&
        sameLine(am) &&
        /^(?:am|beim)$/.test(am.key)
      ) {
        let k = at + 1;
        for (
          let w = words[k];
          w !== undefined && k < at + 4 && sameLine(w) && INSTITUTION_END.test(w.key);
          w = words[++k]
        );
        if (k > at + 1) at = k;
      }
      // After a role: an optional salutation (`Antragstellerin: Frau Dr. …`).
      if (cue.kind === 'role' && (words[at]?.key === 'frau' || words[at]?.key === 'herr' || words[at]?.key === 'herrn'))
        at++;
      const quoteFrom = cue.kind === 'title' ? i : at;
      at = skipTitles(text, words, cue.kind === 'title' ? i : at);
      // `Dipl.-Ing. (FH) Liridona Morina`: a degree's parenthesis after the title.
      if (
        at > quoteFrom &&
        words[at] !== undefined &&
        /^[ \t]*\(\p{Lu}{1,3}\)/u.test(text.slice(words[at - 1]?.end ?? 0)) &&
        (words[at]?.text.length ?? 0) <= 3
      )
        at++;
      const next = words[at];
      const closingOk = cue.kind === 'closing' && next !== undefined && /^[ \t,.:!]*(?:\r?\n[ \t]*)?$/.test(next.gap);
      const inline = next !== undefined && (/^\)?[ \t.:,]*$/.test(next.gap) || /^[ \t]*\.\/\.[ \t]*$/.test(next.gap));
      // An address block: `Herrn` or `Frau` alone on its line (`An die Eheleute` ending one), the name on the next.
      const block =
        cue.kind === 'salutation' &&
        cueWord !== undefined &&
        (/^(?:eheleute|familie)$/.test(cueWord.key) ||
          (/^(?:herrn|herr|frau)$/.test(cueWord.key) && lineStart(cueWord, i))) &&
        next !== undefined &&
        /^[ \t]*\r?\n[ \t]*$/.test(next.gap);
      // `Der Richter wies darauf hin`: an office in prose, no name after it.
      if (
        cue.kind === 'salutation' &&
        cueWord !== undefined &&
        OFFICE_CUES.has(cueWord.key) &&
        next?.shape === 'lower'
      ) {
        i = cue.next;
        continue;
      }
      // `Hallo Jens`, `Liebe Susanne`: a name the gazetteer knows or no German word (`Liebe Kolleginnen` is none).
      if (
        cue.kind === 'greeting' &&
        (next === undefined || !inline || !(known(next) || (next.shape !== 'lower' && !isGermanKey(next.key))))
      ) {
        i = cue.next;
        continue;
      }
      if (next !== undefined && (inline || closingOk || block)) {
        // A cue written in lower case (`hier ist`, `mfg`, `ich heiße`): the writer writes names so too.
        const lowerWriter =
          cueWord !== undefined &&
          next.shape === 'lower' &&
          words.slice(i, cue.next).every((x) => x.shape === 'lower') &&
          (cue.kind === 'closing' ||
            cue.kind === 'greeting' ||
            cue.kind === 'kin' ||
            (cue.kind === 'role' && (cue.next - i >= 2 || cueWord.key === 'ich' || cueWord.key === 'wir')));
        // A form's field (`Name: Nowicka`) holds a name however short; a role word in prose needs a known one.
        const field = cue.kind === 'role' && /:/.test(next.gap);
        // A role word in prose (`Sachbearbeitung Hilfe zur Pflege`) needs a name the gazetteer knows.
        if (cue.kind === 'role' && !field && !/,/.test(next.gap) && !lowerWriter) {
          const name = nameAt(text, words, at, { strict: false });
          if (name === undefined || !words.slice(at, name.last + 1).some(known)) {
            i = cue.next;
            continue;
          }
        }
        const strong = cue.kind === 'salutation' || cue.kind === 'title' || cue.kind === 'kin';
        const particleStart = cue.kind === 'salutation' || cue.kind === 'title';
        const options: NameOptions = {
          strict: false,
          strong,
          lowerWriter,
          particleStart,
          list: cue.kind === 'kin' && (!/:/.test(next.gap) || PERSON_LISTS.has(cueWord?.key ?? '')),
        };
        const single =
          strong ||
          lowerWriter ||
          field ||
          known(next) ||
          cue.kind === 'greeting' ||
          (cue.kind === 'closing' && next.shape !== 'lower');
        if (
          cue.kind === 'closing' &&
          !known(next) &&
          !nameLike(next) &&
          !(lowerWriter && !COMMON_LOWER.has(next.key) && !NEVER.has(next.key))
        ) {
          i = cue.next;
          continue;
        }
        let end = take(quoteFrom, at, single, 0.85, cue.kind === 'salutation' ? 0.75 : 0.65, options);
        // Couples and lists: `Eheleute Anna und Peter Schmidt`, `Kinder Zofia und Jakub`, `Herrn Max und Frau Erika Muster`.
        for (let n = 0; n < 4 && end > at; n++) {
          const und = words[end];
          if (und === undefined) break;
          // `Kinder: Abdullahi (geb. 2015-04-12), Ubah (geb. …)`: the list goes on after a name's parenthesis.
          const paren = /^[ \t]*\([^()\n]{0,40}\)[ \t]*,[ \t]*/.exec(
            text.slice(words[end - 1]?.end ?? 0, Math.min(text.length, (words[end - 1]?.end ?? 0) + 48)),
          );
          if (paren !== null && cue.kind === 'kin' && end > at) {
            let k = end;
            const after = (words[end - 1]?.end ?? 0) + paren[0].length;
            while (k < words.length && k < end + 8 && (words[k]?.start ?? 0) < after) k++;
            const p = words[k];
            if (p === undefined || p.start !== after || p.shape === 'lower' || !nameLike(p)) break;
            const next2 = take(k, k, true, 0.8, 0.7, options);
            if (next2 === k) break;
            end = next2;
            continue;
          }
          // `Kindern Freshta, Ahmad Shah und Maryam`: a list goes on after a comma, too.
          const comma =
            /^[ \t]*,[ \t]*$/.test(und.gap) &&
            (cue.kind === 'kin' || isGiven(und)) &&
            nameLike(und) &&
            und.shape !== 'lower';
          if (!comma && ((und.key !== 'und' && und.key !== 'sowie') || !sameLine(und))) break;
          let partner = comma ? end : end + 1;
          if (words[partner]?.key === 'frau' || words[partner]?.key === 'herr' || words[partner]?.key === 'herrn')
            partner++;
          const p = words[partner];
          if (
            p === undefined ||
            (!comma && !sameLine(p)) ||
            !(isGiven(p) || (p.shape !== 'lower' && (partner > end + 1 || strong || comma)))
          )
            break;
          const from = skipTitles(text, words, partner);
          const next2 = take(partner, from, true, 0.8, 0.7, options);
          if (next2 === from) break;
          end = next2;
        }
        i = Math.max(end, i + 1);
        continue;
      }
      i = cue.next;
      continue;
    }
    const w = words[i];
    if (w === undefined) break;
    // Without a cue: a known given name and what follows it.
    if (isGiven(w) && (w.shape !== 'lower' || known(w))) {
      const name = nameAt(text, words, i, { strict: w.shape === 'lower' });
      if (name !== undefined && name.last > i) {
        const tail = words.slice(i + 1, name.last + 1).filter((x) => !PARTICLES.has(x.key) || x.shape !== 'lower');
        const lastWord = words[name.last];
        const surnameKnown = tail.some(isSurname);
        const lowerOk = w.shape !== 'lower' || tail.every((x) => known(x) && x.shape === 'lower');
        if (
          lastWord !== undefined &&
          lowerOk &&
          !isFirmOrStreet(text, words, i, name.last) &&
          (surnameKnown || w.shape !== 'lower')
        ) {
          // A known family name written first (`Phạm Thị Thu Trang`, `Hawa Ali Hussein`) belongs to it.
          const prev = words[i - 1];
          const from =
            prev !== undefined &&
            sameLine(w) &&
            prev.shape === w.shape &&
            (known(prev) || prev.shape === 'caps') &&
            nameLike(prev) &&
            foundEnd < prev.start &&
            !NOT_BEFORE_ECHO.has(words[i - 2]?.key ?? '') &&
            words[i - 2]?.key !== 'als'
              ? i - 1
              : i;
          add(words[from]?.start ?? w.start, lastWord.end, nameValue(words, from, name.last), surnameKnown ? 0.8 : 0.6);
          i = name.last + 1;
          continue;
        }
      }
      // `Anna und Peter Schmidt`: the given name before `und` is a name when a name follows.
      const und = words[i + 1];
      const partner = words[i + 2];
      if (und?.key === 'und' && sameLine(und) && partner !== undefined && isGiven(partner)) {
        const rest = nameAt(text, words, i + 2, { strict: partner.shape === 'lower' });
        if (
          rest !== undefined &&
          rest.last > i + 2 &&
          (words.slice(i + 3, rest.last + 1).some(isSurname) || w.shape !== 'lower')
        ) {
          add(w.start, w.end, w.text, 0.7);
          i++;
          continue;
        }
      }
    }
    // Without a cue: a signature's surname before the office (`Hentschel, Justizbeschäftigte`).
    const office = words[i + 1];
    if (
      lineStart(w, i) &&
      office !== undefined &&
      /^[ \t]*,[ \t]*$/.test(office.gap) &&
      (OFFICE_END.test(office.key) || SIGNATURE_OFFICE.test(office.key)) &&
      nameLike(w) &&
      w.shape !== 'lower' &&
      (isSurname(w) || foreignWord(w))
    ) {
      add(w.start, w.end, w.text, 0.7);
      i++;
      continue;
    }
    // Without a cue: words on one line that are no German words, one of them a known name (`Zozan
    // Aslan`, `Pavlos Nikolaidis`), or all in another script (`Олена Бондаренко`).
    const otherScript = OTHER_SCRIPT_WORD.test(w.text);
    if (foreignWord(w) || otherScript) {
      let last = i;
      for (let n = words[i + 1]; n !== undefined && last < i + 3 && sameLine(n); n = words[last + 1]) {
        if (otherScript ? !OTHER_SCRIPT_WORD.test(n.text) : !foreignWord(n)) break;
        last++;
      }
      const before = words[i - 1];
      const placeBefore =
        before !== undefined &&
        ((PLACE_PREPOSITIONS.has(before.key) && sameLine(w)) ||
          (/ort$/.test(before.key) && /^[ \t]*:[ \t]*$/.test(w.gap)));
      if (
        last > i &&
        !placeBefore &&
        (otherScript || words.slice(i, last + 1).some(known) || words.slice(i, last + 1).every(twoWordsOwn)) &&
        !isFirmOrStreet(text, words, i, last)
      ) {
        add(w.start, words[last]?.end ?? w.end, nameValue(words, i, last), 0.6);
        i = last + 1;
        continue;
      }
    }
    // Without a cue: a name alone on its line, as mail and notes are signed: a given name (`Petra`),
    // a surname on the text's last line or after a dash (`– Hahn`), after a dash any name (`– Okafor`).
    const following = words[i + 1];
    const dashLine = /(?:^|\n)[ \t]*[–-][ \t]*$/.test(w.gap);
    if (
      w.shape === 'cap' &&
      (lineStart(w, i) || dashLine) &&
      (following === undefined || following.gap.includes('\n')) &&
      (isGiven(w) || (isSurname(w) && (following === undefined || dashLine)) || (dashLine && foreignWord(w)))
    ) {
      add(w.start, w.end, w.text, 0.6);
      i++;
      continue;
    }
    // Without a cue: an initial before a known surname (`K. Jeyakumar`, `E. Tchoupo-Mbarga`).
    const after = words[i + 1];
    if (
      isInitial(text, w) &&
      after !== undefined &&
      /^\.[ \t]?$/.test(after.gap) &&
      after.shape !== 'lower' &&
      isSurname(after)
    ) {
      add(w.start, after.end, `${w.text}. ${after.text}`, 0.7);
      i += 2;
      continue;
    }
    // Without a cue: `Schäfer-Brandt, Jürgen`; `Hashimi, Zarghuna` at a line's start, neither a German word.
    if ((isSurname(w) || foreignWord(w)) && w.shape !== 'lower') {
      const comma = words[i + 1];
      if (
        comma !== undefined &&
        /^[ \t]*,[ \t]*$/.test(comma.gap) &&
        comma.shape !== 'lower' &&
        (isGiven(comma) || (foreignWord(comma) && (isSurname(w) || lineStart(w, i))))
      ) {
        const second = words[i + 2];
        const end =
          second !== undefined &&
          sameLine(second) &&
          (isGiven(second) || (MONTHS.has(second.key) && !/^[ \t]*\d/.test(text.slice(second.end, second.end + 3)))) &&
          second.shape !== 'lower'
            ? i + 2
            : i + 1;
        const lastWord = words[end];
        if (lastWord !== undefined && !isFirmOrStreet(text, words, i, end)) {
          add(w.start, lastWord.end, `${nameValue(words, i + 1, end)} ${w.text}`, 0.75);
          i = end + 1;
          continue;
        }
      }
    }
    i++;
  }

  // Where candidates overlap the longest wins (on a tie the one found first).
  const order = found
    .map((c, i) => ({ c, i }))
    .sort((a, b) => b.c.end - b.c.start - (a.c.end - a.c.start) || a.i - b.i);
  const taken = new SpanSet(text.length);
  const names = order
    .filter(({ c }) => taken.tryAdd(c.start, c.end))
    .map(({ c }) => entityMatch('person-name', text, c.start, c.end, c.value, c.confidence))
    .sort(byPosition);
  const byStart = new Map(words.map((w, i) => [w.start, i]));
  const byEnd = new Map(words.map((w, i) => [w.end, i]));
  const echoes = findNameEchoes(text, names).filter((e) => !wordOrFirm(text, words, e, byStart, byEnd));
  return [...names, ...echoes].sort(byPosition);
}

/**
 * A later mention that is a word (`im Sommer`, `einen Wolf`, `der Bauer`) or part of a firm
 * (`Kanzlei Vogel`, `Fuchs & Partner`, `Fuchs-Apotheke`, `Weiß Architekten`), not the person.
 */
function wordOrFirm(
  text: string,
  words: readonly Word[],
  echo: EntityMatch,
  byStart: ReadonlyMap<number, number>,
  byEnd: ReadonlyMap<number, number>,
): boolean {
  if (text.charAt(echo.end) === '-' || text.charAt(echo.start - 1) === '-') return true;
  const before = words[(byStart.get(echo.start) ?? 0) - 1];
  const after = words[(byEnd.get(echo.end) ?? words.length) + 1];
  if (before !== undefined && NOT_BEFORE_ECHO.has(before.key) && /^[ \t]*$/.test(text.slice(before.end, echo.start)))
    return true;
  if (
    after !== undefined &&
    /^[ \t&+]*$/.test(text.slice(echo.end, after.start)) &&
    (FIRM.has(after.key) || /^(?:sohne|architekt|architekten|rechtsanwalte|steuerberater)$/.test(after.key))
  )
    return true;
  return false;
}
