import type { DocumentStatus } from '../jobs/message.js';

/** What reading a document gave: its type, a status (why there is no text, or only part of it), the text. */
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
export type ReadableFormat = 'pdf' | 'docx' | 'html' | 'eml';
