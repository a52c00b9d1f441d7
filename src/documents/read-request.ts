import type { DocumentLimits } from './document-limits.js';
import { DOCUMENT_STATUSES, type DocumentStatus } from '../jobs/message.js';
import type { ReadableFormat } from './document-text.js';

/** What the parent asks of the reading child (over the IPC channel, structured clone). */
export interface ReadRequest {
  id: number;
  format: ReadableFormat;
  bytes: Uint8Array;
  limits: DocumentLimits;
}

/** The child's answer to one {@link ReadRequest}. */
export interface ReadReply {
  id: number;
  status: DocumentStatus;
  text?: string;
  detail?: string;
  pages?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStatus(value: unknown): value is DocumentStatus {
  return DOCUMENT_STATUSES.some((s) => s === value);
}

/** Validates what arrives over the IPC channel: the other side is our own code, but a process boundary is still a boundary. */
export function toReadReply(value: unknown): ReadReply | undefined {
  if (!isRecord(value) || typeof value.id !== 'number' || !isStatus(value.status)) return undefined;
  const reply: ReadReply = { id: value.id, status: value.status };
  if (typeof value.text === 'string') reply.text = value.text;
  if (typeof value.detail === 'string') reply.detail = value.detail;
  if (typeof value.pages === 'number') reply.pages = value.pages;
  return reply;
}

function isLimits(value: unknown): value is DocumentLimits {
  return (
    isRecord(value) &&
    ['maxChars', 'maxPages', 'maxEntries', 'maxUnpackedBytes', 'timeoutMs', 'maxMemoryMb'].every(
      (k) => typeof value[k] === 'number',
    )
  );
}

export function toReadRequest(value: unknown): ReadRequest | undefined {
  if (
    !isRecord(value) ||
    typeof value.id !== 'number' ||
    !(value.bytes instanceof Uint8Array) ||
    !isLimits(value.limits)
  )
    return undefined;
  if (value.format !== 'pdf' && value.format !== 'docx' && value.format !== 'html' && value.format !== 'eml')
    return undefined;
  return { id: value.id, format: value.format, bytes: value.bytes, limits: value.limits };
}
