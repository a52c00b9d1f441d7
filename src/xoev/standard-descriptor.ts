import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ErrorObject, JSONSchemaType } from 'ajv';
import { compileSchema } from '../config/json-schema.js';
import { AppError } from '../errors/app-error.js';
import { HEADER_DIALECT_NAMES, HEADER_DIALECTS, type HeaderFields, type HeaderPartyFields } from './header-dialects.js';
import { isQueryPath } from './xml-query.js';

/** The header of a standard: its element, and either a shipped dialect's name or the fields themselves. */
export interface HeaderDeclaration {
  element: string;
  dialect?: string;
  fields?: HeaderFields;
}

/**
 * Where an attachment sits in a message. `match` is a suffix of the element path in local names
 * (`textOffice/textOfficeXML`); the other fields are paths relative to the matched element
 * (`..` allowed) or `.` for the element itself.
 */
export interface AttachmentRule {
  match: string;
  /** Element with the base64 content; absent: the attachment travels outside the message and is only listed. */
  content?: string;
  /** Element whose text is the MIME type (or a code naming it). */
  mimeType?: string;
  /** MIME type to assume when the message does not say (e.g. XBau `text` is HTML by definition). */
  mimeTypeFixed?: string;
  fileName?: string;
}

/** The `standard.json` of one catalog folder: everything the gateway needs to know about a standard version. */
export interface StandardDescriptor {
  /** Where an editor finds this schema (docs/standard.schema.json); ignored by the gateway. */
  $schema?: string;
  standard: string;
  version: string;
  /** Namespaces a message root may have to belong to this standard version. */
  namespaces: string[];
  /** Entry XSD, relative to the folder; compiled once. */
  entry: string;
  /** Remote schemaLocations mapped to files in the folder (never fetched). */
  resources?: Record<string, string>;
  header: HeaderDeclaration;
  /** Root element local names that are message types: a pattern over the XSD's global elements, and/or names. */
  messageTypes: { pattern?: string; names?: string[] };
  /** Default profile: local names of free-text elements. */
  freeText: string[];
  attachments?: AttachmentRule[];
  /** Folder of genericode files, relative. */
  codeLists?: string;
  /** Message type → profile file, relative. */
  profiles?: Record<string, string>;
}

const stringArray = { type: 'array', items: { type: 'string', minLength: 1 } } as const;
const pathList = { type: 'array', nullable: true, minItems: 1, items: { type: 'string', minLength: 1 } } as const;

const partySchema: JSONSchemaType<HeaderPartyFields> = {
  type: 'object',
  additionalProperties: false,
  required: ['element'],
  properties: {
    element: { type: 'string', minLength: 1 },
    behoerdenkennung: pathList,
    verzeichnisdienst: pathList,
    name: pathList,
    organisationseinheit: pathList,
  },
};

/** The schema of a header declaration's fields; the shipped dialects are checked against it too (test). */
export const headerFieldsSchema: JSONSchemaType<HeaderFields> = {
  type: 'object',
  additionalProperties: false,
  required: ['messageId'],
  properties: {
    messageId: { ...pathList, nullable: false },
    createdAt: pathList,
    messageType: { type: 'string', nullable: true, minLength: 1 },
    rootCode: { type: 'string', nullable: true, minLength: 1 },
    author: { ...partySchema, nullable: true },
    reader: { ...partySchema, nullable: true },
  },
};

const descriptorSchema: JSONSchemaType<StandardDescriptor> = {
  type: 'object',
  additionalProperties: false,
  required: ['standard', 'version', 'namespaces', 'entry', 'header', 'messageTypes', 'freeText'],
  properties: {
    $schema: { type: 'string', nullable: true },
    standard: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
    version: { type: 'string', minLength: 1 },
    namespaces: { ...stringArray, minItems: 1 },
    entry: { type: 'string', pattern: '\\.xsd$' },
    resources: { type: 'object', nullable: true, required: [], additionalProperties: { type: 'string' } },
    header: {
      type: 'object',
      additionalProperties: false,
      required: ['element'],
      properties: {
        element: { type: 'string', minLength: 1 },
        dialect: { type: 'string', nullable: true, enum: HEADER_DIALECT_NAMES },
        fields: { ...headerFieldsSchema, nullable: true },
      },
    },
    messageTypes: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      required: [],
      properties: {
        pattern: { type: 'string', nullable: true, minLength: 1 },
        names: { ...stringArray, nullable: true },
      },
    },
    freeText: stringArray,
    attachments: {
      type: 'array',
      nullable: true,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['match'],
        properties: {
          match: { type: 'string', minLength: 1 },
          content: { type: 'string', nullable: true, minLength: 1 },
          mimeType: { type: 'string', nullable: true, minLength: 1 },
          mimeTypeFixed: { type: 'string', nullable: true, minLength: 1 },
          fileName: { type: 'string', nullable: true, minLength: 1 },
        },
      },
    },
    codeLists: { type: 'string', nullable: true, minLength: 1 },
    profiles: { type: 'object', nullable: true, required: [], additionalProperties: { type: 'string' } },
  },
};

const validateDescriptor = compileSchema<StandardDescriptor>(descriptorSchema);

/** A copy without ajv's `nullable` (an optional field is one that is not `required`; null is never meant). */
function withoutNullable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNullable);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'nullable')
      .map(([key, v]) => [key, withoutNullable(v)]),
  );
}

