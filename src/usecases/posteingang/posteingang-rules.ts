import { readFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { JSONSchemaType } from 'ajv';
import { compileSchema } from '../../config/json-schema.js';
import { AppError } from '../../errors/app-error.js';
import type { JsonSchema } from '../../jobs/finding.js';
import { loadCodeList, type CodeList } from '../../xoev/code-lists.js';
import { readExtractSchema } from '../../xoev/profile.js';
import { configError, readJsonFile } from '../../xoev/standard-descriptor.js';
import type { PeriodRule } from '../deadline.js';

/**
 * The Posteingang use case (issue #16) as data in the catalog: `<name>/<version>/usecase.json` with
 * its code lists (genericode, like the XÖV ones), keywords per Anliegen, the extraction schema,
 * deadline rules with their legal basis, the routing table and the Eingangsbestätigung template.
 * A Kommune adapts these files, not code (docs/use-cases.md).
 */

/** `usecase.json`: where the parts of a use case are, relative to its folder. */
export interface UseCaseDescriptor {
  useCase: string;
  version: string;
  title: string;
  codeLists: string;
  anliegen: string;
  extract: string;
  summary?: { maxSentences?: number };
  deadlines: string;
  routing: string;
  receipt: { template: string; authority: string };
}

/** Keywords per Anliegen code (the rules path's classifier), and the code for a request none fits. */
export interface AnliegenRules {
  codeList: string;
  fallback: string;
  keywords: Record<string, string[]>;
  /**
   * An Anliegen that makes another a mere mention: a Widerspruch against a refused Antrag is no new
   * Antrag, the Rücknahme of a Widerspruch no Widerspruch (`"RUE": ["ANT", "WID"]`).
   */
  outranks?: Record<string, string[]>;
}

/** A statutory period a request's Anliegen starts, from a date the request gives (or its receipt). */
export interface DeadlineRule extends PeriodRule {
  title: string;
  /** The Anliegen codes that call for this period. */
  anliegen: string[];
  /** `eingang` (the day the request arrived) or a date field of the extraction (`bescheiddatum`). */
  from: string;
  /** What the start date is, in words (shown with the result). */
  fromLabel: string;
  /** A sentence for the Eingangsbestätigung; `{{ende}}` is the computed end. */
  receiptText?: string;
}

/** One line of the routing table: where it sends a request and what must hold. */
export interface RoutingRule {
  name: string;
  unit: string;
  /** The request has one of these Anliegen (when given: a condition, not a score). */
  anliegen?: string[];
  /** Words of which the text contains at least one (word beginnings, case and umlaut folded). */
  keywords?: string[];
  /** Beginnings of an extracted Aktenzeichen or Kassenzeichen (`WG-`, `5.`). */
  aktenzeichen?: string[];
}

export interface RoutingTable {
  codeList: string;
  fallback: string;
  /** Mailbox per unit, shown with the proposal. */
  postfaecher?: Record<string, string>;
  rules: RoutingRule[];
}

/** A use case folder read and checked. */
export interface LoadedPosteingang {
  folder: string;
  descriptor: UseCaseDescriptor;
  codeLists: CodeList[];
  anliegen: AnliegenRules;
  schema: JsonSchema;
  deadlines: DeadlineRule[];
  routing: RoutingTable;
  receiptTemplate: string;
}

const text = { type: 'string', minLength: 1, maxLength: 500 } as const;
const words = { type: 'array', maxItems: 500, items: { type: 'string', minLength: 1, maxLength: 120 } } as const;
const someWords = { ...words, nullable: true, minItems: 1 } as const;

const descriptorSchema: JSONSchemaType<UseCaseDescriptor> = {
  type: 'object',
  additionalProperties: false,
  required: ['useCase', 'version', 'title', 'codeLists', 'anliegen', 'extract', 'deadlines', 'routing', 'receipt'],
  properties: {
    useCase: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,40}$' },
    version: text,
    title: text,
    codeLists: text,
    anliegen: text,
    extract: text,
    summary: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      properties: { maxSentences: { type: 'integer', nullable: true, minimum: 1, maximum: 10 } },
    },
    deadlines: text,
    routing: text,
    receipt: {
      type: 'object',
      additionalProperties: false,
      required: ['template', 'authority'],
      properties: { template: text, authority: text },
    },
  },
};

