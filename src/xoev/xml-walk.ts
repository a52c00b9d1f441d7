import { XmlElement, XmlText, XmlCData, type XmlDocument } from 'libxml2-wasm';
import { AppError } from '../errors/app-error.js';
import { isByteScannable, scanXmlShape, shapeWithin } from './xml-limit-scan.js';
import type { XmlLimits } from './xml-limits.js';

function limit(name: keyof XmlLimits, detail: string, line?: number): AppError {
  return new AppError('XGW_XML_LIMIT', {
    detail,
    extensions: { limit: name },
    ...(line === undefined ? {} : { errors: [{ message: detail, line }] }),
  });
}

/**
 * One pass over the tree checking depth, element count, attribute and text length. Iterative, so a
 * deep document cannot exhaust the JS stack before the depth limit trips.
 */
export function assertWithinLimits(root: XmlElement, limits: XmlLimits): void {
  const stack: Array<[XmlElement, number]> = [[root, 1]];
  let elements = 0;
  while (stack.length > 0) {
    const top = stack.pop();
    if (top === undefined) break;
    const [el, depth] = top;
    if (depth > limits.maxDepth) throw limit('maxDepth', `Element nesting deeper than ${limits.maxDepth}`, el.line);
    if (++elements > limits.maxElements)
      throw limit('maxElements', `More than ${limits.maxElements} elements`, el.line);
    for (const a of el.attrs) {
      if (a.value.length > limits.maxAttributeLength)
        throw limit(
          'maxAttributeLength',
          `Attribute ${a.name} longer than ${limits.maxAttributeLength} characters`,
          el.line,
        );
    }
    let textLength = 0;
    for (let n = el.firstChild; n !== null; n = n.next) {
      if (n instanceof XmlElement) stack.push([n, depth + 1]);
      else if (n instanceof XmlText || n instanceof XmlCData) {
        textLength += n.content.length;
        if (textLength > limits.maxTextLength)
          throw limit('maxTextLength', `Text of ${el.name} longer than ${limits.maxTextLength} characters`, el.line);
      }
    }
  }
}

/**
 * The limits check of the receive path. A pass over the raw bytes ({@link scanXmlShape}, a few µs)
 * answers for almost every message; only when it cannot vouch (an encoding it cannot read byte by
 * byte) or a bound comes out above a limit does the exact walk over the tree run, which decides
 * with the same rules and line numbers as always. The scan's text and attribute figures are upper
 * bounds, so it never lets through what the walk would refuse.
 */
export function assertDocumentWithinLimits(doc: XmlDocument, bytes: Uint8Array, limits: XmlLimits): void {
  if (isByteScannable(bytes, doc.encoding)) {
    const shape = scanXmlShape(bytes);
    if (shape !== undefined && shapeWithin(shape, limits)) return;
  }
  assertWithinLimits(doc.root, limits);
}
