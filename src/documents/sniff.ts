import type { ReadableFormat } from './document-text.js';

export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function startsWith(bytes: Uint8Array, ...prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** How a document is to be read, from its first bytes and its declared type. */
export interface SniffedType {
  mimeType: string;
  /** Read in the child process. */
  format?: ReadableFormat;
  /** Decoded in place (linear, cheap). */
  plain?: boolean;
  /** An OLE compound file: encrypted OOXML (or a legacy .doc), which is not read. */
  ole?: boolean;
}

/**
 * Declared types are often codes or vague (`application/octet-stream`, a code list value); the
 * first bytes decide for the formats we can read.
 */
export function sniff(bytes: Uint8Array, declared: string | undefined): SniffedType {
  const d = declared?.toLowerCase().trim();
  if (startsWith(bytes, 0x25, 0x50, 0x44, 0x46)) return { mimeType: 'application/pdf', format: 'pdf' };
  if (
    startsWith(bytes, 0x50, 0x4b, 0x03, 0x04) &&
    (d === undefined ||
      !d.includes('/') ||
      d.includes('word') ||
      d.includes('officedocument') ||
      d === 'application/zip' ||
      d.includes('ooxml') ||
      d === 'application/octet-stream')
  ) {
    const mimeType = d?.includes('/') && !d.includes('zip') && d !== 'application/octet-stream' ? d : DOCX;
    return mimeType === DOCX ? { mimeType, format: 'docx' } : { mimeType };
  }
  // Password-protected OOXML is wrapped in an OLE compound file (as are legacy .doc files).
  if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1))
    return { mimeType: d?.includes('/') ? d : 'application/x-ole-storage', ole: true };
  // An e-mail: declared as such, or headers of one at the start of an undeclared file (.eml).
  if (
    d === 'message/rfc822' ||
    ((d === undefined || d === 'application/octet-stream' || !d.includes('/')) && looksLikeMail(bytes))
  )
    return { mimeType: 'message/rfc822', format: 'eml' };
  if (d === undefined || !d.includes('/')) return { mimeType: 'application/octet-stream' };
  if (d.startsWith('text/plain')) return { mimeType: d, plain: true };
  if (d.startsWith('text/html') || d === 'application/xhtml+xml') return { mimeType: d, format: 'html' };
  return { mimeType: d };
}

/** The first line of an e-mail's header block (`Received:`, `From:`, `Message-ID:` …), case-blind. */
const MAIL_HEADER =
  /^(?:return-path|received|from|to|subject|date|message-id|mime-version|delivered-to|x-[a-z-]+):[ \t]/i;

function looksLikeMail(bytes: Uint8Array): boolean {
  return MAIL_HEADER.test(Buffer.from(bytes.subarray(0, 256)).toString('latin1'));
}