const anliegenSchema: JSONSchemaType<AnliegenRules> = {
  type: 'object',
  additionalProperties: false,
  required: ['codeList', 'fallback', 'keywords'],
  properties: {
    codeList: text,
    fallback: text,
    keywords: { type: 'object', required: [], additionalProperties: words },
    outranks: { type: 'object', nullable: true, required: [], additionalProperties: words },
  },
};

const deadlinesSchema: JSONSchemaType<{ rules: DeadlineRule[] }> = {
  type: 'object',
  additionalProperties: false,
  required: ['rules'],
  properties: {
    rules: {
      type: 'array',
      maxItems: 100,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'title', 'anliegen', 'from', 'fromLabel', 'basis'],
        properties: {
          name: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,40}$' },
          title: text,
          anliegen: { ...words, minItems: 1 },
          from: { type: 'string', pattern: '^[a-z][A-Za-z0-9]{0,40}$' },
          fromLabel: text,
          basis: text,
          fictionDays: { type: 'integer', nullable: true, minimum: 1, maximum: 30 },
          months: { type: 'integer', nullable: true, minimum: 1, maximum: 24 },
          days: { type: 'integer', nullable: true, minimum: 1, maximum: 366 },
          receiptText: { type: 'string', nullable: true, minLength: 1, maxLength: 1000 },
        },
      },
    },
  },
};

const routingSchema: JSONSchemaType<RoutingTable> = {
  type: 'object',
  additionalProperties: false,
  required: ['codeList', 'fallback', 'rules'],
  properties: {
    codeList: text,
    fallback: text,
    postfaecher: { type: 'object', nullable: true, required: [], additionalProperties: text },
    rules: {
      type: 'array',
      maxItems: 1000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'unit'],
        properties: {
          name: text,
          unit: text,
          anliegen: someWords,
          keywords: someWords,
          aktenzeichen: someWords,
        },
      },
    },
  },
};

const validateDescriptor = compileSchema<UseCaseDescriptor>(descriptorSchema);
const validateAnliegen = compileSchema<AnliegenRules>(anliegenSchema);
const validateDeadlines = compileSchema<{ rules: DeadlineRule[] }>(deadlinesSchema);
const validateRouting = compileSchema<RoutingTable>(routingSchema);

/** The largest receipt template read: a letter, not a document. */
const MAX_TEMPLATE_BYTES = 64 * 1024;

function fieldError(file: string, field: string, detail: string): AppError {
  return new AppError('XGW_CONFIG_INVALID', {
    detail: `${file}: field ${field}: ${detail}`,
    extensions: { file, field },
  });
}

/**
 * Reads and checks one use case folder: every file against its schema, every code against its code
 * list (the use case's own lists or the catalog's), every deadline's start field in the extraction
 * schema. Anything wrong stops start-up with XGW_CONFIG_INVALID naming file and field.
 */
