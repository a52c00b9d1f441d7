import type { XmlLimits } from './xml-limits.js';

/**
 * What one pass over the raw bytes tells about a document's size. Depth and element count are
 * exact; attribute and text lengths are upper bounds (raw bytes, before entity decoding and
 * line-end normalisation, which only ever shorten them).
 */
export interface XmlShape {
  /** Deepest element nesting, root = 1. */
  depth: number;
  /** Number of elements (start and empty-element tags). */
  elements: number;
  /** Longest raw attribute value in bytes (namespace declarations included). */
  longestAttribute: number;
  /** Largest sum of raw text and CDATA bytes directly inside one element. */
  longestText: number;
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const QUOT = 0x22;
const APOS = 0x27;
const COMMENT_OPEN = Buffer.from('<!--');
const COMMENT_CLOSE = Buffer.from('-->');
const CDATA_OPEN = Buffer.from('<![CDATA[');
const CDATA_CLOSE = Buffer.from(']]>');
const PI_CLOSE = Buffer.from('?>');

/**
 * Encodings in which every markup character is the one byte it is in ASCII and never part of a
 * multi-byte character, and in which a character never takes fewer bytes than its UTF-16 length.
 * Only for these do raw byte counts bound libxml2's decoded lengths.
 */
const BYTE_SCANNABLE = /^(utf-?8|us-ascii|ascii|iso-8859-[0-9]{1,2}|iso-latin-1|latin-?1|windows-125[0-8])$/i;

/**
 * Whether {@link scanXmlShape} may be trusted for a body libxml2 parsed with `encoding` (the
 * document's declared encoding, null when there is none). UTF-16/32 bodies (BOM or a zero byte up
 * front) are not: libxml2 detects them without a declaration.
 */
export function isByteScannable(bytes: Uint8Array, encoding: string | null): boolean {
  const b0 = bytes[0];
  if (b0 === undefined || b0 === 0x00 || b0 === 0xfe || b0 === 0xff || bytes[1] === 0x00) return false;
  return encoding === null || BYTE_SCANNABLE.test(encoding);
}

/** Bytes looked at in JS before handing a search to native `indexOf`. */
const SHORT_SPAN = 32;

/**
 * `buf.indexOf(byte, from)`, but most spans in a message are short (end tags, attribute values,
 * whitespace between tags) and a call into native code costs more than looking at a few bytes;
 * long spans (base64 attachments, long free text) still get native `indexOf`.
 */
function find(buf: Buffer, byte: number, from: number): number {
  const stop = Math.min(buf.length, from + SHORT_SPAN);
  for (let k = from; k < stop; k++) if (buf[k] === byte) return k;
  return stop === buf.length ? -1 : buf.indexOf(byte, stop);
}

function startsWith(buf: Buffer, needle: Buffer, at: number): boolean {
  return buf.compare(needle, 0, needle.length, at, at + needle.length) === 0;
}

/**
 * One pass over a document's bytes measuring depth, element count, longest attribute value and
 * longest element text, skipping comments, processing instructions and CDATA the way the parser
 * does. Meant for a body libxml2 has already accepted as well-formed (and free of a DOCTYPE):
 * anything it cannot account for (a DOCTYPE or other `<!` declaration, an unterminated construct,
 * unbalanced tags) yields undefined, and the caller falls back to the exact tree walk.
 *
 * Native `indexOf` jumps over text, attribute values and comments, so the JS loop only touches the
 * bytes inside tags: a few µs for a typical message, against ~100 µs for walking libxml2-wasm's
 * node wrappers.
 */
export function scanXmlShape(bytes: Uint8Array): XmlShape | undefined {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = buf.length;
  // Raw text bytes of each open element; index = depth - 1.
  const text: number[] = [];
  let depth = 0;
  let maxDepth = 0;
  let elements = 0;
  let longestAttribute = 0;
  let longestText = 0;
  let i = 0;
  for (;;) {
    const lt = find(buf, LT, i);
    const textEnd = lt < 0 ? n : lt;
    if (depth > 0) text[depth - 1] = (text[depth - 1] ?? 0) + (textEnd - i);
    if (lt < 0) break;
    const next = buf[lt + 1];
    if (next === SLASH) {
      const gt = find(buf, GT, lt + 2);
      if (gt < 0 || depth === 0) return undefined;
      depth--;
      longestText = Math.max(longestText, text[depth] ?? 0);
      i = gt + 1;
    } else if (next === BANG) {
      if (startsWith(buf, COMMENT_OPEN, lt)) {
        const end = buf.indexOf(COMMENT_CLOSE, lt + COMMENT_OPEN.length);
        if (end < 0) return undefined;
        i = end + COMMENT_CLOSE.length;
      } else if (startsWith(buf, CDATA_OPEN, lt)) {
        const start = lt + CDATA_OPEN.length;
        const end = buf.indexOf(CDATA_CLOSE, start);
        if (end < 0 || depth === 0) return undefined;
        text[depth - 1] = (text[depth - 1] ?? 0) + (end - start);
        i = end + CDATA_CLOSE.length;
      } else {
        return undefined; // DOCTYPE or another declaration: not a shape we vouch for
      }
    } else if (next === QUESTION) {
      const end = buf.indexOf(PI_CLOSE, lt + 2);
      if (end < 0) return undefined;
      i = end + PI_CLOSE.length;
    } else {
      // A start tag: '>' may appear inside quoted attribute values, so values are skipped whole.
      let j = lt + 1;
      let gt = -1;
      while (j < n) {
        const c = buf[j];
        if (c === QUOT || c === APOS) {
          const close = find(buf, c, j + 1);
          if (close < 0) return undefined;
          longestAttribute = Math.max(longestAttribute, close - j - 1);
          j = close + 1;
        } else if (c === GT) {
          gt = j;
          break;
        } else {
          j++;
        }
      }
      if (gt < 0) return undefined;
      elements++;
      maxDepth = Math.max(maxDepth, depth + 1);
      if (buf[gt - 1] !== SLASH) text[depth++] = 0;
      i = gt + 1;
    }
  }
  return depth === 0 && elements > 0 ? { depth: maxDepth, elements, longestAttribute, longestText } : undefined;
}

/** Whether a shape is within every limit the tree walk enforces. */
export function shapeWithin(
  shape: XmlShape,
  limits: Pick<XmlLimits, 'maxDepth' | 'maxElements' | 'maxAttributeLength' | 'maxTextLength'>,
): boolean {
  return (
    shape.depth <= limits.maxDepth &&
    shape.elements <= limits.maxElements &&
    shape.longestAttribute <= limits.maxAttributeLength &&
    shape.longestText <= limits.maxTextLength
  );
}