/**
 * The schema the gateway checks every `standard.json` against, as plain JSON Schema 2020-12 for
 * editors and other tools; `npm run docs:config` writes it to docs/standard.schema.json.
 */
export function descriptorJsonSchema(): unknown {
  const body = withoutNullable(descriptorSchema);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'standard.json of an xoev-ai-gateway catalog folder',
    description: 'Reference: docs/standards.md. Generated from src/xoev/standard-descriptor.ts.',
    ...(typeof body === 'object' && body !== null ? body : {}),
  };
}

/** An ajv error's message, with the allowed values when the field takes one of a list (`enum`). */
function errorMessage(e: ErrorObject): string {
  const allowed: unknown = e.keyword === 'enum' ? Reflect.get(e.params, 'allowedValues') : undefined;
  const list = Array.isArray(allowed) ? `: ${allowed.map((v) => JSON.stringify(v)).join(', ')}` : '';
  return `${e.message ?? ''}${list}`;
}

/** Turns ajv errors into a message naming the file and the first offending field (and its allowed values). */
export function configError(file: string, errors: readonly ErrorObject[] | null | undefined, what: string): AppError {
  const first = errors?.[0];
  const field = first === undefined ? '' : first.instancePath || '/';
  const detail =
    first === undefined ? `${file}: ${what}` : `${file}: ${what}: field ${field} ${errorMessage(first)}`.trim();
  return new AppError('XGW_CONFIG_INVALID', {
    detail,
    errors: (errors ?? []).map((e) => ({
      message: `${e.instancePath || '/'} ${errorMessage(e)}`.trim(),
      path: e.instancePath,
    })),
    extensions: { file, ...(first === undefined ? {} : { field }) },
  });
}

/** One descriptor error found after the schema check (a value the schema cannot judge). */
function fieldError(file: string, field: string, message: string): AppError {
  return configError(
    file,
    [{ instancePath: field, message, keyword: 'value', schemaPath: '', params: {} }],
    'invalid standard descriptor',
  );
}

/** How many capture groups a regular expression has, or undefined when it does not compile. */
function captureGroups(source: string): number | undefined {
  try {
    return (new RegExp(`${source}|`).exec('')?.length ?? 1) - 1;
  } catch {
    return undefined;
  }
}

/** The header fields a descriptor declares: its inline `fields` or the shipped dialect it names. */
export function headerFieldsOf(d: StandardDescriptor): HeaderFields {
  if (d.header.fields !== undefined) return d.header.fields;
  const dialect = HEADER_DIALECT_NAMES.find((n) => n === d.header.dialect) ?? 'g2g';
  return HEADER_DIALECTS[dialect];
}

/** Every path of a header declaration, with the descriptor field it sits in. */
function headerPaths(h: HeaderFields): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const list = (field: string, paths: readonly string[] | undefined): void => {
    for (const [i, p] of (paths ?? []).entries()) out.push([`${field}/${i}`, p]);
  };
  list('/header/fields/messageId', h.messageId);
  list('/header/fields/createdAt', h.createdAt);
  if (h.messageType !== undefined) out.push(['/header/fields/messageType', h.messageType]);
  for (const side of ['author', 'reader'] as const) {
    const party = h[side];
    if (party === undefined) continue;
    out.push([`/header/fields/${side}/element`, party.element]);
    for (const key of ['behoerdenkennung', 'verzeichnisdienst', 'name', 'organisationseinheit'] as const)
      list(`/header/fields/${side}/${key}`, party[key]);
  }
  return out;
}

/** Checks what the schema cannot: one header source, usable paths, regular expressions that compile. */
function checkDescriptor(file: string, d: StandardDescriptor): void {
  if ((d.header.dialect === undefined) === (d.header.fields === undefined))
    throw fieldError(
      file,
      '/header',
      `must name a dialect (${HEADER_DIALECT_NAMES.join(', ')}) or declare fields, not both`,
    );
  if (!isQueryPath(d.header.element) || d.header.element.includes('/'))
    throw fieldError(file, '/header/element', 'must be the local name of an element');
  for (const [field, path] of headerPaths(headerFieldsOf(d)))
    if (!isQueryPath(path)) throw fieldError(file, field, `is not a path of local names (a/b, @attr, ..): ${path}`);
  if (d.messageTypes.pattern !== undefined && captureGroups(d.messageTypes.pattern) === undefined)
    throw fieldError(file, '/messageTypes/pattern', 'is not a valid regular expression');
  const rootCode = d.header.fields?.rootCode;
  if (rootCode !== undefined && captureGroups(rootCode) !== 1)
    throw fieldError(file, '/header/fields/rootCode', 'must be a regular expression with exactly one capture group');
}

/** Reads a JSON file, or fails with XGW_CONFIG_INVALID naming the file. */
export async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new AppError('XGW_CONFIG_INVALID', { detail: `${file}: cannot be read`, extensions: { file }, cause });
  }
  try {
    const value: unknown = JSON.parse(text);
    return value;
  } catch (cause) {
    throw new AppError('XGW_CONFIG_INVALID', { detail: `${file}: not valid JSON`, extensions: { file }, cause });
  }
}

/** Loads and validates `<folder>/standard.json`. */
export async function loadDescriptor(folder: string): Promise<StandardDescriptor> {
  const file = join(folder, 'standard.json');
  const value = await readJsonFile(file);
  if (!validateDescriptor(value)) throw configError(file, validateDescriptor.errors, 'invalid standard descriptor');
  checkDescriptor(file, value);
  return value;
}
