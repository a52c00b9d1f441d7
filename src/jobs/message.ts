import type { MessageRecord } from './reply-proposal.js';
/**
 * The typed view of an accepted message: what the rest of the gateway needs to know about a
 * message and its parts without touching XML (or the documents) again.
 */

/**
 * What reading a document gave. `status` says why there is no text (or only part of it), so that a
 * person, the completeness check or a caller can tell an empty scan from an encrypted PDF.
 */
export const DOCUMENT_STATUSES = [
  'ok',
  'truncated',
  'empty',
  'unsupported',
  'unreadable',
  'encrypted',
  'too_complex',
] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** A code with its code list reference, as XÖV carries codes (`code`, `listURI`, `listVersionID`). */
export interface XoevCode {
  code: string;
  name?: string;
  listURI?: string;
  listVersionID?: string;
}

/** A party in the header: an authority by Behördenkennung, or an institution by name. */
export interface HeaderParty {
  /** Behördenkennung (e.g. DVDV key), where the standard carries one. */
  behoerdenkennung?: string;
  /** Directory service the Behördenkennung belongs to (e.g. `DVDV`), where given. */
  verzeichnisdienst?: string;
  /** Name of the institution or authority, where given. */
  name?: string;
  /** Organisational unit, where given. */
  organisationseinheit?: string;
}

/** The message header (nachrichtenkopf / xdomea Kopf), one shape whatever the standard calls it. */
export interface Nachrichtenkopf {
  /** nachrichtenUUID, or xdomea's ProzessID. */
  messageId: string;
  messageType?: XoevCode;
  /** ISO 8601 creation time as written in the message. */
  createdAt?: string;
  author?: HeaderParty;
  reader?: HeaderParty;
}

/** One unstructured piece of a message. */
export interface MessagePart {
  /** Stable id inside the message: `p1`, `p2`, … in document order. */
  id: string;
  kind: 'text' | 'attachment';
  /** Location in the message, e.g. `/Aussonderung.Aussonderung.0503/Schriftgutobjekt/Vorgang/AllgemeineMetadaten/Betreff`. */
  path: string;
  /** Local element name, e.g. `Betreff`. */
  element: string;
  /** Text content (free text, or text extracted from an attachment). Absent if no text could be extracted. */
  text?: string;
  /** For attachments: MIME type, file name and decoded size in bytes. */
  mimeType?: string;
  fileName?: string;
  sizeBytes?: number;
  /** For attachments: how reading its text went (`ok`, `truncated`, `empty`, `encrypted`, `too_complex` …), with why. */
  extraction?: { status: DocumentStatus; detail?: string; pages?: number };
}

/** Something about an accepted message its sender should know; the message is processed all the same. */
export interface MessageWarning {
  /** `XGW_HEADER_TYPE_MISMATCH`: the header's message type code is not the root element's. */
  code: 'XGW_HEADER_TYPE_MISMATCH';
  detail: string;
  headerCode: string;
  rootCode: string;
}

/** What the XÖV layer knows about one accepted message. */
export interface InspectedMessage {
  standard: string;
  version: string;
  /** Root element local name, e.g. `Aussonderung.Aussonderung.0503`. */
  messageType: string;
  namespace: string;
  header: Nachrichtenkopf;
  parts: MessagePart[];
  /** Present when there is something to say (see {@link MessageWarning}). */
  warnings?: MessageWarning[];
  /** The profile's records (rows of fields read from the message), where it declares some. */
  records?: MessageRecord[];
}
