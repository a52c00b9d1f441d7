import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { JSONSchemaType } from 'ajv';
import { compileSchema } from '../config/json-schema.js';
import { AppError } from '../errors/app-error.js';
import { configError, readJsonFile } from '../xoev/standard-descriptor.js';
import type { AppraisalRules, CheckDeclaration, CompletenessRules, ReplyDeclaration } from '../jobs/reply-proposal.js';

const strings = { type: 'array', items: { type: 'string', minLength: 1 } } as const;
const someStrings = { type: 'array', nullable: true, minItems: 1, items: { type: 'string', minLength: 1 } } as const;

const completenessSchema: JSONSchemaType<CompletenessRules> = {
  type: 'object',
  additionalProperties: false,
  required: ['deadlineDays', 'requirementSets'],
  properties: {
    deadlineDays: { type: 'integer', minimum: 1, maximum: 365 },
    requirementSets: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'documents'],
        properties: {
          name: { type: 'string', minLength: 1 },
          when: {
            type: 'object',
            nullable: true,
            additionalProperties: false,
            required: ['field', 'in'],
            properties: { field: { type: 'string', minLength: 1 }, in: strings },
          },
          documents: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['name', 'codes', 'basis'],
              properties: {
                name: { type: 'string', minLength: 1 },
                codes: { ...strings, minItems: 1 },
                basis: { type: 'string', minLength: 1 },
              },
            },
          },
        },
      },
    },
  },
};

const appraisalSchema: JSONSchemaType<AppraisalRules> = {
  type: 'object',
  additionalProperties: false,
  required: ['codeList', 'rules', 'undecided'],
  properties: {
    codeList: { type: 'string', minLength: 1 },
    undecided: { type: 'string', minLength: 1 },
    rules: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'code', 'basis'],
        properties: {
          name: { type: 'string', minLength: 1 },
          code: { type: 'string', minLength: 1 },
          basis: { type: 'string', minLength: 1 },
          aktenplan: someStrings,
          keywords: someStrings,
          endedBefore: { type: 'string', nullable: true, pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
          objects: someStrings,
        },
      },
    },
  },
};

const validateCompleteness = compileSchema<CompletenessRules>(completenessSchema);
const validateAppraisal = compileSchema<AppraisalRules>(appraisalSchema);

/** A check with its rules read and checked; the reply with its template read. */
export type LoadedCheck =
  | (CheckDeclaration & { kind: 'completeness'; loaded: CompletenessRules })
  | (CheckDeclaration & { kind: 'appraisal'; loaded: AppraisalRules });
export type LoadedReply = ReplyDeclaration & { templateText: string };

/** Largest reply template read: a template is a message skeleton, not a document. */
const MAX_TEMPLATE_BYTES = 256 * 1024;

/**
 * Reads a profile's check rules and reply template (paths relative to the profile file) and checks
 * them: the rules against their schema, codes against the code lists the catalog knows.
 */
export async function loadUseCase(
  profileFile: string,
  check: CheckDeclaration | undefined,
  reply: ReplyDeclaration | undefined,
  codeListHas: (listURI: string, code: string) => boolean | undefined,
): Promise<{ check?: LoadedCheck; reply?: LoadedReply }> {
  const out: { check?: LoadedCheck; reply?: LoadedReply } = {};
  if (check !== undefined) {
    const file = join(dirname(profileFile), check.rules);
    const value = await readJsonFile(file);
    if (check.kind === 'completeness') {
      if (!validateCompleteness(value))
        throw configError(file, validateCompleteness.errors, 'invalid completeness rules');
      for (const [i, set] of value.requirementSets.entries())
        for (const [j, d] of set.documents.entries())
          for (const code of d.codes)
            if (codeListHas('urn:xoev-de:xbau:codeliste:anlagen', code) === false)
              throw unknownCode(file, `/requirementSets/${i}/documents/${j}/codes`, code);
      out.check = { ...check, kind: 'completeness', loaded: value };
    } else {
      if (!validateAppraisal(value)) throw configError(file, validateAppraisal.errors, 'invalid appraisal rules');
      const codes = [value.undecided, ...value.rules.map((r) => r.code)];
      for (const [i, code] of codes.entries()) {
        const known = codeListHas(value.codeList, code);
        if (known === undefined)
          throw new AppError('XGW_CONFIG_INVALID', {
            detail: `${file}: field /codeList: unknown code list ${value.codeList}`,
            extensions: { file, field: '/codeList' },
          });
        if (!known) throw unknownCode(file, i === 0 ? '/undecided' : `/rules/${i - 1}/code`, code);
      }
      out.check = { ...check, kind: 'appraisal', loaded: value };
    }
  }
  if (reply !== undefined) {
    const file = join(dirname(profileFile), reply.template);
    let templateText: string;
    try {
      const bytes = await readFile(file);
      if (bytes.length > MAX_TEMPLATE_BYTES) throw new Error('too large');
      templateText = bytes.toString('utf8');
    } catch (cause) {
      throw new AppError('XGW_CONFIG_INVALID', {
        detail: `${file}: the reply template cannot be read (or is larger than ${MAX_TEMPLATE_BYTES} bytes)`,
        extensions: { file },
        cause,
      });
    }
    out.reply = { ...reply, templateText };
  }
  return out;
}

function unknownCode(file: string, field: string, code: string): AppError {
  return new AppError('XGW_CONFIG_INVALID', {
    detail: `${file}: field ${field}: ${code} is not a code of its code list`,
    extensions: { file, field },
  });
}
