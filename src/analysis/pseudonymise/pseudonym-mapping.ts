import type { EntityKind } from '../../jobs/entity-kinds.js';

/**
 * What is needed to undo a pseudonymisation. It holds the personal data itself, so it stays in the
 * house with the job and is never sent to a provider or logged. Plain data: it survives JSON.
 */
export interface PseudonymMapping {
  /** One entry per placeholder. */
  readonly entries: readonly PseudonymEntry[];
  /** One span per replaced occurrence, in text order; the basis of offset mapping. */
  readonly spans: readonly PseudonymSpan[];
}

export interface PseudonymEntry {
  /** `[PERSON_1]`, `[IBAN_2]`, … */
  readonly placeholder: string;
  readonly kind: EntityKind;
  /** Normalised value every occurrence shares (the reason they got the same placeholder). */
  readonly value: string;
  /** The text of the first occurrence; what {@link restore} writes back. */
  readonly original: string;
}

export interface PseudonymSpan {
  readonly placeholder: string;
  /** Offsets in the original text. */
  readonly originalStart: number;
  readonly originalEnd: number;
  /** Offsets of the placeholder in the pseudonymised text. */
  readonly pseudoStart: number;
  readonly pseudoEnd: number;
}

/**
 * Placeholder prefix per kind. Plain dates, a Bescheid's date and amounts are not personal data and
 * are not in this table; a Kassenzeichen names the person's account at the cash office.
 */
export const PLACEHOLDER_PREFIX: Readonly<Partial<Record<EntityKind, string>>> = Object.freeze({
  'person-name': 'PERSON',
  address: 'ADDRESS',
  'birth-date': 'BIRTH_DATE',
  iban: 'IBAN',
  'steuer-id': 'STEUER_ID',
  steuernummer: 'STEUERNUMMER',
  sozialversicherungsnummer: 'SV_NUMMER',
  phone: 'PHONE',
  email: 'EMAIL',
  aktenzeichen: 'AKTENZEICHEN',
  kassenzeichen: 'KASSENZEICHEN',
});

/** Matches any placeholder the pseudonymiser writes. */
export const PLACEHOLDER_PATTERN = /\[[A-Z]+(?:_[A-Z]+)*_\d+\]/g;
