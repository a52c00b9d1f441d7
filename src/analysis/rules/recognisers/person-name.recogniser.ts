import { byPosition, entityMatch, type EntityMatch } from '../entity-match.js';
import { GIVEN_NAMES, nameKey, SURNAMES } from '../name-gazetteer.js';
import { SpanSet } from '../span-set.js';
import { findNameEchoes } from './name-echoes.js';

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

/** Particles inside a name (`Karl von Bergen`, `Jan van der Berg`, `Ahmad al Masri`); never its end. */
const PARTICLES = new Set([
  'von',
  'van',
  'der',
  'den',
  'de',
  'dem',
  'zu',
  'zur',
  'vom',
  'ten',
  'ter',
  'al',
  'el',
  'da',
  'di',
  'del',
  'dos',
  'du',
  'la',
  'le',
  'bin',
  'ibn',
  'abu',
]);

/** Titles that open a name and belong to its quote. Keys of the words, a dot after each. */
const TITLES = new Set([
  'dr',
  'prof',
  'med',
  'dent',
  'vet',
  'jur',
  'rer',
  'nat',
  'pol',
  'phil',
  'habil',
  'dipl',
  'ing',
  'mag',
  'sc',
  'msc',
  'ba',
  'ma',
]);

/**
 * Words that are never a name or a name's part, whatever the gazetteer says: function words,
 * months and days, offices and the nouns of administrative letters. Keys.
 */
const NEVER = new Set(
  (
    'der die das den dem des ein eine einer einem eines und oder aber mit von vom zum zur im am an auf aus bei bis fur ' +
    'gegen in nach ohne seit uber um unter vor wegen zu zwischen als wie so da wo ich du er sie es wir ihr ihre ihnen ' +
    'mein meine sein seine unser unsere dies diese dieser dieses jede jeder alle bitte dank vielen sehr geehrte geehrter ' +
    'liebe lieber hallo guten tag hiermit herr herrn frau fraulein montag dienstag mittwoch donnerstag freitag samstag ' +
    'sonntag heute morgen agentur ra rain ihres ihrem ihren ihrer hilfe ' +
    'burgermeister burgermeisterin oberburgermeister oberburgermeisterin prasident prasidentin minister ministerin ' +
    'vorsitzende vorsitzender kollege kollegin rechtsanwalt rechtsanwaltin anwalt anwaltin landrat landratin richterin ' +
    'direktor direktorin staatssekretar abgeordnete abgeordneter sachbearbeiter sachbearbeiterin notar notarin ' +
    'architekt architektin antrag bescheid widerspruch bauantrag stadt gemeinde landkreis amt behorde antragsteller ' +
    'antragstellerin bauherr bauherrin eigentumer eigentumerin vorname nachname name art mark will grusse gruss ' +
    'freundlichen freundliche mfg anlage anlagen betreff datum telefon fax mail email strasse str weg platz allee ' +
    'gasse ring damm ufer gmbh ag kg ohg ug mbh gbr ev eg co bau team service verwaltung abteilung referat ' +
    'sachgebiet fachbereich jobcenter finanzamt bauamt standesamt ordnungsamt burgeramt kasse stadtkasse landesamt ' +
    'kreis bezirk land bund deutschland ihr ihre euer eure kind kinder sohn tochter mutter vater ehefrau ehemann ' +
    'gez ia iv zhd hd nr az kontoinhaber kontoinhaberin geb geboren wohnhaft'
  ).split(' '),
);

/** Months: never the start of a name, but a part after a name (`Nguyen Thi Mai`) when no day number follows. */
const MONTHS = new Set([
  'januar',
  'februar',
  'marz',
  'april',
  'mai',
  'juni',
  'juli',
  'august',
  'september',
  'oktober',
  'november',
  'dezember',
]);

/** Words before a later mention that make it a word or a firm (`im Sommer`, `einen Wolf`, `Kanzlei Vogel`). Keys. */
const NOT_BEFORE_ECHO = new Set([
  'der',
  'die',
  'das',
  'den',
  'dem',
  'des',
  'ein',
  'eine',
  'einen',
  'einem',
  'einer',
  'im',
  'am',
  'vom',
  'zum',
  'beim',
  'ins',
  'kein',
  'keinen',
  'kanzlei',
  'steuerkanzlei',
  'ingenieurburo',
  'buro',
  'architekturburo',
  'hausverwaltung',
  'firma',
  'praxis',
  'apotheke',
  'autohaus',
  'bestattungen',
  'bestattungshaus',
]);

