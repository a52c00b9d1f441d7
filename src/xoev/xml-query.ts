import { XmlElement, XmlXPath } from 'libxml2-wasm';

/**
 * Compiled XPath per relative path, for the life of the process. The paths come from code and
 * from the loaded descriptors' header element names, so the set is small and fixed; compiling
 * costs more than evaluating, and libxml2-wasm is per isolate, so a module-level cache is enough.
 */
const textQueries = new Map<string, XmlXPath>();
const elementQueries = new Map<string, XmlXPath>();

const NAME = /^[\p{L}_][\p{L}\p{N}._-]*$/u;

/** Whether a relative path is one {@link queryText} and {@link queryElement} accept (checked when descriptors load). */
export function isQueryPath(path: string): boolean {
  return path.split('/').every((step) => ['', '.', '..', '*'].includes(step) || NAME.test(step.replace(/^@/, '')));
}

/**
 * Turns a relative path of local names (`a/b`, `@attr`, `*`, `..`, `.`) into XPath with the semantics
 * of {@link resolve} in xml-tree.ts: namespace-blind (XÖV mixes qualified and unqualified children)
 * and the first matching child at each step.
 */
function toXPath(path: string): string {
  return path
    .split('/')
    .map((step) => {
      if (step === '' || step === '.') return '.';
      if (step === '..') return '..';
      if (step === '*') return '*';
      const attribute = step.startsWith('@');
      const name = attribute ? step.slice(1) : step;
      // Names end up inside an XPath string literal; anything but a plain XML name is a bug upstream.
      if (!NAME.test(name)) throw new Error(`Not an XML name in path: ${path}`);
      return attribute ? `@${name}` : `*[local-name()='${name}'][1]`;
    })
    .join('/');
}

/** The compiled query for a path, keyed by the path itself so a hit builds no string. */
function cached(cache: Map<string, XmlXPath>, path: string, expr: (xpath: string) => string): XmlXPath {
  let x = cache.get(path);
  if (x === undefined) {
    x = XmlXPath.compile(expr(toXPath(path)));
    cache.set(path, x);
  }
  return x;
}

/**
 * Trimmed text at a relative path (element content or `@attribute` value), or undefined if absent
 * or empty. One XPath evaluation inside libxml2: no JS wrapper per node on the way.
 */
export function queryText(el: XmlElement, path: string): string | undefined {
  const value = el.eval(cached(textQueries, path, (x) => `string(${x})`));
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** The element at a relative path, or undefined. */
export function queryElement(el: XmlElement, path: string): XmlElement | undefined {
  const node = el.get(cached(elementQueries, path, (x) => x));
  return node instanceof XmlElement ? node : undefined;
}

/** The first element child or grandchild with this local name, children first (one XPath each). */
export function queryChildOrGrandchild(el: XmlElement, localName: string): XmlElement | undefined {
  return queryElement(el, localName) ?? queryElement(el, `*/${localName}`);
}