export async function loadPosteingang(
  folder: string,
  catalogList: (listURI: string) => CodeList | undefined,
): Promise<LoadedPosteingang> {
  const file = join(folder, 'usecase.json');
  const descriptor = await readJsonFile(file);
  if (!validateDescriptor(descriptor)) throw configError(file, validateDescriptor.errors, 'invalid use case');
  const listDir = join(folder, descriptor.codeLists);
  const listFiles = await readdir(listDir).catch(() => {
    throw fieldError(file, '/codeLists', `${descriptor.codeLists} is not a folder`);
  });
  const codeLists: CodeList[] = [];
  for (const name of listFiles.filter((f) => f.endsWith('.xml')).sort())
    codeLists.push(await loadCodeList(join(listDir, name)));
  const listOf = (uri: string): CodeList | undefined => codeLists.find((c) => c.listURI === uri) ?? catalogList(uri);
  const checkCode = (where: string, field: string, uri: string, code: string): void => {
    const list = listOf(uri);
    if (list === undefined) throw fieldError(where, '/codeList', `unknown code list ${uri}`);
    if (!list.entries.some((e) => e.code === code)) throw fieldError(where, field, `${code} is not a code of ${uri}`);
  };

  const anliegenFile = join(folder, descriptor.anliegen);
  const anliegen = await readJsonFile(anliegenFile);
  if (!validateAnliegen(anliegen)) throw configError(anliegenFile, validateAnliegen.errors, 'invalid Anliegen rules');
  checkCode(anliegenFile, '/fallback', anliegen.codeList, anliegen.fallback);
  for (const code of Object.keys(anliegen.keywords))
    checkCode(anliegenFile, `/keywords/${code}`, anliegen.codeList, code);
  for (const [code, lower] of Object.entries(anliegen.outranks ?? {})) {
    checkCode(anliegenFile, `/outranks/${code}`, anliegen.codeList, code);
    for (const [j, other] of lower.entries())
      checkCode(anliegenFile, `/outranks/${code}/${j}`, anliegen.codeList, other);
  }

  const schemaFile = join(folder, descriptor.extract);
  const schema = await readExtractSchema(file, schemaFile, '/extract');
  const properties = schema['properties'];
  const fields = typeof properties === 'object' && properties !== null ? Object.keys(properties) : [];

  const deadlinesFile = join(folder, descriptor.deadlines);
  const deadlines = await readJsonFile(deadlinesFile);
  if (!validateDeadlines(deadlines))
    throw configError(deadlinesFile, validateDeadlines.errors, 'invalid deadline rules');
  for (const [i, rule] of deadlines.rules.entries()) {
    if (rule.months === undefined && rule.days === undefined)
      throw fieldError(deadlinesFile, `/rules/${i}`, 'a period needs months or days');
    if (rule.from !== 'eingang' && !fields.includes(rule.from))
      throw fieldError(
        deadlinesFile,
        `/rules/${i}/from`,
        `${rule.from} is neither eingang nor a field of ${descriptor.extract}`,
      );
    for (const [j, code] of rule.anliegen.entries())
      checkCode(deadlinesFile, `/rules/${i}/anliegen/${j}`, anliegen.codeList, code);
  }

  const routingFile = join(folder, descriptor.routing);
  const routing = await readJsonFile(routingFile);
  if (!validateRouting(routing)) throw configError(routingFile, validateRouting.errors, 'invalid routing table');
  checkCode(routingFile, '/fallback', routing.codeList, routing.fallback);
  for (const [i, rule] of routing.rules.entries()) {
    checkCode(routingFile, `/rules/${i}/unit`, routing.codeList, rule.unit);
    for (const [j, code] of (rule.anliegen ?? []).entries())
      checkCode(routingFile, `/rules/${i}/anliegen/${j}`, anliegen.codeList, code);
    if (rule.keywords === undefined && rule.aktenzeichen === undefined && rule.anliegen === undefined)
      throw fieldError(routingFile, `/rules/${i}`, 'a rule needs anliegen, keywords or aktenzeichen');
  }
  for (const unit of Object.keys(routing.postfaecher ?? {}))
    checkCode(routingFile, `/postfaecher/${unit}`, routing.codeList, unit);

  const templateFile = join(folder, descriptor.receipt.template);
  const bytes = await readFile(templateFile).catch((cause: unknown) => {
    throw new AppError('XGW_CONFIG_INVALID', {
      detail: `${file}: field /receipt/template: ${templateFile} cannot be read`,
      extensions: { file, field: '/receipt/template' },
      cause,
    });
  });
  if (bytes.length > MAX_TEMPLATE_BYTES)
    throw fieldError(file, '/receipt/template', `larger than ${MAX_TEMPLATE_BYTES} bytes`);
  return {
    folder: dirname(file),
    descriptor,
    codeLists,
    anliegen,
    schema,
    deadlines: deadlines.rules,
    routing,
    receiptTemplate: bytes.toString('utf8'),
  };
}