/** Endings of institutions (`Landratsamt`, `Familienkasse`, `Rhein-Erft-Kreis`) and of adjectives before them (`Hessisches`). */
const INSTITUTION_END =
  /(?:amt|amter|behorde|kasse|kreis|agentur|verwaltung|ministerium|gericht|zentrum|schule|universitat|hochschule|bank|sparkasse|versicherung|werke|bezirk|region|gemeinde|stadt|dienst|zentrale|direktion|prasidium|kammer|verband|verein|institut|buro|kanzlei|klinik|klinikum|krankenhaus|apotheke|jobcenter|isches|ische|ischer|ischen)$/;

/** Words after a name that make it a firm's name (`Koch Bau GmbH`, `Müller & Partner`). Keys. */
const FIRM = new Set([
  'gmbh',
  'ag',
  'kg',
  'ohg',
  'ug',
  'mbh',
  'gbr',
  'ev',
  'eg',
  'co',
  'bau',
  'immobilien',
  'consulting',
  'architekten',
  'partner',
  'partnerschaft',
  'verlag',
  'stiftung',
  'holding',
  'logistik',
  'transporte',
  'elektro',
  'sanitar',
  'gartenbau',
  'handel',
  'service',
  'services',
  'gruppe',
  'group',
  'kanzlei',
  'apotheke',
  'praxis',
]);

/** Street words: a name before them is a street's (`Hans-Böckler-Straße`, `Anne Frank Platz`). */
const STREET_END =
  /(?:strasse|str|weg|allee|platz|gasse|ring|damm|ufer|chaussee|steig|pfad|markt|wall|graben|hof|brucke|park)$/;

/** Endings of German nouns that are rarely a surname unless the gazetteer knows it. */
const NOUN_END =
  /(?:ung|heit|keit|schaft|tion|tat|ismus|ment|antrag|bescheid|verfahren|gebuhr|gebuhren|amt|stelle|unterlagen|nachweis|vertrag|erklarung|zeichen)$/;

type CueKind = 'salutation' | 'role' | 'closing' | 'title';

/** Cues as word-key sequences; the longest that matches at a word wins. */
const CUES: readonly (readonly [readonly string[], CueKind])[] = [
  [['herr'], 'salutation'],
  [['herrn'], 'salutation'],
  [['frau'], 'salutation'],
  [['z', 'hd'], 'salutation'],
  [['zhd'], 'salutation'],
  [['eheleute'], 'salutation'],
  [['gez'], 'closing'],
  [['i', 'a'], 'closing'],
  [['i', 'v'], 'closing'],
  [['ia'], 'closing'],
  [['mit', 'freundlichen', 'grussen'], 'closing'],
  [['mit', 'freundlichem', 'gruss'], 'closing'],
  [['freundliche', 'grusse'], 'closing'],
  [['viele', 'grusse'], 'closing'],
  [['beste', 'grusse'], 'closing'],
  [['herzliche', 'grusse'], 'closing'],
  [['liebe', 'grusse'], 'closing'],
  [['mfg'], 'closing'],
  [['hochachtungsvoll'], 'closing'],
  [['im', 'auftrag'], 'closing'],
  [['in', 'vertretung'], 'closing'],
  [['lg'], 'closing'],
  [['vg'], 'closing'],
  [['gruss'], 'closing'],
  [['grusse'], 'closing'],
  [['danke'], 'closing'],
  [['obrigada'], 'closing'],
  [['obrigado'], 'closing'],
  [['ra'], 'salutation'],
  [['rain'], 'salutation'],
  [['ich', 'bin'], 'role'],
  [['ich', 'heisse'], 'role'],
  [['mein', 'name', 'ist'], 'role'],
  [['hier', 'ist'], 'role'],
  [['hier', 'spricht'], 'role'],
  [['hiermit', 'beantrage', 'ich'], 'role'],
  [['hiermit', 'beantragen', 'wir'], 'role'],
  [['hiermit', 'lege', 'ich'], 'role'],
  [['ich'], 'role'],
  [['vertreten', 'durch'], 'role'],
  [['geb'], 'role'],
  [['geborene'], 'role'],
  [['dr'], 'title'],
  [['prof'], 'title'],
  [['dipl', 'ing'], 'title'],
];

