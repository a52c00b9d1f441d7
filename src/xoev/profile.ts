import { join, dirname } from 'node:path';
import { Ajv, type JSONSchemaType } from 'ajv';
import { AppError } from '../errors/app-error.js';
import { configError, readJsonFile } from './standard-descriptor.js';

/** One task a profile asks for on the parts it selects. */
export type ProfileTask =
  | { kind: 'classify'; name: string; codeList: string; parts?: string[] }
  | { kind: 'extract'; name: string; schema: string; parts?: string[] };

/**
 * The declarative description of one message type: which element paths are its parts and which
 * tasks run on them. Loaded and checked once with the catalog, so a broken profile stops start-up.
 */
export interface MessageProfile {
  messageType: string;
  /** Path suffixes (local names joined by `/`) of elements that are parts; absent: the default free-text rule. */
  parts?: string[];
  tasks: ProfileTask[];
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
            properties: { kind: { type: 'string', const: 'classify' }, name: { type: 'string', minLength: 1 }, codeList: { type: 'string', minLength: 1 }, parts: optionalParts },
          },
          {
            type: 'object',
            additionalProperties: false,
            required: ['kind', 'name', 'schema'],
            properties: { kind: { type: 'string', const: 'extract' }, name: { type: 'string', minLength: 1 }, schema: { type: 'string', minLength: 1 }, parts: optionalParts },
          },
        ],
      },
    },
  },
};

const ajv = new Ajv({ allErrors: true });
const validateProfile = ajv.compile(profileSchema);

/**
 * Loads one profile file, checks it against the profile schema, that it names the message type it
 * is registered for, that every classify task references a known code list and every extract
 * schema compiles.
 */
export async function loadProfile(file: string, messageType: string, knownCodeLists: ReadonlySet<string>): Promise<LoadedProfile> {
  const value = await readJsonFile(file);
  if (!validateProfile(value)) throw configError(file, validateProfile.errors, 'invalid profile');
  if (value.messageType !== messageType) {
    throw new AppError('XGW_CONFIG_INVALID', { detail: `${file}: field /messageType is ${value.messageType}, registered for ${messageType}`, extensions: { file, field: '/messageType' } });
  }
  const schemas: Record<string, unknown> = {};
  for (const [i, task] of value.tasks.entries()) {
    if (task.kind === 'classify') {
      if (!knownCodeLists.has(task.codeList)) {
        throw new AppError('XGW_CONFIG_INVALID', { detail: `${file}: field /tasks/${i}/codeList: unknown code list ${task.codeList}`, extensions: { file, field: `/tasks/${i}/codeList` } });
      }
    } else {
      const schemaFile = join(dirname(file), task.schema);
      const schema = await readJsonFile(schemaFile);
      try {
        new Ajv({ strict: false }).compile(typeof schema === 'object' && schema !== null ? schema : {});
      } catch (cause) {
        throw new AppError('XGW_CONFIG_INVALID', { detail: `${file}: field /tasks/${i}/schema: ${schemaFile} is not a usable JSON Schema`, extensions: { file, field: `/tasks/${i}/schema` }, cause });
      }
      if (typeof schema !== 'object' || schema === null) {
        throw new AppError('XGW_CONFIG_INVALID', { detail: `${file}: field /tasks/${i}/schema: ${schemaFile} is not a JSON object`, extensions: { file, field: `/tasks/${i}/schema` } });
      }
      schemas[task.name] = schema;
    }
  }
  return { ...value, schemas };
}
