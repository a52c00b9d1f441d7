import type { Analyser } from '../analysis/analysis.types.js';
import { PLACEHOLDER_PREFIX, pseudonymise } from '../analysis/pseudonymise/index.js';
import { DEFAULT_ENTITY_SCHEMA, entityKindForProperty } from '../analysis/rules/index.js';
import { ENTITY_KINDS, type EntityKind } from '../jobs/entity-kinds.js';
import type { Finding } from '../jobs/finding.js';
import { type EntityCounts, type PredictedEntity, scoreEntities } from './entity-scoring.js';
import type { EvalItem } from './eval-set.js';
import { type LeakCount, type OverHiding, scoreLeaks, scoreOverHiding } from './leak-scoring.js';

/** Counts of one classification label: gold, predicted and both. */
export interface LabelCounts {
  gold: number;
  predicted: number;
  matched: number;
}

/** What one part of a run (one set file) added up to; metrics are computed from it in eval-report.ts. */
export interface SetTally {
  items: number;
  entities: Map<EntityKind, EntityCounts>;
  leaks: Map<EntityKind, LeakCount>;
  /** Words that are no personal data, and how many the pseudonymiser hid all the same. */
  overHiding: OverHiding;
  labels: Map<string, LabelCounts>;
  /** Per extracted field: values expected, values found, values both (as strings). */
  fields: Map<string, LabelCounts & { exact: number; items: number }>;
  classified: number;
  classifiedExact: number;
  values: number;
  grounded: number;
  tokens: number;
  durationsMs: number[];
}

export interface EvalRun {
  analyser: string;
  provider: string;
  model: string;
  promptVersion: string;
  /** Per set file, in the order given. */
  sets: Map<string, SetTally>;
}

const newTally = (): SetTally => ({
  items: 0,
  entities: new Map(),
  leaks: new Map(),
  overHiding: { words: 0, hidden: 0 },
  labels: new Map(),
  fields: new Map(),
  classified: 0,
  classifiedExact: 0,
  values: 0,
  grounded: 0,
  tokens: 0,
  durationsMs: [],
});

/** The kinds the pseudonymiser hides before text leaves for an external provider. */
const HIDDEN: ReadonlySet<EntityKind> = new Set(ENTITY_KINDS.filter((k) => PLACEHOLDER_PREFIX[k] !== undefined));

const defaultProperties: unknown = DEFAULT_ENTITY_SCHEMA.properties;
const schemaProperties: [string, unknown][] =
  typeof defaultProperties === 'object' && defaultProperties !== null ? Object.entries(defaultProperties) : [];

/** The recogniser each property of the default entity schema stands for. */
const KIND_OF_PROPERTY = new Map(schemaProperties.map(([name, schema]) => [name, entityKindForProperty(name, schema)]));

/** The entities an extraction with the default entity schema names, by the recogniser each property stands for. */
function predictedEntities(finding: Finding): PredictedEntity[] {
  return (finding.extraction?.values ?? []).flatMap((v) => {
    const kind = KIND_OF_PROPERTY.get(v.field);
    if (kind === undefined) return [];
    return [{ kind, start: v.evidence?.start ?? null, end: v.evidence?.end ?? null }];
  });
}

/** A field's values as strings: a list's items, or the one value (objects as JSON). */
function valuesOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)).trim().replace(/\s+/g, ' '));
}

/** Adds per field how many expected values the extraction found; a field is exact when both lists are equal as sets. */
function scoreFields(
  expected: Record<string, unknown>,
  found: Record<string, unknown>,
  into: Map<string, LabelCounts & { exact: number; items: number }>,
): void {
  for (const field of new Set([...Object.keys(expected), ...Object.keys(found)])) {
    const want = valuesOf(expected[field]);
    const got = valuesOf(found[field]);
    const c = into.get(field) ?? { gold: 0, predicted: 0, matched: 0, exact: 0, items: 0 };
    into.set(field, c);
    c.items++;
    c.gold += want.length;
    c.predicted += got.length;
    const left = [...want];
    for (const g of got) {
      const at = left.indexOf(g);
      if (at >= 0) {
        left.splice(at, 1);
        c.matched++;
      }
    }
    const a = new Set(want);
    const b = new Set(got);
    if (a.size === b.size && [...a].every((x) => b.has(x))) c.exact++;
  }
}

/**
 * Runs every item through the analyser as the gateway would (an extract task with the default
 * entity schema; a classify task with the item's labels) and adds up what it found against the
 * truth. The pseudonymiser is scored on the same texts: what an external provider would have seen.
 */
export async function runEval(
  items: readonly EvalItem[],
  analyser: Analyser,
  options: { concurrency?: number } = {},
): Promise<EvalRun> {
  const run: EvalRun = { analyser: analyser.name, provider: '', model: '', promptVersion: '', sets: new Map() };
  const tally = (set: string): SetTally => {
    let t = run.sets.get(set);
    if (t === undefined) {
      t = newTally();
      run.sets.set(set, t);
    }
    return t;
  };
  for (const item of items) tally(item.set);
  const record = (t: SetTally, f: Finding): void => {
    run.provider = f.provider;
    run.model = f.model;
    run.promptVersion = run.promptVersion.includes(f.promptVersion)
      ? run.promptVersion
      : [run.promptVersion, f.promptVersion].filter((x) => x !== '').join('+');
    t.tokens += f.usage?.totalTokens ?? 0;
    t.durationsMs.push(f.durationMs);
    for (const v of f.extraction?.values ?? []) {
      t.values++;
      if (v.grounded) t.grounded++;
    }
  };
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) {
      const item = items[i];
      if (item === undefined) continue;
      const t = tally(item.set);
      t.items++;
      if (item.entities !== undefined) {
        const finding = await analyser.analyse({
          partId: item.id,
          text: item.text,
          task: { kind: 'extract', schema: DEFAULT_ENTITY_SCHEMA },
        });
        record(t, finding);
        scoreEntities(item.entities, predictedEntities(finding), t.entities);
        const { mapping } = pseudonymise(item.text);
        const replaced = mapping.spans.map((s) => ({ start: s.originalStart, end: s.originalEnd }));
        scoreLeaks(item.entities, replaced, HIDDEN, t.leaks);
        scoreOverHiding(item.text, item.entities, replaced, HIDDEN, t.overHiding);
      }
      if (item.extraction !== undefined) {
        const finding = await analyser.analyse({
          partId: item.id,
          text: item.text,
          task: { kind: 'extract', schema: item.extraction.schema },
        });
        record(t, finding);
        scoreFields(item.extraction.expected, finding.extraction?.data ?? {}, t.fields);
      }
      if (item.classification !== undefined) {
        const { labels, expected, multi } = item.classification;
        const finding = await analyser.analyse({
          partId: item.id,
          text: item.text,
          task: { kind: 'classify', labels, multi },
        });
        record(t, finding);
        const got = new Set((finding.classification?.labels ?? []).map((l) => l.code));
        const want = new Set(expected);
        t.classified++;
        if (got.size === want.size && [...got].every((c) => want.has(c))) t.classifiedExact++;
        for (const code of new Set([...got, ...want])) {
          const c = t.labels.get(code) ?? { gold: 0, predicted: 0, matched: 0 };
          t.labels.set(code, c);
          if (want.has(code)) c.gold++;
          if (got.has(code)) c.predicted++;
          if (want.has(code) && got.has(code)) c.matched++;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, lane));
  return run;
}
