import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { JSONSchemaType } from 'ajv';
import { compileSchema } from '../config/json-schema.js';
import { AppError } from '../errors/app-error.js';
import { ENTITY_KINDS, type EntityKind } from '../jobs/entity-kinds.js';
import type { Label } from '../jobs/finding.js';

/** Limits on an evaluation set: it is an operator's file, but a wrong file must not take the machine. */
export const EVAL_SET_LIMITS = Object.freeze({ maxBytes: 64 * 1024 * 1024, maxItems: 100_000, maxTextChars: 200_000 });

/** A gold entity as written in a set: its kind and the exact text, found after the previous entity. */
interface EntityLine {
  kind: EntityKind;
  quote: string;
}

/**
 * One line of a set. `entities` scores recognition and pseudonymisation; `labels` with `expected`
 * scores classification. A line of `GET /v1/review-examples` (a reviewer's correction) is read as a
 * classification or extraction item with the correction as the truth.
 */
interface SetLine {
  id?: string;
  style?: string;
  text: string;
  entities?: EntityLine[];
  labels?: Label[];
  /** Instead of `labels`: a code list of the catalog by its canonical URI (`urn:xoev-de:xbau:codeliste:anlagen`). */
  codeList?: string;
  expected?: string[];
  multi?: boolean;
  /** An extraction item: the schema to extract with and the data a person says is right. */
  schema?: Record<string, unknown>;
  expectedData?: Record<string, unknown>;
}

/** A gold entity with its offsets in the item's text. */
export interface GoldEntity {
  kind: EntityKind;
  quote: string;
  start: number;
  end: number;
}

export interface EvalItem {
  id: string;
  /** The file the item came from (its name without `.jsonl`), so held-back and development parts are reported apart. */
  set: string;
  style?: string;
  text: string;
  entities?: GoldEntity[];
  /** `codeList` names a catalog list whose entries are the labels (see {@link resolveCodeLists}). */
  classification?: { labels: Label[]; codeList?: string; expected: string[]; multi: boolean };
  extraction?: { schema: Record<string, unknown>; expected: Record<string, unknown> };
}

const lineSchema: JSONSchemaType<SetLine> = {
  type: 'object',
  required: ['text'],
  properties: {
    id: { type: 'string', nullable: true, maxLength: 200 },
    style: { type: 'string', nullable: true, maxLength: 100 },
    text: { type: 'string', maxLength: EVAL_SET_LIMITS.maxTextChars },
    entities: {
      type: 'array',
      nullable: true,
      maxItems: 10_000,
      items: {
        type: 'object',
        required: ['kind', 'quote'],
        properties: {
          kind: { type: 'string', enum: [...ENTITY_KINDS] },
          quote: { type: 'string', minLength: 1, maxLength: 10_000 },
        },
      },
    },
    labels: {
      type: 'array',
      nullable: true,
      maxItems: 10_000,
      items: {
        type: 'object',
        required: ['code', 'name'],
        properties: {
          code: { type: 'string', minLength: 1 },
          name: { type: 'string', minLength: 1 },
          description: { type: 'string', nullable: true },
          keywords: { type: 'array', nullable: true, items: { type: 'string' } },
          listURI: { type: 'string', nullable: true },
          listVersionID: { type: 'string', nullable: true },
        },
      },
    },
    codeList: { type: 'string', nullable: true, minLength: 1, maxLength: 300 },
    expected: { type: 'array', nullable: true, items: { type: 'string' } },
    multi: { type: 'boolean', nullable: true },
    schema: { type: 'object', nullable: true, required: [] },
    expectedData: { type: 'object', nullable: true, required: [] },
  },
};

const validateLine = compileSchema<SetLine>(lineSchema);

function lineError(file: string, line: number, detail: string): AppError {
  return new AppError('XGW_CONFIG_INVALID', { detail: `${file}:${line}: ${detail}`, extensions: { file, line } });
}

/** Offsets of each gold entity: the first occurrence of its quote after the previous entity. */
function locate(file: string, line: number, text: string, entities: readonly EntityLine[]): GoldEntity[] {
  let from = 0;
  return entities.map((e) => {
    const start = text.indexOf(e.quote, from);
    if (start < 0)
      throw lineError(file, line, `entity ${JSON.stringify(e.quote)} not found in the text after the previous one`);
    from = start + e.quote.length;
    return { kind: e.kind, quote: e.quote, start, end: from };
  });
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value))
    : undefined;

