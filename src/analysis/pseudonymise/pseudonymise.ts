import { ENTITY_KINDS, type EntityKind } from '../../jobs/entity-kinds.js';
import type { EntityMatch } from '../rules/entity-match.js';
import { entityMatch } from '../rules/entity-match.js';
import { recogniseEntities } from '../rules/recognisers/index.js';
import { SpanSet } from '../rules/span-set.js';
import {
  PLACEHOLDER_PATTERN,
  PLACEHOLDER_PREFIX,
  type PseudonymEntry,
  type PseudonymMapping,
  type PseudonymSpan,
} from './pseudonym-mapping.js';
import { safetyNet } from './safety-net.js';

/** Options of {@link pseudonymise}. */
export interface PseudonymiseOptions {
  /**
   * Kinds to replace.
   * @defaultValue every kind with a placeholder prefix (all personal data; plain dates stay)
   */
  readonly kinds?: readonly EntityKind[];
  /**
   * Matches below this confidence stay in the text. Low by default: a wrongly hidden word costs
   * little, a leaked name costs much.
   * @defaultValue 0
   */
  readonly minConfidence?: number;
  /**
   * Also hide what the safety net catches (safety-net.ts): reference-shaped tokens, person and
   * address form fields, addresses before a postcode, capitalised words the name gazetteer knows.
   * @defaultValue true
   */
  readonly net?: boolean;
}

/** Result of {@link pseudonymise}: text safe to send out, and what is needed to undo it. */
export interface PseudonymisedText {
  readonly text: string;
  readonly mapping: PseudonymMapping;
}

const PERSONAL_KINDS: readonly EntityKind[] = ENTITY_KINDS.filter((k) => PLACEHOLDER_PREFIX[k] !== undefined);

/**
 * Replaces personal data (names, addresses, birth dates, IBAN, Steuer-ID, Steuernummer, SV-Nr., phone,
 * e-mail, Aktenzeichen, Kassenzeichen) with placeholders like `[PERSON_1]`. The same normalised value
 * gets the same placeholder throughout the text, so a model still sees that two mentions are one
 * person. A placeholder that already occurs in the input is skipped, so restoring never touches
 * original text.
 */
export function pseudonymise(text: string, options: PseudonymiseOptions = {}): PseudonymisedText {
  const kinds = (options.kinds ?? PERSONAL_KINDS).filter((k) => PLACEHOLDER_PREFIX[k] !== undefined);
  const minConfidence = options.minConfidence ?? 0;
  // Later mentions of a recognised name (`… teilte Mustermann mit`) are names too: the recogniser finds them.
  const recognised = recogniseEntities(text, kinds).filter((m) => m.confidence >= minConfidence);
  const matches =
    options.net === false
      ? recognised
      : withNet(
          text,
          recognised,
          safetyNet(text).filter((m) => kinds.includes(m.kind) && m.confidence >= minConfidence),
        );

  const byValue = new Map<string, PseudonymEntry>();
  const counters = new Map<string, number>();
  // Placeholder-shaped strings already in the text, found in one pass (asking the text for each new
  // placeholder was a scan of the whole text per entity).
  const present = new Set([...text.matchAll(PLACEHOLDER_PATTERN)].map((m) => m[0]));
  const nextPlaceholder = (prefix: string): string => {
    let n = counters.get(prefix) ?? 0;
    let placeholder: string;
    do placeholder = `[${prefix}_${++n}]`;
    while (present.has(placeholder));
    counters.set(prefix, n);
    return placeholder;
  };

  const spans: PseudonymSpan[] = [];
  let out = '';
  let cursor = 0;
  for (const match of matches) {
    const prefix = PLACEHOLDER_PREFIX[match.kind];
    if (prefix === undefined) continue;
    const key = `${match.kind}\u0000${match.value}`;
    let entry = byValue.get(key);
    if (entry === undefined) {
      entry = { placeholder: nextPlaceholder(prefix), kind: match.kind, value: match.value, original: match.quote };
      byValue.set(key, entry);
    }
    out += text.slice(cursor, match.start);
    spans.push({
      placeholder: entry.placeholder,
      originalStart: match.start,
      originalEnd: match.end,
      pseudoStart: out.length,
      pseudoEnd: out.length + entry.placeholder.length,
    });
    out += entry.placeholder;
    cursor = match.end;
  }
  out += text.slice(cursor);
  return { text: out, mapping: { entries: [...byValue.values()], spans } };
}

/**
 * The recognisers' matches, and the parts of the net's matches they leave uncovered: a recognised
 * name keeps its value (so its later mentions share its placeholder); what the net adds around it
 * (`Kadhim` after a recognised `Haider`) is hidden as a piece of its own.
 */
function withNet(text: string, recognised: readonly EntityMatch[], net: readonly EntityMatch[]): EntityMatch[] {
  const taken = new SpanSet(text.length);
  for (const m of recognised) taken.add(m.start, m.end);
  const pieces: EntityMatch[] = [];
  const ordered = [...net].sort((a, b) => a.start - b.start || b.end - a.end);
  for (const m of ordered) {
    const before = pieces.length;
    let from = -1;
    for (let i = m.start; i <= m.end; i++) {
      const free = i < m.end && !taken.overlaps(i, i + 1);
      if (free && from < 0) from = i;
      if (!free && from >= 0) {
        const piece = trimPiece(text, from, i);
        if (piece !== undefined)
          pieces.push(entityMatch(m.kind, text, piece[0], piece[1], text.slice(piece[0], piece[1]), m.confidence));
        from = -1;
      }
    }
    for (const p of pieces.slice(before)) taken.add(p.start, p.end);
  }
  return [...recognised, ...pieces].sort((a, b) => a.start - b.start);
}

/** A piece without the blanks and punctuation at its ends; undefined when nothing is left. */
function trimPiece(text: string, start: number, end: number): [number, number] | undefined {
  let s = start;
  let e = end;
  while (s < e && !/[\p{L}\p{N}]/u.test(text.charAt(s))) s++;
  while (e > s && !/[\p{L}\p{N}.)]/u.test(text.charAt(e - 1))) e--;
  return s < e ? [s, e] : undefined;
}
