/**
 * Scoring of the Posteingang use case (issue #16) against a labelled set of citizens' requests
 * (eval/posteingang/README.md): Anliegen per code and macro-F1, deadlines (right rule and start,
 * and dates invented where the text gives none), routing, entities, and whether every summary
 * sentence rests on the source. Plain data in, numbers out: the bench runs the real analysis path.
 */

/** One labelled request as the set states it. */
export interface RequestTruth {
  id: string;
  channel: string;
  receivedAt: string;
  text: string;
  anliegen: string[];
  entities: Record<string, unknown>;
  frist: { rule: string; from: string } | null;
  zustaendig: string;
}

/** What the gateway proposed for one request. */
export interface RequestPrediction {
  anliegen: string[];
  /** Every deadline it proposes: with `end` when computed, without when it said the start is unknown. */
  deadlines: { rule: string; fromDate?: string; end?: string }[];
  unit: string;
  entities: Record<string, unknown>;
  summary: { text: string; evidence: { quote: string; start: number; end: number }[] }[];
}

export interface CodeScore {
  code: string;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface RequestScores {
  items: number;
  anliegen: CodeScore[];
  macroF1: number;
  /** Requests whose set of Anliegen is exactly right. */
  anliegenExact: number;
  /** Requests with a start date in the text whose deadline has the right rule and start. */
  deadlinesWithStart: number;
  deadlinesRight: number;
  /** Computed deadlines where the set says the text gives no start, or another start or rule. */
  invented: number;
  routingRight: number;
  /** Per entity field: requests where the value is exactly right, of those where the set or the gateway has one. */
  entities: Record<string, { right: number; of: number }>;
  summarySentences: number;
  summaryGrounded: number;
  /** Ids of requests with a wrong Anliegen set, deadline or unit (to read, on the dev set only). */
  misses: { id: string; what: string }[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Reads a labelled set (JSON lines); a malformed line is an error naming it, not a skipped item. */
export function readRequestSet(text: string, file = 'set'): RequestTruth[] {
  const out: RequestTruth[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const v: unknown = JSON.parse(line);
    const frist = isRecord(v) ? v.frist : undefined;
    if (
      !isRecord(v) ||
      typeof v.id !== 'string' ||
      typeof v.text !== 'string' ||
      typeof v.receivedAt !== 'string' ||
      typeof v.zustaendig !== 'string' ||
      !Array.isArray(v.anliegen) ||
      !isRecord(v.entities) ||
      !(frist === null || (isRecord(frist) && typeof frist.rule === 'string' && typeof frist.from === 'string'))
    )
      throw new Error(`${file}:${i + 1}: not a labelled request (eval/posteingang/README.md)`);
    out.push({
      id: v.id,
      channel: typeof v.channel === 'string' ? v.channel : 'text',
      receivedAt: v.receivedAt,
      text: v.text,
      anliegen: strs(v.anliegen),
      entities: v.entities,
      frist: frist === null ? null : { rule: String(frist.rule), from: String(frist.from) },
      zustaendig: v.zustaendig,
    });
  }
  return out;
}

const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);

/** Compares values as the set writes them: strings without blanks and case, numbers as numbers, lists as sets. */
function sameValue(expected: unknown, actual: unknown): boolean {
  const norm = (x: unknown): string[] =>
    (Array.isArray(x) ? x : [x])
      .filter((y) => y !== undefined && y !== null)
      // A phone as the set writes it (`030 23125 412`) and as the gateway normalises it (`+493023125412`) are one.
      .map((y) =>
        typeof y === 'number'
          ? y.toFixed(2)
          : String(y)
              .replace(/[\s()/-]+/g, '')
              .replace(/^\+49/, '0')
              .toLowerCase(),
      )
      .sort();
  const e = norm(expected);
  const a = norm(actual);
  return e.length === a.length && e.every((x, i) => x === a[i]);
}

export function scoreRequests(pairs: readonly { truth: RequestTruth; predicted: RequestPrediction }[]): RequestScores {
  const codes = new Map<string, { tp: number; fp: number; fn: number }>();
  const bump = (code: string, k: 'tp' | 'fp' | 'fn'): void => {
    const c = codes.get(code) ?? { tp: 0, fp: 0, fn: 0 };
    c[k]++;
    codes.set(code, c);
  };
  const scores: RequestScores = {
    items: pairs.length,
    anliegen: [],
    macroF1: 0,
    anliegenExact: 0,
    deadlinesWithStart: 0,
    deadlinesRight: 0,
    invented: 0,
    routingRight: 0,
    entities: {},
    summarySentences: 0,
    summaryGrounded: 0,
    misses: [],
  };
  for (const { truth, predicted } of pairs) {
    const want = new Set(truth.anliegen);
    const got = new Set(predicted.anliegen);
    for (const c of got) bump(c, want.has(c) ? 'tp' : 'fp');
    for (const c of want) if (!got.has(c)) bump(c, 'fn');
    if (want.size === got.size && [...want].every((c) => got.has(c))) scores.anliegenExact++;
    else scores.misses.push({ id: truth.id, what: `anliegen ${[...want].join('+')} → ${[...got].join('+')}` });

    const computed = predicted.deadlines.filter((d) => d.end !== undefined);
    const expected = truth.frist;
    if (expected !== null) {
      scores.deadlinesWithStart++;
      if (computed.some((d) => d.rule === expected.rule && d.fromDate === expected.from)) scores.deadlinesRight++;
      else
        scores.misses.push({
          id: truth.id,
          what: `frist ${expected.rule}@${expected.from} → ${computed.map((d) => `${d.rule}@${d.fromDate}`).join(',') || 'none'}`,
        });
    }
    for (const d of computed)
      if (expected === null || d.rule !== expected.rule || d.fromDate !== expected.from) {
        scores.invented++;
        if (expected === null) scores.misses.push({ id: truth.id, what: `frist none → ${d.rule}@${d.fromDate}` });
      }

    if (predicted.unit === truth.zustaendig) scores.routingRight++;
    else scores.misses.push({ id: truth.id, what: `unit ${truth.zustaendig} → ${predicted.unit}` });

    const fields = new Set([...Object.keys(truth.entities), ...Object.keys(predicted.entities)]);
    for (const f of fields) {
      const e = scores.entities[f] ?? { right: 0, of: 0 };
      e.of++;
      if (sameValue(truth.entities[f], predicted.entities[f])) e.right++;
      scores.entities[f] = e;
    }

    for (const s of predicted.summary) {
      scores.summarySentences++;
      const grounded =
        s.evidence.length > 0 && s.evidence.every((e) => e.start >= 0 && truth.text.slice(e.start, e.end) === e.quote);
      if (grounded) scores.summaryGrounded++;
    }
  }
  scores.anliegen = [...codes.entries()]
    .map(([code, c]) => {
      const precision = ratio(c.tp, c.tp + c.fp);
      const recall = ratio(c.tp, c.tp + c.fn);
      const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
      return { code, ...c, precision, recall, f1 };
    })
    .sort((a, b) => a.code.localeCompare(b.code));
  scores.macroF1 =
    scores.anliegen.length === 0 ? 0 : scores.anliegen.reduce((s, c) => s + c.f1, 0) / scores.anliegen.length;
  return scores;
}