/**
 * A line of `GET /v1/review-examples` as an item whose truth is the reviewer's correction: the
 * labels chosen (codes) for a classification, the data for an extraction; `spec` is the task the
 * finding answered. Undefined when the line is not one.
 */
function fromReviewExample(value: unknown): SetLine | undefined {
  const example = record(value);
  const spec = record(example?.spec);
  if (example === undefined || spec === undefined || typeof example.text !== 'string') return undefined;
  const id = `${String(example.jobId)}/${String(example.partId)}`;
  if (example.task === 'classify' && Array.isArray(example.corrected) && Array.isArray(spec.labels)) {
    return {
      id,
      text: example.text,
      labels: spec.labels,
      expected: example.corrected.filter((c: unknown): c is string => typeof c === 'string'),
      multi: spec.multi === true,
    };
  }
  const schema = record(spec.schema);
  const data = record(example.corrected);
  if (example.task === 'extract' && schema !== undefined && data !== undefined)
    return { id, text: example.text, schema, expectedData: data };
  return undefined;
}

/** Reads a JSON Lines set; a wrong line is an error naming file and line. */
export async function readEvalSet(file: string): Promise<EvalItem[]> {
  const size = (await stat(file)).size;
  if (size > EVAL_SET_LIMITS.maxBytes) throw lineError(file, 0, `larger than ${EVAL_SET_LIMITS.maxBytes} bytes`);
  const lines = (await readFile(file, 'utf8')).split('\n');
  const items: EvalItem[] = [];
  for (const [i, raw] of lines.entries()) {
    if (raw.trim() === '') continue;
    if (items.length >= EVAL_SET_LIMITS.maxItems)
      throw lineError(file, i + 1, `more than ${EVAL_SET_LIMITS.maxItems} items`);
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw lineError(file, i + 1, 'not valid JSON');
    }
    const line = fromReviewExample(value) ?? value;
    if (!validateLine(line)) {
      const e = validateLine.errors?.[0];
      throw lineError(file, i + 1, `${e?.instancePath || '/'} ${e?.message ?? 'invalid'}`);
    }
    const item: EvalItem = { id: line.id ?? `${file}:${i + 1}`, set: basename(file, '.jsonl'), text: line.text };
    if (line.style !== undefined) item.style = line.style;
    if (line.entities !== undefined) item.entities = locate(file, i + 1, line.text, line.entities);
    if (line.labels !== undefined || line.codeList !== undefined) {
      if (line.expected === undefined) throw lineError(file, i + 1, '/expected is required with /labels or /codeList');
      item.classification = {
        labels: line.labels ?? [],
        ...(line.codeList === undefined ? {} : { codeList: line.codeList }),
        expected: line.expected,
        multi: line.multi ?? false,
      };
    }
    if (line.schema !== undefined) {
      if (line.expectedData === undefined) throw lineError(file, i + 1, '/expectedData is required with /schema');
      item.extraction = { schema: line.schema, expected: line.expectedData };
    }
    if (item.entities === undefined && item.classification === undefined && item.extraction === undefined)
      throw lineError(file, i + 1, 'nothing to score: entities, labels with expected, or schema with expectedData');
    items.push(item);
  }
  return items;
}

/** Whether some item names a catalog code list (then the catalog must be loaded to run the set). */
export function needsCodeLists(items: readonly EvalItem[]): boolean {
  return items.some((i) => i.classification?.codeList !== undefined);
}

/** Fills the labels of items that name a code list; an unknown list is an error naming the item. */
export function resolveCodeLists(items: EvalItem[], labelsOf: (listURI: string) => Label[] | undefined): void {
  for (const item of items) {
    const uri = item.classification?.codeList;
    if (item.classification === undefined || uri === undefined) continue;
    const labels = labelsOf(uri);
    if (labels === undefined)
      throw new AppError('XGW_CONFIG_INVALID', {
        detail: `${item.set}: item ${item.id}: no code list ${uri} in the catalog`,
        extensions: { item: item.id },
      });
    item.classification.labels = labels;
  }
}
