import { ENTITY_KINDS } from '../jobs/entity-kinds.js';
import type { EvalRun, SetTally } from './eval-run.js';

/** Precision, recall, F1 and exact match of one kind or label (null where nothing was there to score). */
export interface Scores {
  gold: number;
  predicted: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  exact?: number | null;
}

export interface SetReport {
  items: number;
  entities: Record<string, Scores>;
  /** All kinds together (micro average). */
  entitiesAll: Scores;
  /** Share of gold entities of each hidden kind that an external provider would have seen in part or whole. */
  leaks: Record<string, { total: number; leaked: number; rate: number | null }>;
  /** Words that are no personal data which the pseudonymiser hid all the same: the context an external model lost. */
  overHiding: { words: number; hidden: number; rate: number | null };
  labels: Record<string, Scores>;
  /** Per extracted field (extraction items and review corrections): exact = share of items whose values were all right. */
  fields: Record<string, Scores>;
  classificationExactMatch: number | null;
  grounding: { values: number; grounded: number; rate: number | null };
  tokens: number;
  latencyMs: { p50: number | null; p95: number | null };
}

/** The JSON a run writes (`--json`) and a later run compares with (`--baseline`). */
export interface EvalReport {
  analyser: string;
  provider: string;
  model: string;
  promptVersion: string;
  sets: Record<string, SetReport>;
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : Math.round((a / b) * 10_000) / 10_000);

function scores(gold: number, predicted: number, matched: number, exact?: number): Scores {
  const precision = ratio(matched, predicted);
  const recall = ratio(matched, gold);
  const f1 =
    precision === null || recall === null || precision + recall === 0
      ? precision === null && recall === null
        ? null
        : 0
      : Math.round(((2 * precision * recall) / (precision + recall)) * 10_000) / 10_000;
  return { gold, predicted, precision, recall, f1, ...(exact === undefined ? {} : { exact: ratio(exact, gold) }) };
}

function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0) * 10) / 10;
}

function setReport(t: SetTally): SetReport {
  const entities: Record<string, Scores> = {};
  let gold = 0;
  let predicted = 0;
  let matched = 0;
  let exact = 0;
  for (const kind of ENTITY_KINDS) {
    const c = t.entities.get(kind);
    if (c === undefined) continue;
    entities[kind] = scores(c.gold, c.predicted, c.matched, c.exact);
    gold += c.gold;
    predicted += c.predicted;
    matched += c.matched;
    exact += c.exact;
  }
  const leaks: SetReport['leaks'] = {};
  for (const kind of ENTITY_KINDS) {
    const l = t.leaks.get(kind);
    if (l !== undefined) leaks[kind] = { ...l, rate: ratio(l.leaked, l.total) };
  }
  const labels: Record<string, Scores> = {};
  for (const [code, c] of [...t.labels].sort(([a], [b]) => (a < b ? -1 : 1)))
    labels[code] = scores(c.gold, c.predicted, c.matched);
  const fields: Record<string, Scores> = {};
  for (const [field, c] of [...t.fields].sort(([a], [b]) => (a < b ? -1 : 1)))
    fields[field] = { ...scores(c.gold, c.predicted, c.matched), exact: ratio(c.exact, c.items) };
  return {
    items: t.items,
    fields,
    entities,
    entitiesAll: scores(gold, predicted, matched, exact),
    leaks,
    overHiding: { ...t.overHiding, rate: ratio(t.overHiding.hidden, t.overHiding.words) },
    labels,
    classificationExactMatch: ratio(t.classifiedExact, t.classified),
    grounding: { values: t.values, grounded: t.grounded, rate: ratio(t.grounded, t.values) },
    tokens: t.tokens,
    latencyMs: { p50: percentile(t.durationsMs, 50), p95: percentile(t.durationsMs, 95) },
  };
}

export function evalReport(run: EvalRun): EvalReport {
  return {
    analyser: run.analyser,
    provider: run.provider,
    model: run.model,
    promptVersion: run.promptVersion,
    sets: Object.fromEntries([...run.sets].map(([name, t]) => [name, setReport(t)])),
  };
}

const pct = (v: number | null | undefined): string =>
  v === null || v === undefined ? '–' : `${(v * 100).toFixed(1)} %`;

