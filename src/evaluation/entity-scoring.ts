import type { EntityKind } from '../jobs/entity-kinds.js';
import type { GoldEntity } from './eval-set.js';

/** A predicted entity: its kind and offsets in the item's text (null offsets: the analyser gave no usable quote). */
export interface PredictedEntity {
  kind: EntityKind;
  start: number | null;
  end: number | null;
}

/** Counts of one kind over a set: what precision, recall, F1 and exact match are computed from. */
export interface EntityCounts {
  gold: number;
  predicted: number;
  /** Predictions that overlap a gold entity of their kind (each gold entity taken once). */
  matched: number;
  /** Of those, predictions with exactly the gold offsets. */
  exact: number;
}

export const emptyCounts = (): EntityCounts => ({ gold: 0, predicted: 0, matched: 0, exact: 0 });

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean =>
  a.start < b.end && b.start < a.end;

/** Kinds that are dates too: a predicted plain date on one of them is neither right nor wrong. */
const DATE_REFINEMENTS: ReadonlySet<EntityKind> = new Set(['birth-date', 'bescheid-date']);

/**
 * Scores one item's predictions against its gold entities, per kind, adding to `into`. A predicted
 * plain date on a gold birth date or Bescheid date is neither right nor wrong (those are dates too),
 * so it is left out; every other prediction counts.
 */
export function scoreEntities(
  gold: readonly GoldEntity[],
  predicted: readonly PredictedEntity[],
  into: Map<EntityKind, EntityCounts>,
): void {
  const counts = (kind: EntityKind): EntityCounts => {
    let c = into.get(kind);
    if (c === undefined) {
      c = emptyCounts();
      into.set(kind, c);
    }
    return c;
  };
  for (const g of gold) counts(g.kind).gold++;
  const taken = new Set<GoldEntity>();
  const ordered = [...predicted].sort((a, b) => (a.start ?? -1) - (b.start ?? -1));
  for (const p of ordered) {
    const { start, end } = p;
    if (start !== null && end !== null) {
      const span = { start, end };
      if (p.kind === 'date' && gold.some((g) => DATE_REFINEMENTS.has(g.kind) && overlaps(g, span))) continue;
      const hit = gold.find((g) => g.kind === p.kind && !taken.has(g) && overlaps(g, span));
      counts(p.kind).predicted++;
      if (hit === undefined) continue;
      taken.add(hit);
      counts(p.kind).matched++;
      if (hit.start === start && hit.end === end) counts(p.kind).exact++;
    } else {
      counts(p.kind).predicted++;
    }
  }
}