/** Role words, with their feminine and `(in)` forms; a colon or blank follows. Keys. */
const ROLES = new Set(
  (
    'antragsteller antragstellerin bauherr bauherrin widerspruchsfuhrer widerspruchsfuhrerin klager klagerin beklagte ' +
    'beklagter eigentumer eigentumerin grundstuckseigentumer grundstuckseigentumerin bevollmachtigte bevollmachtigter ' +
    'kontoinhaber kontoinhaberin inhaber inhaberin name vorname nachname familienname geburtsname zuname ' +
    'ansprechpartner ansprechpartnerin sachbearbeiter sachbearbeiterin bearbeiter bearbeiterin verfasser verfasserin ' +
    'absender absenderin mieter mieterin vermieter vermieterin erziehungsberechtigte erziehungsberechtigter ' +
    'ehemann ehefrau ehegatte ehegattin sohn tochter kind schuler schulerin verstorbene verstorbener erblasser ' +
    'erblasserin zeuge zeugin halter halterin betroffene betroffener beteiligte beteiligter unterzeichner ' +
    'unterzeichnerin vollmachtgeber vollmachtgeberin auftraggeber auftraggeberin patient patientin mitglied ' +
    'empfanger empfangerin unterschrift vertreter vertreterin vornamen sachbearbeitung haushaltsangehorige ' +
    'haushaltsangehoriger angehorige angehoriger kinder ehegatten'
  ).split(' '),
);

const known = (w: Word): boolean =>
  GIVEN_NAMES.has(w.key) || SURNAMES.has(w.key) || hyphenKnown(w, SURNAMES) || hyphenKnown(w, GIVEN_NAMES);
const isGiven = (w: Word): boolean =>
  (GIVEN_NAMES.has(w.key) || (hyphenKnown(w, GIVEN_NAMES) && w.key.split('-').every((p) => GIVEN_NAMES.has(p)))) &&
  !NEVER.has(w.key) &&
  !MONTHS.has(w.key);

/** A double name whose halves the gazetteer knows (`Schäfer-Brandt`). */
function hyphenKnown(w: Word, set: ReadonlySet<string>): boolean {
  if (!w.key.includes('-')) return false;
  return w.key.split('-').some((p) => set.has(p) && !NEVER.has(p));
}

const isSurname = (w: Word): boolean => (SURNAMES.has(w.key) && !NEVER.has(w.key)) || hyphenKnown(w, SURNAMES);

