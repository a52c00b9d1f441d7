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
  expected?: string[];
  multi?: boolean;
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
  classification?: { labels: Label[]; expected: string[]; multi: boolean };
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
    expected: { type: 'array', nullable: true, items: { type: 'string' } },
    multi: { type: 'boolean', nullable: true },
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

/** A review example's correction as the truth of a classification item (extraction examples carry no task schema). */
function fromReviewExample(value: unknown): SetLine | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const task: unknown = Reflect.get(value, 'task');
  const text: unknown = Reflect.get(value, 'text');
  const corrected: unknown = Reflect.get(value, 'corrected');
  const spec: unknown = Reflect.get(value, 'spec');
  if (task !== 'classify' || typeof text !== 'string' || typeof corrected !== 'object' || corrected === null)
    return undefined;
  const labels: unknown = Reflect.get(corrected, 'labels');
  const offered: unknown = typeof spec === 'object' && spec !== null ? Reflect.get(spec, 'labels') : undefined;
  if (!Array.isArray(labels) || !Array.isArray(offered)) return undefined;
  const jobId: unknown = Reflect.get(value, 'jobId');
  const partId: unknown = Reflect.get(value, 'partId');
  const multi: unknown = typeof spec === 'object' && spec !== null ? Reflect.get(spec, 'multi') : undefined;
  return {
    id: `${String(jobId)}/${String(partId)}`,
    text,
    labels: offered,
    expected: labels.flatMap((l: unknown) =>
      typeof l === 'object' && l !== null && typeof Reflect.get(l, 'code') === 'string'
        ? [String(Reflect.get(l, 'code'))]
        : [],
    ),
    multi: multi === true,
  };
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
    if (line.labels !== undefined) {
      if (line.expected === undefined) throw lineError(file, i + 1, '/expected is required with /labels');
      item.classification = { labels: line.labels, expected: line.expected, multi: line.multi ?? false };
    }
    if (item.entities === undefined && item.classification === undefined)
      throw lineError(file, i + 1, 'neither entities nor labels with expected: nothing to score');
    items.push(item);
  }
  return items;
}
