/**
 * What reading a document gave. `status` says why there is no text (or only part of it), so that a
 * person, the completeness check or a caller can tell an empty scan from an encrypted PDF.
 */
export const DOCUMENT_STATUSES = ['ok', 'truncated', 'empty', 'unsupported', 'unreadable', 'encrypted', 'too_complex'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export interface DocumentText {
  /** MIME type, declared or sniffed from the first bytes (the bytes win for the formats read here). */
  mimeType: string;
  status: DocumentStatus;
  /** The text, when any could be read (`ok`, `truncated`). */
  text?: string;
  /** Why the text is missing or cut, without document content (e.g. which limit). */
  detail?: string;
  /** Pages of a PDF. */
  pages?: number;
}

/** The formats read in the child process; everything else is listed without text. */
export type ReadableFormat = 'pdf' | 'docx' | 'html';
