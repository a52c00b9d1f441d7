import { byPosition, entityMatch, matchAll, type EntityMatch } from '../entity-match.js';
import { SpanSet } from '../span-set.js';

const NAME = '[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?';
const PARTICLE = '(?:von der|von dem|van der|von|van|de|zu|vom|zur|ten)';
const FULL_NAME = `${NAME}(?:[ \\t]+(?:${PARTICLE}[ \\t]+)?${NAME}){0,2}`;
/** Academic and professional titles between the marker and the name; they are not part of the value. */
const TITLES = '(?:(?:Dr\\.-Ing\\.|Dr\\.|Prof\\.|Dipl\\.-[A-Z][a-z]+\\.|med\\.|jur\\.|rer\\. nat\\.)[ \\t]*)*';
const ROLE =
  '(?:Antragsteller(?:in|\\(in\\)|/in)?|Bauherr(?:in|\\(in\\)|/in)?|Widerspruchsführer(?:in|\\(in\\))?|Kläger(?:in|\\(in\\))?|' +
  '(?:Grundstücks)?[Ee]igentümer(?:in|\\(in\\))?|Bevollmächtigte[r]?|Name, Vorname|Vor- und Nachname|Name)';

/** `Herr Max Mustermann`, `Frau Dr. Erika Mustermann`, `Herrn Müller`. */
const SALUTATION = new RegExp(`(?<![\\wäöüß])(?:Herrn?|Frau)[ \\t]+${TITLES}(${FULL_NAME})`, 'gd');
/** `Dr. Erika Mustermann` without salutation. */
const TITLED = new RegExp(`(?<![\\wäöüß])(?:Dr\\.|Prof\\.)[ \\t]*${TITLES}(${FULL_NAME})`, 'gd');
/** `Antragstellerin: Erika Mustermann`, `Bauherr: Mustermann, Max`. */
const ROLE_NAME = new RegExp(
  `(?<![\\wäöüß])${ROLE}[ \\t]*:?[ \\t]*(?:(?:Herrn?|Frau)[ \\t]+)?${TITLES}(?:(${NAME}),[ \\t]*(${NAME}(?:[ \\t]+${NAME})?)(?![\\wäöüß])|(${FULL_NAME}))`,
  'gd',
);

/**
 * Capitalised words that follow a marker but are no names: articles and pronouns at a sentence start,
 * offices (`Frau Bürgermeisterin`) and the nouns of administrative letters.
 */
const NOT_A_NAME = new Set([
  'Der',
  'Die',
  'Das',
  'Den',
  'Dem',
  'Des',
  'Ein',
  'Eine',
  'Einer',
  'Sie',
  'Er',
  'Es',
  'Ihr',
  'Ihre',
  'Ihnen',
  'Wir',
  'Ich',
  'Und',
  'Oder',
  'Mit',
  'Von',
  'Im',
  'Am',
  'Herr',
  'Herrn',
  'Frau',
  'Bitte',
  'Vielen',
  'Dank',
  'Bürgermeister',
  'Bürgermeisterin',
  'Oberbürgermeister',
  'Oberbürgermeisterin',
  'Präsident',
  'Präsidentin',
  'Minister',
  'Ministerin',
  'Vorsitzende',
  'Vorsitzender',
  'Kollege',
  'Kollegin',
  'Rechtsanwalt',
  'Rechtsanwältin',
  'Landrat',
  'Landrätin',
  'Richter',
  'Richterin',
  'Direktor',
  'Direktorin',
  'Staatssekretär',
  'Staatssekretärin',
  'Abgeordnete',
  'Abgeordneter',
  'Sachbearbeiter',
  'Sachbearbeiterin',
  'Notar',
  'Notarin',
  'Architekt',
  'Architektin',
  'Antrag',
  'Bescheid',
  'Widerspruch',
  'Bauantrag',
  'Stadt',
  'Gemeinde',
  'Landkreis',
  'Amt',
  'Behörde',
  'Antragsteller',
  'Antragstellerin',
  'Bauherr',
  'Bauherrin',
  'Eigentümer',
  'Eigentümerin',
  'Vorname',
  'Nachname',
]);

const TOKEN = new RegExp(`${NAME}|${PARTICLE}`, 'g');

interface NameSpan {
  start: number;
  end: number;
  tokens: string[];
}

/** Cuts the name before the first word that is no name; particles may not end a name. */
function trimName(text: string, start: number, end: number): NameSpan | null {
  const tokens: { word: string; end: number }[] = [];
  for (const t of matchAll(TOKEN, text.slice(start, end))) {
    if (NOT_A_NAME.has(t[0])) break;
    tokens.push({ word: t[0], end: start + t.index + t[0].length });
  }
  while (tokens.length > 0 && /^[a-z]/.test(tokens[tokens.length - 1]?.word ?? '')) tokens.pop();
  const last = tokens[tokens.length - 1];
  return last === undefined ? null : { start, end: last.end, tokens: tokens.map((t) => t.word) };
}

function groupSpan(m: RegExpExecArray, group: number): [number, number] | null {
  const span = m.indices?.[group];
  return span === undefined ? null : [span[0], span[1]];
}

/**
 * Person names after a salutation (`Herr`, `Frau`), a title (`Dr.`, `Prof.`) or a role word
 * (`Antragsteller(in)`, `Bauherr(in)`, `Name:` …). Precision over recall: no marker, no name;
 * after a role word two name words are needed, because one capitalised word is often a noun.
 */
export function recognisePersonNames(text: string): EntityMatch[] {
  const candidates: EntityMatch[] = [];
  const add = (span: NameSpan | null, value: string | null, confidence: number): void => {
    if (span !== null && value !== null)
      candidates.push(entityMatch('person-name', text, span.start, span.end, value, confidence));
  };
  for (const m of matchAll(ROLE_NAME, text)) {
    const surname = groupSpan(m, 1);
    const given = groupSpan(m, 2);
    if (surname !== null && given !== null) {
      const last = trimName(text, surname[0], surname[1]);
      const first = trimName(text, given[0], given[1]);
      if (last !== null && first !== null && last.end === surname[1]) {
        add(
          { start: surname[0], end: first.end, tokens: [] },
          `${first.tokens.join(' ')} ${last.tokens.join(' ')}`,
          0.85,
        );
      }
      continue;
    }
    const full = groupSpan(m, 3);
    const span = full === null ? null : trimName(text, full[0], full[1]);
    if (span !== null && span.tokens.length >= 2) add(span, span.tokens.join(' '), 0.8);
  }
  for (const [pattern, single, multi] of [
    [SALUTATION, 0.75, 0.85],
    [TITLED, 0.7, 0.8],
  ] as const) {
    for (const m of matchAll(pattern, text)) {
      const full = groupSpan(m, 1);
      const span = full === null ? null : trimName(text, full[0], full[1]);
      if (span !== null) add(span, span.tokens.join(' '), span.tokens.length >= 2 ? multi : single);
    }
  }
  // Where candidates overlap the longest wins (on a tie the one found first: role word, salutation, title).
  const order = candidates
    .map((c, i) => ({ c, i }))
    .sort((a, b) => b.c.end - b.c.start - (a.c.end - a.c.start) || a.i - b.i);
  const taken = new SpanSet(text.length);
  return order
    .filter(({ c }) => taken.tryAdd(c.start, c.end))
    .map(({ c }) => c)
    .sort(byPosition);
}
