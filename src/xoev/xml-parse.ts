import { ParseOption, XmlDocument, XmlParseError } from 'libxml2-wasm';
import { AppError } from '../errors/app-error.js';
import type { XmlLimits } from './xml-limits.js';

/**
 * No entity substitution (no NOENT), no external DTD or entity loading, no network. The DOCTYPE is
 * already refused by {@link assertNoDoctype}; these flags are the second line of defence.
 */
const PARSE_OPTIONS =
  ParseOption.XML_PARSE_NONET |
  ParseOption.XML_PARSE_NO_XXE |
  ParseOption.XML_PARSE_NO_SYS_CATALOG |
  ParseOption.XML_PARSE_BIG_LINES;

const UTF16LE = new TextDecoder('utf-16le');
const UTF16BE = new TextDecoder('utf-16be');

/** The first `size` bytes as text; only ASCII markup matters, so anything but UTF-16 is read as latin1. */
function prologText(body: Uint8Array, size: number): string {
  const head = body.subarray(0, size);
  if (head[0] === 0xff && head[1] === 0xfe) return UTF16LE.decode(head.subarray(2));
  if (head[0] === 0xfe && head[1] === 0xff) return UTF16BE.decode(head.subarray(2));
  // A UTF-8 BOM read as latin1 is three letters, which would end the prolog scan before a DOCTYPE.
  const start = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  return Buffer.from(head.buffer, head.byteOffset + start, head.byteLength - start).toString('latin1');
}

function isXmlSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Walks the prolog: throws on a declaration, 'done' at the first element, 'cut' when the text ends inside the prolog. */
function scanProlog(text: string): 'done' | 'cut' {
  let i = 0;
  for (;;) {
    while (i < text.length && isXmlSpace(text.charCodeAt(i))) i++;
    if (i >= text.length) return 'cut';
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) return 'cut';
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return 'cut';
      i = end + 3;
    } else if (text.startsWith('<!', i)) {
      throw new AppError('XGW_XML_UNSAFE', { detail: 'Document type declarations (DOCTYPE) are not accepted' });
    } else {
      return 'done';
    }
  }
}

/**
 * Refuses any document type declaration before libxml2 sees the body: DTDs are how XXE, billion
 * laughs and quadratic blow-up get in, and no XÖV message needs one. Only the prolog is scanned,
 * so `<!DOCTYPE` inside a CDATA section of a real message is not mistaken for one. The first 4 KiB
 * hold the prolog of any real message; a prolog longer than that (comments, PIs) is read in full,
 * so padding cannot push a DOCTYPE out of sight.
 */
export function assertNoDoctype(body: Uint8Array): void {
  const HEAD = 4096;
  if (scanProlog(prologText(body, HEAD)) === 'cut' && body.byteLength > HEAD)
    scanProlog(prologText(body, body.byteLength));
}

/** The body as bytes, encoding a string once (UTF-8) so the parser and the limit scan share it. */
export function bodyBytes(body: Buffer | string): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

/** Parses a body into a libxml2 document; the caller disposes it. Limits on size and DOCTYPE come first. */
export function parseXml(body: Buffer | string, limits: Pick<XmlLimits, 'maxBodyBytes'>): XmlDocument {
  const bytes = bodyBytes(body);
  if (bytes.byteLength > limits.maxBodyBytes) {
    throw new AppError('XGW_XML_LIMIT', {
      detail: `Body has ${bytes.byteLength} bytes, limit is ${limits.maxBodyBytes}`,
      extensions: { limit: 'maxBodyBytes' },
    });
  }
  assertNoDoctype(bytes);
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromBuffer(bytes, { option: PARSE_OPTIONS });
  } catch (cause) {
    if (cause instanceof XmlParseError) {
      const errors = cause.details
        .filter((d) => d.level >= 2)
        .map((d) => ({ message: d.message.trim(), line: d.line, column: d.col }));
      const first = errors[0];
      const where = first === undefined ? '' : ` at line ${first.line}, column ${first.column}`;
      throw new AppError('XGW_XML_MALFORMED', {
        detail: `XML is not well-formed${where}: ${first?.message ?? cause.message}`,
        errors,
        cause,
      });
    }
    throw cause;
  }
  if (doc.dtd !== null) {
    doc.dispose();
    throw new AppError('XGW_XML_UNSAFE', { detail: 'Document type declarations (DOCTYPE) are not accepted' });
  }
  return doc;
}