/** The report as Markdown: per set, a table per entity kind (with leak rates) and one per label. */
export function renderMarkdown(report: EvalReport): string {
  const out = [
    `Analyser \`${report.analyser}\`, provider \`${report.provider}\`, model \`${report.model}\`, prompt version \`${report.promptVersion}\`.`,
    '',
  ];
  for (const [name, s] of Object.entries(report.sets)) {
    out.push(`### ${name} (${s.items} items)`, '');
    if (Object.keys(s.entities).length > 0) {
      out.push('| kind | gold | found | precision | recall | F1 | exact | leaked to an external provider |');
      out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
      for (const [kind, m] of [...Object.entries(s.entities), ['all', s.entitiesAll] as const]) {
        const leak = kind === 'all' ? undefined : s.leaks[kind];
        const leakText = leak === undefined ? '–' : `${leak.leaked} of ${leak.total} (${pct(leak.rate)})`;
        out.push(
          `| ${kind} | ${m.gold} | ${m.predicted} | ${pct(m.precision)} | ${pct(m.recall)} | ${pct(m.f1)} | ${pct(m.exact)} | ${leakText} |`,
        );
      }
      out.push(
        '',
        `Hidden from an external provider though no personal data: ${s.overHiding.hidden} of ${s.overHiding.words} words (${pct(s.overHiding.rate)}).`,
        '',
      );
    }
    if (Object.keys(s.labels).length > 0) {
      out.push('| label | gold | predicted | precision | recall | F1 |', '| --- | ---: | ---: | ---: | ---: | ---: |');
      for (const [code, m] of Object.entries(s.labels))
        out.push(`| ${code} | ${m.gold} | ${m.predicted} | ${pct(m.precision)} | ${pct(m.recall)} | ${pct(m.f1)} |`);
      out.push('', `Exact match of the label sets: ${pct(s.classificationExactMatch)}.`, '');
    }
    if (Object.keys(s.fields).length > 0) {
      out.push(
        '| field | expected | found | precision | recall | F1 | exact |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      );
      for (const [field, m] of Object.entries(s.fields))
        out.push(
          `| ${field} | ${m.gold} | ${m.predicted} | ${pct(m.precision)} | ${pct(m.recall)} | ${pct(m.f1)} | ${pct(m.exact)} |`,
        );
      out.push('');
    }
    out.push(
      `Grounded values: ${s.grounding.grounded} of ${s.grounding.values} (${pct(s.grounding.rate)}); tokens: ${s.tokens}; latency per task p50 ${s.latencyMs.p50 ?? '–'} ms, p95 ${s.latencyMs.p95 ?? '–'} ms.`,
      '',
    );
  }
  return out.join('\n');
}

/** One figure of a report, named by its path, and whether more is better. */
function figures(report: EvalReport): Map<string, { value: number; higherIsBetter: boolean }> {
  const out = new Map<string, { value: number; higherIsBetter: boolean }>();
  const put = (name: string, value: number | null | undefined, higherIsBetter = true): void => {
    if (value !== null && value !== undefined) out.set(name, { value, higherIsBetter });
  };
  for (const [set, s] of Object.entries(report.sets)) {
    for (const [kind, m] of [...Object.entries(s.entities), ['all', s.entitiesAll] as const]) {
      put(`${set} ${kind} precision`, m.precision);
      put(`${set} ${kind} recall`, m.recall);
      put(`${set} ${kind} F1`, m.f1);
      put(`${set} ${kind} exact`, m.exact);
    }
    for (const [kind, l] of Object.entries(s.leaks)) put(`${set} ${kind} leak rate`, l.rate, false);
    put(`${set} over-hiding rate`, s.overHiding?.rate, false);
    for (const [code, m] of Object.entries(s.labels)) put(`${set} label ${code} F1`, m.f1);
    for (const [field, m] of Object.entries(s.fields ?? {})) {
      put(`${set} field ${field} F1`, m.f1);
      put(`${set} field ${field} exact`, m.exact);
    }
    put(`${set} classification exact match`, s.classificationExactMatch);
    put(`${set} grounding rate`, s.grounding.rate);
  }
  return out;
}

/** Every figure that is worse than the baseline's by more than the tolerance (absolute, on a 0–1 scale). */
export function regressions(report: EvalReport, baseline: EvalReport, tolerance: number): string[] {
  const now = figures(report);
  const out: string[] = [];
  for (const [name, before] of figures(baseline)) {
    const after = now.get(name);
    if (after === undefined) {
      out.push(`${name}: ${before.value} in the baseline, missing now`);
      continue;
    }
    const drop = before.higherIsBetter ? before.value - after.value : after.value - before.value;
    if (drop > tolerance + 1e-9) out.push(`${name}: ${before.value} → ${after.value}`);
  }
  return out;
}
