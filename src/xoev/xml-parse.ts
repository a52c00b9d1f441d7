import { ParseOption, XmlDocument, XmlParseError } from 'libxml2-wasm';
import { AppError } from '../errors/app-error.js';
import type { XmlLimits } from './xml-limits.js';

/**
 * No entity substitution (no NOENT), no external DTD or entity loading, no network. The DOCTYPE is
 * already refused by {@link assertNoDoctype}; these flags are the second line of defence.
 */
const PARSE_OPTIONS = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE | ParseOption.XML_PARSE_NO_SYS_CATALOG | ParseOption.XML_PARSE_BIG_LINES;

function prologText(body: Uint8Array): string {
  // Only the prolog matters and it is short; UTF-16 bodies are recognised by their BOM.
  const head = body.subarray(0, 4096);
  if (head[0] === 0xff && head[1] === 0xfe) return new TextDecoder('utf-16le').decode(head);
  if (head[0] === 0xfe && head[1] === 0xff) return new TextDecoder('utf-16be').decode(head);
  return new TextDecoder('latin1').decode(head);
}

/**
 * Refuses any document type declaration before libxml2 sees the body: DTDs are how XXE, billion
 * laughs and quadratic blow-up get in, and no XÖV message needs one. Only the prolog is scanned,
 * so `<!DOCTYPE` inside a CDATA section of a real message is not mistaken for one.
 */
export function assertNoDoctype(body: Uint8Array): void {
  const text = prologText(body);
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    while (i < text.length && /\s/.test(text.charAt(i))) i++;
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) return; // libxml2 reports the broken prolog with its position
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return;
      i = end + 3;
    } else if (text.startsWith('<!', i)) {
      throw new AppError('XGW_XML_UNSAFE', { detail: 'Document type declarations (DOCTYPE) are not accepted' });
    } else {
      return;
    }
  }
}

/** Parses a body into a libxml2 document; the caller disposes it. Limits on size and DOCTYPE come first. */
export function parseXml(body: Buffer | string, limits: Pick<XmlLimits, 'maxBodyBytes'>): XmlDocument {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  if (bytes.byteLength > limits.maxBodyBytes) {
    throw new AppError('XGW_XML_LIMIT', { detail: `Body has ${bytes.byteLength} bytes, limit is ${limits.maxBodyBytes}`, extensions: { limit: 'maxBodyBytes' } });
  }
  assertNoDoctype(bytes);
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromBuffer(bytes, { option: PARSE_OPTIONS });
  } catch (cause) {
    if (cause instanceof XmlParseError) {
      const errors = cause.details.filter((d) => d.level >= 2).map((d) => ({ message: d.message.trim(), line: d.line, column: d.col }));
      const first = errors[0];
      const where = first === undefined ? '' : ` at line ${first.line}, column ${first.column}`;
      throw new AppError('XGW_XML_MALFORMED', { detail: `XML is not well-formed${where}: ${first?.message ?? cause.message}`, errors, cause });
    }
    throw cause;
  }
  if (doc.dtd !== null) {
    doc.dispose();
    throw new AppError('XGW_XML_UNSAFE', { detail: 'Document type declarations (DOCTYPE) are not accepted' });
  }
  return doc;
}
