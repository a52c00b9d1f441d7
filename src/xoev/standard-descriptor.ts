import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ErrorObject, JSONSchemaType } from 'ajv';
import { compileSchema } from '../config/json-schema.js';
import { AppError } from '../errors/app-error.js';

/** How a standard writes its message header; decides which reader `header-reader.ts` uses. */
export type HeaderDialect = 'g2g' | 'xdomea-kopf' | 'xjustiz';

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
  standard: string;
  version: string;
  /** Namespaces a message root may have to belong to this standard version. */
  namespaces: string[];
  /** Entry XSD, relative to the folder; compiled once. */
  entry: string;
  /** Remote schemaLocations mapped to files in the folder (never fetched). */
  resources?: Record<string, string>;
  header: { dialect: HeaderDialect; element: string };
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

const descriptorSchema: JSONSchemaType<StandardDescriptor> = {
  type: 'object',
  additionalProperties: false,
  required: ['standard', 'version', 'namespaces', 'entry', 'header', 'messageTypes', 'freeText'],
  properties: {
    standard: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
    version: { type: 'string', minLength: 1 },
    namespaces: { ...stringArray, minItems: 1 },
    entry: { type: 'string', pattern: '\\.xsd$' },
    resources: { type: 'object', nullable: true, required: [], additionalProperties: { type: 'string' } },
    header: {
      type: 'object',
      additionalProperties: false,
      required: ['dialect', 'element'],
      properties: {
        dialect: { type: 'string', enum: ['g2g', 'xdomea-kopf', 'xjustiz'] },
        element: { type: 'string', minLength: 1 },
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

/** Turns ajv errors into a message naming the file and the first offending field. */
export function configError(file: string, errors: readonly ErrorObject[] | null | undefined, what: string): AppError {
  const first = errors?.[0];
  const field = first === undefined ? '' : first.instancePath || '/';
  const detail =
    first === undefined ? `${file}: ${what}` : `${file}: ${what}: field ${field} ${first.message ?? ''}`.trim();
  return new AppError('XGW_CONFIG_INVALID', {
    detail,
    errors: (errors ?? []).map((e) => ({
      message: `${e.instancePath || '/'} ${e.message ?? ''}`.trim(),
      path: e.instancePath,
    })),
    extensions: { file, ...(first === undefined ? {} : { field }) },
  });
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
  if (value.messageTypes.pattern !== undefined) {
    try {
      new RegExp(value.messageTypes.pattern);
    } catch {
      throw configError(
        file,
        [
          {
            instancePath: '/messageTypes/pattern',
            message: 'is not a valid regular expression',
            keyword: 'pattern',
            schemaPath: '',
            params: {},
          },
        ],
        'invalid standard descriptor',
      );
    }
  }
  return value;
}