/** Blanks only (a name does not cross a line or a comma). */
const sameLine = (w: Word): boolean => /^[ \t]*$/.test(w.gap);

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
function cueAt(words: readonly Word[], i: number): { kind: CueKind; next: number } | undefined {
  let best: { kind: CueKind; next: number } | undefined;
  for (const [seq, kind] of CUES) {
    if (best !== undefined && seq.length <= best.next - i) continue;
    if (seq.every((k, j) => words[i + j]?.key === k)) best = { kind, next: i + seq.length };
  }
  const w = words[i];
  if (best === undefined && w !== undefined && ROLES.has(w.key)) best = { kind: 'role', next: i + 1 };
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
function nameAt(
  text: string,
  words: readonly Word[],
  i: number,
  strict: boolean,
): { last: number; inverted?: number } | undefined {
  let last = -1;
  for (let k = i; k < words.length && k - i < 6; k++) {
    const w = words[k];
    if (w === undefined || (k > i && !sameLine(w))) break;
    if (k > i && PARTICLES.has(w.key) && w.shape === 'lower') continue;
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
  const comma = words[last + 1];
  if (last === i && comma !== undefined && /^[ \t]*,[ \t]*$/.test(comma.gap) && isGiven(comma)) {
    const second = words[last + 2];
    const secondGiven =
      second !== undefined &&
      sameLine(second) &&
      (isGiven(second) || MONTHS.has(second.key)) &&
      nameLike({ ...second, key: MONTHS.has(second.key) ? 'x' : second.key });
    const inverted = secondGiven ? last + 2 : last + 1;
    return { last, inverted };
  }
  return { last };
}

/** Followed by a firm's word or a street word: not a person. */
function isFirmOrStreet(words: readonly Word[], last: number): boolean {
  const next = words[last + 1];
  if (next === undefined || !/^[ \t&+]*$/.test(next.gap)) return false;
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
  const add = (start: number, end: number, value: string, confidence: number): void => {
    found.push({ start, end, value, confidence });
  };
  /** A name at word `at` (after a cue or a given name), its quote starting at `quoteFrom`. */
  const take = (quoteFrom: number, at: number, single: boolean, multi: number, one: number, strict = false): number => {
    const name = nameAt(text, words, at, strict);
    const first = words[at];
    const startWord = words[quoteFrom];
    if (name === undefined || first === undefined || startWord === undefined) return at;
    if (isFirmOrStreet(words, name.inverted ?? name.last)) return name.last + 1;
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
      if (cue.kind === 'role' && cueWord !== undefined && words[cue.next] !== undefined) {
        const gap = (words[cue.next]?.gap ?? '').replace(/^\)/, '');
        if (cueWord.key === 'ich' && cue.next === i + 1 && !/^[ \t]*,[ \t]*$/.test(gap)) {
          i++;
          continue;
        }
        if (!/^[ \t]*(?:\([\p{L}]{1,3}\)|\/[\p{L}]{1,3}|\*in)?[ \t]*[:,]?[ \t]*$/u.test(gap)) {
          i++;
          continue;
        }
      }
      let at = cue.next;
      // After a role: an optional salutation (`Antragstellerin: Frau Dr. …`).
      if (cue.kind === 'role' && (words[at]?.key === 'frau' || words[at]?.key === 'herr' || words[at]?.key === 'herrn'))
        at++;
      const quoteFrom = cue.kind === 'title' ? i : at;
      at = skipTitles(text, words, cue.kind === 'title' ? i : at);
      const next = words[at];
      const closingOk = cue.kind === 'closing' && next !== undefined && /^[ \t,.:!]*(?:\r?\n[ \t]*)?$/.test(next.gap);
      const inline = next !== undefined && /^\)?[ \t.:,]*$/.test(next.gap);
      if (next !== undefined && (inline || closingOk)) {
        // A form's field (`Name: Nowicka`) holds a name however short; a role word in prose needs a known one.
        const field = cue.kind === 'role' && /:/.test(next.gap);
        // A role word in prose (`Sachbearbeitung Hilfe zur Pflege`) needs a name the gazetteer knows.
        if (cue.kind === 'role' && !field && !/,/.test(next.gap)) {
          const name = nameAt(text, words, at, false);
          if (name === undefined || !words.slice(at, name.last + 1).some(known)) {
            i = cue.next;
            continue;
          }
        }
        const single =
          cue.kind === 'salutation' ||
          cue.kind === 'title' ||
          field ||
          known(next) ||
          (cue.kind === 'closing' && next.shape !== 'lower');
        if (cue.kind === 'closing' && !known(next) && !nameLike(next)) {
          i = cue.next;
          continue;
        }
        let end = take(quoteFrom, at, single, 0.85, cue.kind === 'salutation' ? 0.75 : 0.65);
        // Couples and lists: `Eheleute Anna und Peter Schmidt`, `Kinder Zofia und Jakub`, `Herrn Max und Frau Erika Muster`.
        for (let n = 0; n < 4 && end > at; n++) {
          const und = words[end];
          if (und === undefined || (und.key !== 'und' && und.key !== 'sowie') || !sameLine(und)) break;
          let partner = end + 1;
          if (words[partner]?.key === 'frau' || words[partner]?.key === 'herr' || words[partner]?.key === 'herrn')
            partner++;
          const p = words[partner];
          if (p === undefined || !sameLine(p) || !(isGiven(p) || (p.shape !== 'lower' && partner > end + 1))) break;
          const from = skipTitles(text, words, partner);
          const next2 = take(partner, from, true, 0.8, 0.7);
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
      const name = nameAt(text, words, i, w.shape === 'lower');
      if (name !== undefined && name.last > i) {
        const tail = words.slice(i + 1, name.last + 1).filter((x) => !PARTICLES.has(x.key) || x.shape !== 'lower');
        const lastWord = words[name.last];
        const surnameKnown = tail.some(isSurname);
        const lowerOk = w.shape !== 'lower' || tail.every((x) => known(x));
        if (
          lastWord !== undefined &&
          lowerOk &&
          !isFirmOrStreet(words, name.last) &&
          (surnameKnown || w.shape !== 'lower')
        ) {
          add(w.start, lastWord.end, nameValue(words, i, name.last), surnameKnown ? 0.8 : 0.6);
          i = name.last + 1;
          continue;
        }
      }
      // `Anna und Peter Schmidt`: the given name before `und` is a name when a name follows.
      const und = words[i + 1];
      const partner = words[i + 2];
      if (und?.key === 'und' && sameLine(und) && partner !== undefined && isGiven(partner)) {
        const rest = nameAt(text, words, i + 2, partner.shape === 'lower');
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
    // Without a cue: `Schäfer-Brandt, Jürgen`.
    if (isSurname(w) && w.shape !== 'lower') {
      const comma = words[i + 1];
      if (comma !== undefined && /^[ \t]*,[ \t]*$/.test(comma.gap) && isGiven(comma) && comma.shape !== 'lower') {
        const second = words[i + 2];
        const end =
          second !== undefined &&
          sameLine(second) &&
          (isGiven(second) || (MONTHS.has(second.key) && !/^[ \t]*\d/.test(text.slice(second.end, second.end + 3)))) &&
          second.shape !== 'lower'
            ? i + 2
            : i + 1;
        const lastWord = words[end];
        if (lastWord !== undefined && !isFirmOrStreet(words, end)) {
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
