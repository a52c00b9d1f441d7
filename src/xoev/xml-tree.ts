import { XmlElement, XmlText, XmlCData } from 'libxml2-wasm';

/** First child element with this local name (namespace-blind: XÖV mixes qualified and unqualified children). */
export function child(el: XmlElement, localName: string): XmlElement | undefined {
  for (let n = el.firstChild; n !== null; n = n.next) if (n instanceof XmlElement && n.name === localName) return n;
  return undefined;
}

/**
 * Follows a relative path of local names (`a/b`, `..` for the parent, `.` for the element itself).
 */
export function resolve(el: XmlElement, path: string): XmlElement | undefined {
  let cur: XmlElement | undefined = el;
  for (const step of path.split('/')) {
    if (cur === undefined) return undefined;
    if (step === '.' || step === '') continue;
    cur = step === '..' ? (cur.parent ?? undefined) : child(cur, step);
  }
  return cur;
}

/** Trimmed text of the element at a relative path, or undefined if absent or empty. */
export function textAt(el: XmlElement, path: string): string | undefined {
  const target = resolve(el, path);
  if (target === undefined) return undefined;
  const value = target.content.trim();
  return value === '' ? undefined : value;
}

/** Whether an element has element children (free text lives only in leaf elements). */
export function hasElementChildren(el: XmlElement): boolean {
  for (let n = el.firstChild; n !== null; n = n.next) if (n instanceof XmlElement) return true;
  return false;
}

/** Direct text of an element (text and CDATA children), without descendants. */
export function ownText(el: XmlElement): string {
  let s = '';
  for (let n = el.firstChild; n !== null; n = n.next) if (n instanceof XmlText || n instanceof XmlCData) s += n.content;
  return s;
}
