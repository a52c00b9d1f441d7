import { join, dirname } from 'node:path';
import type { JSONSchemaType } from 'ajv';
import { compileSchema } from '../config/json-schema.js';
import { AppError } from '../errors/app-error.js';
import { ENTITY_KINDS, unknownEntityKinds } from '../jobs/entity-kinds.js';
import { configError, readJsonFile } from './standard-descriptor.js';

/** One task a profile asks for on the parts it selects. */
export type ProfileTask =
  | { kind: 'classify'; name: string; codeList: string; parts?: string[] }
  | { kind: 'extract'; name: string; schema: string; parts?: string[] };

/**
 * One fact a profile sends to a register once analysed: `subject` and each field are paths, either
 * `header.<field>` (nachrichtenkopf, e.g. `header.messageId`) or `<task>.<field>` (a profile task's
 * finding: an extract field, or `code`/`name` of a classification). `connector` is an instance name
 * from the connectors file. See docs/connectors.md.
 */
export interface ProfileDelivery {
  connector: string;
  fact: string;
  subject: string;
  fields: Record<string, string>;
  /** Skip the tasks feeding this fact when the register already holds it (subject must be a `header.` path). */
  skipExtractionIfKnown?: boolean;
}

/**
 * The declarative description of one message type: which element paths are its parts and which
 * tasks run on them. Loaded and checked once with the catalog, so a broken profile stops start-up.
 */
export interface MessageProfile {
  messageType: string;
  /** Path suffixes (local names joined by `/`) of elements that are parts; absent: the default free-text rule. */
  parts?: string[];
  tasks: ProfileTask[];
  /** Facts delivered to registers once the findings are final (used when connectors are configured). */
  deliveries?: ProfileDelivery[];
}

/** A profile after loading: extract schemas read and compiled, code lists resolved. */
export interface LoadedProfile extends MessageProfile {
  /** Extract task name → the JSON Schema it must answer with (already checked to compile). */
  schemas: Record<string, unknown>;
}

const optionalParts = { type: 'array', nullable: true, items: { type: 'string', minLength: 1 } } as const;

const profileSchema: JSONSchemaType<MessageProfile> = {
  type: 'object',
  additionalProperties: false,
  required: ['messageType', 'tasks'],
  properties: {
    messageType: { type: 'string', minLength: 1 },
    parts: optionalParts,
    tasks: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind', 'name'],
        oneOf: [
          {
            type: 'object',
            additionalProperties: false,
            required: ['kind', 'name', 'codeList'],
            properties: {
              kind: { type: 'string', const: 'classify' },
              name: { type: 'string', minLength: 1 },
              codeList: { type: 'string', minLength: 1 },
              parts: optionalParts,
            },
          },
          {
            type: 'object',
            additionalProperties: false,
            required: ['kind', 'name', 'schema'],
            properties: {
              kind: { type: 'string', const: 'extract' },
              name: { type: 'string', minLength: 1 },
              schema: { type: 'string', minLength: 1 },
              parts: optionalParts,
            },
          },
        ],
      },
    },
    deliveries: {
      type: 'array',
      nullable: true,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['connector', 'fact', 'subject', 'fields'],
        properties: {
          connector: { type: 'string', minLength: 1 },
          fact: { type: 'string', minLength: 1 },
          subject: { type: 'string', pattern: '^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)+$' },
          fields: {
            type: 'object',
            required: [],
            additionalProperties: { type: 'string', pattern: '^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)+$' },
          },
          skipExtractionIfKnown: { type: 'boolean', nullable: true },
        },
      },
    },
  },
};

const validateProfile = compileSchema<MessageProfile>(profileSchema);

/** A profile's extract schema as the analysis compiles it: `$schema` (draft-07 in many profiles) set aside. */
function withoutSchemaKeyword(schema: unknown): object {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return {};
  return Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema'));
}

/**
 * Loads one profile file, checks it against the profile schema, that it names the message type it
 * is registered for, that every classify task references a known code list and every extract
 * schema compiles.
 */
export async function loadProfile(
  file: string,
  messageType: string,
  knownCodeLists: ReadonlySet<string>,
): Promise<LoadedProfile> {
  const value = await readJsonFile(file);
  if (!validateProfile(value)) throw configError(file, validateProfile.errors, 'invalid profile');
  if (value.messageType !== messageType) {
    throw new AppError('XGW_CONFIG_INVALID', {
      detail: `${file}: field /messageType is ${value.messageType}, registered for ${messageType}`,
      extensions: { file, field: '/messageType' },
    });
  }
  const schemas: Record<string, unknown> = {};
  for (const [i, task] of value.tasks.entries()) {
    if (task.kind === 'classify') {
      if (!knownCodeLists.has(task.codeList)) {
        throw new AppError('XGW_CONFIG_INVALID', {
          detail: `${file}: field /tasks/${i}/codeList: unknown code list ${task.codeList}`,
          extensions: { file, field: `/tasks/${i}/codeList` },
        });
      }
    } else {
      const schemaFile = join(dirname(file), task.schema);
      const schema = await readJsonFile(schemaFile);
      try {
        // Compiled as the analysis will compile it: draft 2020-12, its `$schema` (often draft-07) set aside.
        compileSchema(withoutSchemaKeyword(schema));
      } catch (cause) {
        throw new AppError('XGW_CONFIG_INVALID', {
          detail: `${file}: field /tasks/${i}/schema: ${schemaFile} is not a usable JSON Schema`,
          extensions: { file, field: `/tasks/${i}/schema` },
          cause,
        });
      }
      if (typeof schema !== 'object' || schema === null) {
        throw new AppError('XGW_CONFIG_INVALID', {
          detail: `${file}: field /tasks/${i}/schema: ${schemaFile} is not a JSON object`,
          extensions: { file, field: `/tasks/${i}/schema` },
        });
      }
      const unknown = unknownEntityKinds(schema)[0];
      if (unknown !== undefined) {
        throw new AppError('XGW_CONFIG_INVALID', {
          detail: `${schemaFile}: field ${unknown.pointer}: ${JSON.stringify(unknown.value)} is not an entity kind; allowed: ${ENTITY_KINDS.join(', ')}`,
          extensions: { file: schemaFile, field: unknown.pointer, allowed: [...ENTITY_KINDS] },
        });
      }
      schemas[task.name] = schema;
    }
  }
  checkDeliveries(file, value);
  return { ...value, schemas };
}

/** Every delivery path names the header or a task of this profile; a skippable fact's subject is known before analysis. */
function checkDeliveries(file: string, profile: MessageProfile): void {
  const tasks = new Set(profile.tasks.map((t) => t.name));
  for (const [i, d] of (profile.deliveries ?? []).entries()) {
    const paths: [string, string][] = [
      [`/deliveries/${i}/subject`, d.subject],
      ...Object.entries(d.fields).map(([k, v]): [string, string] => [`/deliveries/${i}/fields/${k}`, v]),
    ];
    for (const [field, path] of paths) {
      const head = path.split('.')[0] ?? '';
      if (head !== 'header' && !tasks.has(head)) {
        throw new AppError('XGW_CONFIG_INVALID', {
          detail: `${file}: field ${field}: ${path} names neither the header nor a task of this profile`,
          extensions: { file, field },
        });
      }
    }
    if (d.skipExtractionIfKnown === true && !d.subject.startsWith('header.')) {
      throw new AppError('XGW_CONFIG_INVALID', {
        detail: `${file}: field /deliveries/${i}/subject: skipExtractionIfKnown needs a header.* subject (known before analysis)`,
        extensions: { file, field: `/deliveries/${i}/subject` },
      });
    }
  }
}
