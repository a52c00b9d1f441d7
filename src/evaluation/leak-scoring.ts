import type { EntityKind } from '../jobs/entity-kinds.js';
import { TITLES } from '../analysis/rules/recognisers/person-name.words.js';
import type { GoldEntity } from './eval-set.js';

/** What an external provider saw of one gold entity: whether one of its identifying tokens was left in clear text. */
export interface LeakCount {
  total: number;
  leaked: number;
}

/**
 * Adds, per kind the pseudonymiser is meant to hide, how many gold entities leaked: an entity leaks
 * when one of its letters-or-digits tokens (titles aside) is not entirely inside a replaced span.
 */
export function scoreLeaks(
  gold: readonly GoldEntity[],
  replaced: readonly { start: number; end: number }[],
  hidden: ReadonlySet<EntityKind>,
  into: Map<EntityKind, LeakCount>,
): void {
  for (const g of gold) {
    if (!hidden.has(g.kind)) continue;
    const count = into.get(g.kind) ?? { total: 0, leaked: 0 };
    into.set(g.kind, count);
    count.total++;
    for (const token of g.quote.matchAll(/[\p{L}\p{N}]+/gu)) {
      // Titles stay in the text by design (the recogniser's own list): they identify nobody.
      if (g.kind === 'person-name' && TITLES.has(token[0].toLowerCase())) continue;
      const start = g.start + (token.index ?? 0);
      const end = start + token[0].length;
      if (!replaced.some((r) => r.start <= start && end <= r.end)) {
        count.leaked++;
        break;
      }
    }
  }
}

/** The cost of hiding: words that are no personal data, and how many of them the pseudonymiser hid anyway. */
export interface OverHiding {
  words: number;
  hidden: number;
}

/**
 * Adds the words of a text outside every gold entity (plain dates count as outside: they stay in
 * clear) and how many of those lie in a replaced span: context an external model lost for nothing.
 */
export function scoreOverHiding(
  text: string,
  gold: readonly GoldEntity[],
  replaced: readonly { start: number; end: number }[],
  hidden: ReadonlySet<EntityKind>,
  into: OverHiding,
): void {
  const personal = gold.filter((g) => hidden.has(g.kind));
  const inside = (start: number, end: number, spans: readonly { start: number; end: number }[]): boolean =>
    spans.some((r) => r.start <= start && end <= r.end);
  for (const w of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const start = w.index;
    const end = start + w[0].length;
    if (inside(start, end, personal)) continue;
    into.words++;
    if (inside(start, end, replaced)) into.hidden++;
  }
}
