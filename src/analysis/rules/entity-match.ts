import type { EntityKind } from '../../jobs/entity-kinds.js';

/**
 * The shape every recogniser answers with. Kept apart from the analyser contract because the
 * pseudonymiser uses the same matches without running a task.
 */

/** One entity found in a text. Offsets are UTF-16 indices; `quote` is always `text.slice(start, end)`. */
export interface EntityMatch {
  readonly kind: EntityKind;
  /** Normalised value (ISO date, compact IBAN, E.164 phone, …). */
  readonly value: string;
  readonly start: number;
  readonly end: number;
  /** Exact slice of the source text. */
  readonly quote: string;
  /** How sure the rule is, in [0, 1]. Checksummed kinds score high, heuristic ones lower. */
  readonly confidence: number;
}

/** A recogniser is a pure function: same text, same matches, in order of appearance. */
export type Recogniser = (text: string) => EntityMatch[];

/** Builds a match whose quote is taken from the text, so quote and offsets can never disagree. */
export function entityMatch(
  kind: EntityKind,
  text: string,
  start: number,
  end: number,
  value: string,
  confidence: number,
): EntityMatch {
  return { kind, value, start, end, quote: text.slice(start, end), confidence };
}

/** Iterates a global regex over a text; a fresh RegExp per call keeps recognisers re-entrant. */
export function* matchAll(pattern: RegExp, text: string): Generator<RegExpExecArray> {
  const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    yield m;
    if (m[0].length === 0) re.lastIndex++;
  }
}

/** Sorts matches by position, then longer first: the order every recogniser returns. */
export function byPosition(a: EntityMatch, b: EntityMatch): number {
  return a.start - b.start || b.end - a.end;
}
