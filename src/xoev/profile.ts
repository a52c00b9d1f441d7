import { join, dirname } from 'node:path';
import type { JSONSchemaType } from 'ajv';
import { compileSchema } from '../config/json-schema.js';
import { AppError } from '../errors/app-error.js';
import { ENTITY_KINDS, unknownEntityKinds } from '../jobs/entity-kinds.js';
import { type LoadedCheck, type LoadedReply, loadUseCase } from './use-case-files.js';
import type { CheckDeclaration, RecordDeclaration, ReplyDeclaration } from '../jobs/reply-proposal.js';
import { configError, readJsonFile } from './standard-descriptor.js';
import { isQueryPath } from './xml-query.js';

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
  /** Elements read as rows of fields (attachments with their declared codes, Schriftgutobjekte). */
  records?: RecordDeclaration[];
  /** The use case's check over the records and findings, proposing the reply (docs/use-cases.md). */
  check?: CheckDeclaration;
  /** The reply message in the standard's own type, built from a template once a person decided. */
  reply?: ReplyDeclaration;
}

/** A profile after loading: extract schemas read and compiled, code lists resolved. */
export interface LoadedProfile extends Omit<MessageProfile, 'check' | 'reply'> {
  /** Extract task name → the JSON Schema it must answer with (already checked to compile). */
  schemas: Record<string, unknown>;
  check?: LoadedCheck;
  reply?: LoadedReply;
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
    records: {
      type: 'array',
      nullable: true,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'match', 'fields'],
        properties: {
          name: { type: 'string', pattern: '^[A-Za-z0-9_-]+$' },
          match: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
          fields: { type: 'object', required: [], additionalProperties: { type: 'string', minLength: 1 } },
        },
      },
    },
    check: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: ['kind', 'records', 'rules'],
      properties: {
        kind: { type: 'string', enum: ['completeness', 'appraisal'] },
        records: { type: 'string', minLength: 1 },
        context: { type: 'string', nullable: true, minLength: 1 },
        classification: { type: 'string', nullable: true, minLength: 1 },
        rules: { type: 'string', minLength: 1 },
      },
    },
    reply: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: ['messageType', 'template'],
      properties: { messageType: { type: 'string', minLength: 1 }, template: { type: 'string', minLength: 1 } },
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
  codeLists: ReadonlyMap<string, ReadonlySet<string>>,
): Promise<LoadedProfile> {
  const knownCodeLists = new Set(codeLists.keys());
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
      const schema = await readExtractSchema(file, schemaFile, `/tasks/${i}/schema`);
      schemas[task.name] = schema;
    }
  }
  checkDeliveries(file, value);
  checkRecords(file, value);
  const { check, reply, ...rest } = value;
  const useCase = await loadUseCase(file, check, reply, (uri, code) => {
    const codes = codeLists.get(uri);
    return codes === undefined ? undefined : codes.has(code);
  });
  return { ...rest, schemas, ...useCase };
}

/**
 * An extract task's JSON Schema file, checked as the analysis will use it: compiled as draft 2020-12
 * (its `$schema`, often draft-07, set aside), an object, every `x-entity` a known kind. `owner` and
 * `field` name where it was declared, for XGW_CONFIG_INVALID.
 */
export async function readExtractSchema(
  owner: string,
  schemaFile: string,
  field: string,
): Promise<Record<string, unknown>> {
  const schema = await readJsonFile(schemaFile);
  try {
    compileSchema(withoutSchemaKeyword(schema));
  } catch (cause) {
    throw new AppError('XGW_CONFIG_INVALID', {
      detail: `${owner}: field ${field}: ${schemaFile} is not a usable JSON Schema`,
      extensions: { file: owner, field },
      cause,
    });
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new AppError('XGW_CONFIG_INVALID', {
      detail: `${owner}: field ${field}: ${schemaFile} is not a JSON object`,
      extensions: { file: owner, field },
    });
  }
  const unknown = unknownEntityKinds(schema)[0];
  if (unknown !== undefined) {
    throw new AppError('XGW_CONFIG_INVALID', {
      detail: `${schemaFile}: field ${unknown.pointer}: ${JSON.stringify(unknown.value)} is not an entity kind; allowed: ${ENTITY_KINDS.join(', ')}`,
      extensions: { file: schemaFile, field: unknown.pointer, allowed: [...ENTITY_KINDS] },
    });
  }
  return Object.fromEntries(Object.entries(schema));
}

/** Record paths are plain element paths; a check names a record of this profile and a classify task of it. */
function checkRecords(file: string, profile: MessageProfile): void {
  const names = new Set((profile.records ?? []).map((r) => r.name));
  for (const [i, r] of (profile.records ?? []).entries()) {
    for (const [field, path] of Object.entries(r.fields))
      if (!isQueryPath(path))
        throw new AppError('XGW_CONFIG_INVALID', {
          detail: `${file}: field /records/${i}/fields/${field}: ${path} is not a path of local names`,
          extensions: { file, field: `/records/${i}/fields/${field}` },
        });
  }
  const check = profile.check;
  if (check === undefined) return;
  for (const key of ['records', 'context'] as const) {
    const name = check[key];
    if (name !== undefined && !names.has(name))
      throw new AppError('XGW_CONFIG_INVALID', {
        detail: `${file}: field /check/${key}: ${name} is not a record of this profile`,
        extensions: { file, field: `/check/${key}` },
      });
  }
  const classify = check.classification;
  if (classify !== undefined && !profile.tasks.some((t) => t.kind === 'classify' && t.name === classify))
    throw new AppError('XGW_CONFIG_INVALID', {
      detail: `${file}: field /check/classification: ${classify} is not a classify task of this profile`,
      extensions: { file, field: '/check/classification' },
    });
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
      const reply =
        head === 'reply' && profile.reply !== undefined && /^reply\.(xml|messageId|messageType|createdAt)$/.test(path);
      if (head !== 'header' && !tasks.has(head) && !reply) {
        throw new AppError('XGW_CONFIG_INVALID', {
          detail: `${file}: field ${field}: ${path} names neither the header, nor a task of this profile, nor its reply (reply.xml, reply.messageId, reply.messageType, reply.createdAt)`,
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
