import type { EntityKind } from '../../../jobs/entity-kinds.js';
import type { EntityMatch, Recogniser } from '../entity-match.js';
import { ocrDigitView } from '../ocr-digits.js';
import { SpanSet } from '../span-set.js';
import { recogniseAddresses } from './address.recogniser.js';
import { recogniseAktenzeichen } from './aktenzeichen.recogniser.js';
import { recogniseAmounts } from './amount.recogniser.js';
import { recogniseBescheidDates } from './bescheid-date.recogniser.js';
import { recogniseBirthDates } from './birth-date.recogniser.js';
import { recogniseDates } from './date.recogniser.js';
import { recogniseEmails } from './email.recogniser.js';
import { recogniseIbans } from './iban.recogniser.js';
import { recogniseKassenzeichen } from './kassenzeichen.recogniser.js';
import { recognisePersonNames } from './person-name.recogniser.js';
import { recognisePhones } from './phone.recogniser.js';
import { recogniseSteuerIds } from './steuer-id.recogniser.js';
import { recogniseSteuernummern } from './steuernummer.recogniser.js';
import { recogniseSvNummern } from './sozialversicherungsnummer.recogniser.js';

/** Every recogniser, one per entity kind: the one place a new kind is registered. */
export const RECOGNISERS: Readonly<Record<EntityKind, Recogniser>> = Object.freeze({
  date: recogniseDates,
  aktenzeichen: recogniseAktenzeichen,
  iban: recogniseIbans,
  email: recogniseEmails,
  phone: recognisePhones,
  address: recogniseAddresses,
  'steuer-id': recogniseSteuerIds,
  steuernummer: recogniseSteuernummern,
  sozialversicherungsnummer: recogniseSvNummern,
  'birth-date': recogniseBirthDates,
  'person-name': recognisePersonNames,
  kassenzeichen: recogniseKassenzeichen,
  amount: recogniseAmounts,
  'bescheid-date': recogniseBescheidDates,
});

/**
 * When two kinds claim overlapping text, the earlier kind in this list wins: checksummed numbers are
 * most certain, marked references next, loose shapes (phones, names) last. A phone "found" inside an
 * IBAN or an Aktenzeichen is therefore dropped. Amounts come last: they are no personal data, so they
 * must never take text from a kind the pseudonymiser hides.
 */
export const KIND_PRECEDENCE: readonly EntityKind[] = [
  'iban',
  'steuer-id',
  'sozialversicherungsnummer',
  'steuernummer',
  'email',
  'aktenzeichen',
  'kassenzeichen',
  'birth-date',
  'bescheid-date',
  'date',
  'address',
  'phone',
  'person-name',
  'amount',
];

/**
 * Pairs that may overlap without one suppressing the other: a birth date and a Bescheid's date are
 * dates too, and the Aktenzeichen recogniser reads a Kassenzeichen as a file number as well (its
 * property and the Kassenzeichen property both deserve the value).
 */
const REFINEMENTS: readonly (readonly [EntityKind, EntityKind])[] = [
  ['birth-date', 'date'],
  ['bescheid-date', 'date'],
  ['kassenzeichen', 'aktenzeichen'],
];

function refines(a: EntityKind, b: EntityKind): boolean {
  return REFINEMENTS.some(([x, y]) => (a === x && b === y) || (a === y && b === x));
}

function rank(kind: EntityKind): number {
  return KIND_PRECEDENCE.indexOf(kind);
}

/**
 * Every recogniser's raw matches, overlaps included; compute once and pass to {@link recogniseKind}.
 * They read the text with OCR's letters in numbers read as digits (ocr-digits.ts); the quotes are
 * the text's own.
 */
export function recogniseCandidates(text: string): EntityMatch[] {
  const view = ocrDigitView(text);
  const found = KIND_PRECEDENCE.flatMap((kind) => RECOGNISERS[kind](view));
  return view === text ? found : found.map((m) => ({ ...m, quote: text.slice(m.start, m.end) }));
}

/**
 * Matches of one kind that no higher-ranked kind claims. This is what extraction uses: asking for
 * phones must not return the digits of an IBAN.
 */
export function recogniseKind(
  text: string,
  kind: EntityKind,
  all: EntityMatch[] = recogniseCandidates(text),
): EntityMatch[] {
  const stronger = new SpanSet(text.length);
  for (const m of all) if (rank(m.kind) < rank(kind) && !refines(m.kind, kind)) stronger.add(m.start, m.end);
  return all.filter((m) => m.kind === kind && !stronger.overlaps(m.start, m.end));
}

/**
 * All entities of the text as non-overlapping matches in order of appearance: for each region the
 * highest-ranked kind, then the longer and more confident match. The pseudonymiser replaces these.
 */
export function recogniseEntities(text: string, kinds?: readonly EntityKind[]): EntityMatch[] {
  const candidates = recogniseCandidates(text).sort(
    (a, b) =>
      rank(a.kind) - rank(b.kind) ||
      b.end - b.start - (a.end - a.start) ||
      b.confidence - a.confidence ||
      a.start - b.start,
  );
  const kept: EntityMatch[] = [];
  const taken = new SpanSet(text.length);
  for (const c of candidates) if (taken.tryAdd(c.start, c.end)) kept.push(c);
  const wanted = kinds === undefined ? kept : kept.filter((m) => kinds.includes(m.kind));
  return wanted.sort((a, b) => a.start - b.start);
}
