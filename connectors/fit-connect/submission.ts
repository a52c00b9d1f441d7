import type { InboundAttachment } from '../connector.js';
import {
  authenticationTag,
  DecryptionError,
  decryptJwe,
  type AuthenticationTags,
  type PrivateKey,
  type RejectionProblem,
  sha512Hex,
} from './fit-connect-crypto.js';
import type { EncryptedSubmission } from './zustelldienst.js';

/**
 * The problems a subscriber rejects a submission for. One place: the names follow FIT-Connect's
 * problem catalogue (`…/events/problems/<name>`); the catalogue itself could not be read from
 * here (docs.fitko.de's list is not in the reference store), so check them against it when
 * connecting to the real Zustelldienst.
 */
const PROBLEM_BASE = 'https://schema.fitko.de/fit-connect/events/problems/';
export const PROBLEMS = {
  encryption: { name: 'encryption-issue', title: 'Entschlüsselungsfehler' },
  syntax: { name: 'syntax-violation', title: 'Syntax-Fehler' },
  schema: { name: 'schema-violation', title: 'Schema-Fehler' },
  hash: { name: 'hash-mismatch', title: 'Prüfsumme stimmt nicht' },
  missingAttachment: { name: 'missing-attachment', title: 'Anlage fehlt' },
  unexpectedAttachment: { name: 'incorrect-attachment', title: 'Anlage nicht in den Metadaten' },
} as const;

export function problem(kind: keyof typeof PROBLEMS, detail: string, instance: string): RejectionProblem {
  return { type: PROBLEM_BASE + PROBLEMS[kind].name, title: PROBLEMS[kind].title, detail, instance };
}

/** A submission opened and checked: what the gateway receives, and the tags an accept names. */
export interface OpenedSubmission {
  metadata: Record<string, unknown>;
  data?: { bytes: Uint8Array; mimeType: string; schemaUri: string };
  attachments: InboundAttachment[];
  tags: AuthenticationTags;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A `{ type: "sha512", content: <hex> }` hash, or undefined. */
function hashOf(v: unknown): string | undefined {
  return isRecord(v) && v.type === 'sha512' && typeof v.content === 'string' && /^[0-9a-f]{128}$/i.test(v.content)
    ? v.content.toLowerCase()
    : undefined;
}

/**
 * Decrypts and checks a submission: the metadata (JSON, its content structure), the data and every
 * attachment against the SHA-512 the metadata states, and that the attachments the Zustelldienst
 * lists are exactly those the metadata describes. Either the opened submission, or the problems to
 * reject it with. `fetchAttachment` reads one encrypted attachment.
 */
export async function openSubmission(
  submission: EncryptedSubmission,
  fetchAttachment: (id: string) => Promise<string>,
  key: PrivateKey,
  limits: { maxBytes: number; maxAttachments: number; kid?: string },
): Promise<{ ok: true; opened: OpenedSubmission } | { ok: false; problems: RejectionProblem[] }> {
  const fail = (p: RejectionProblem) => ({ ok: false as const, problems: [p] });
  const decrypt = async (compact: string, instance: string): Promise<Uint8Array | RejectionProblem> => {
    try {
      return await decryptJwe(compact, key, limits.maxBytes, limits.kid);
    } catch (error) {
      if (error instanceof DecryptionError) return problem('encryption', error.message, instance);
      throw error;
    }
  };
  const metaBytes = await decrypt(submission.encryptedMetadata, 'metadata');
  if (!(metaBytes instanceof Uint8Array)) return fail(metaBytes);
  let metadata: unknown;
  try {
    metadata = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(metaBytes));
  } catch {
    return fail(problem('syntax', 'The metadata is not JSON (UTF-8).', 'metadata'));
  }
  const structure = isRecord(metadata) ? metadata.contentStructure : undefined;
  if (!isRecord(metadata) || !isRecord(structure) || !Array.isArray(structure.attachments))
    return fail(problem('schema', 'The metadata has no contentStructure with attachments.', 'metadata'));
  const tags: AuthenticationTags = { metadata: authenticationTag(submission.encryptedMetadata), attachments: {} };

  let data: OpenedSubmission['data'];
  const declaredData = structure.data;
  if (declaredData !== undefined || submission.encryptedData !== undefined) {
    const schema = isRecord(declaredData) ? declaredData.submissionSchema : undefined;
    const hash = isRecord(declaredData) ? hashOf(declaredData.hash) : undefined;
    if (
      !isRecord(schema) ||
      typeof schema.schemaUri !== 'string' ||
      (schema.mimeType !== 'application/xml' && schema.mimeType !== 'application/json') ||
      hash === undefined
    )
      return fail(problem('schema', 'contentStructure.data needs hash (sha512) and submissionSchema.', 'metadata'));
    if (submission.encryptedData === undefined)
      return fail(problem('schema', 'The metadata describes data the submission does not carry.', 'data'));
    const bytes = await decrypt(submission.encryptedData, 'data');
    if (!(bytes instanceof Uint8Array)) return fail(bytes);
    if (sha512Hex(bytes) !== hash)
      return fail(problem('hash', 'The data does not match its hash in the metadata.', 'data'));
    data = { bytes, mimeType: schema.mimeType, schemaUri: schema.schemaUri };
    tags.data = authenticationTag(submission.encryptedData);
  }

  if (submission.attachments.length > limits.maxAttachments)
    return fail(problem('schema', `More than ${limits.maxAttachments} attachments.`, 'attachments'));
  const declared = new Map<string, Record<string, unknown>>();
  for (const a of structure.attachments) {
    if (!isRecord(a) || typeof a.attachmentId !== 'string' || declared.has(a.attachmentId))
      return fail(problem('schema', 'An attachment of the metadata has no id, or an id twice.', 'metadata'));
    declared.set(a.attachmentId, a);
  }
  for (const id of submission.attachments)
    if (!declared.has(id))
      return fail(
        problem('unexpectedAttachment', `Attachment ${id} is not described in the metadata.`, `attachment:${id}`),
      );
  const attachments: InboundAttachment[] = [];
  for (const [id, meta] of declared) {
    if (!submission.attachments.includes(id))
      return fail(problem('missingAttachment', `Attachment ${id} of the metadata is missing.`, `attachment:${id}`));
    const compact = await fetchAttachment(id);
    const bytes = await decrypt(compact, `attachment:${id}`);
    if (!(bytes instanceof Uint8Array)) return fail(bytes);
    if (sha512Hex(bytes) !== hashOf(meta.hash))
      return fail(problem('hash', `Attachment ${id} does not match its hash.`, `attachment:${id}`));
    tags.attachments[id] = authenticationTag(compact);
    const named = typeof meta.filename === 'string' && meta.filename !== '' ? meta.filename : id;
    attachments.push({
      // Two attachments of one name (two photos `Foto.jpg`) stay apart by their id.
      fileName: attachments.some((a) => a.fileName === named) ? `${id}-${named}` : named,
      ...(typeof meta.mimeType === 'string' ? { mimeType: meta.mimeType } : {}),
      bytes: Buffer.from(bytes),
    });
  }
  return { ok: true, opened: { metadata, ...(data === undefined ? {} : { data }), attachments, tags } };
}
