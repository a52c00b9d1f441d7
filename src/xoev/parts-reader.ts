import { XmlElement } from 'libxml2-wasm';
import type { AttachmentRule } from './standard-descriptor.js';
import { hasElementChildren, ownText, resolve, textAt } from './xml-tree.js';

/** A part as found in the tree, before attachment content is decoded and read. */
export type RawPart =
  | { kind: 'text'; path: string; element: string; text: string }
  | {
      kind: 'attachment';
      path: string;
      element: string;
      base64?: string;
      mimeType?: string;
      fileName?: string;
      line: number;
    };

/** What selects parts in one message: the standard's rules and, if the message type has one, its profile. */
export interface PartRules {
  freeText: ReadonlySet<string>;
  attachments: readonly AttachmentRule[];
  /** Path suffixes from the profile; when set, only parts whose path ends with one of them are kept. */
  profileParts?: readonly string[];
  partMinChars: number;
}

/** Whether `path` (`/a/b/c`) ends with the suffix `b/c` on element boundaries. */
export function pathEndsWith(path: string, suffix: string): boolean {
  return path === `/${suffix}` || path.endsWith(`/${suffix}`);
}

/**
 * Walks the tree once in document order. A leaf element named in `freeText` with enough text is a
 * text part; an element matching an attachment rule is an attachment (its content element is not
 * searched for further parts: base64 is not free text).
 */
export function collectParts(root: XmlElement, rules: PartRules): RawPart[] {
  const out: RawPart[] = [];
  const keep = (path: string): boolean =>
    rules.profileParts === undefined || rules.profileParts.some((s) => pathEndsWith(path, s));
  const visit = (el: XmlElement, parentPath: string, skip: ReadonlySet<XmlElement>): void => {
    const path = `${parentPath}/${el.name}`;
    let skipHere = skip;
    const rule = rules.attachments.find((r) => pathEndsWith(path, r.match));
    if (rule !== undefined) {
      const contentEl = rule.content === undefined ? undefined : resolve(el, rule.content);
      const base64 = contentEl?.content.replace(/\s+/g, '');
      const mimeType = (rule.mimeType === undefined ? undefined : textAt(el, rule.mimeType)) ?? rule.mimeTypeFixed;
      const fileName = rule.fileName === undefined ? undefined : textAt(el, rule.fileName);
      if (keep(path) && (rule.content === undefined || (base64 !== undefined && base64 !== ''))) {
        out.push({
          kind: 'attachment',
          path,
          element: el.name,
          line: el.line,
          ...(base64 === undefined ? {} : { base64 }),
          ...(mimeType === undefined ? {} : { mimeType }),
          ...(fileName === undefined ? {} : { fileName }),
        });
      }
      if (contentEl !== undefined) skipHere = new Set([...skip, contentEl]);
    } else if (rules.freeText.has(el.name) && !skip.has(el) && !hasElementChildren(el)) {
      const text = ownText(el).trim();
      const min = rules.profileParts === undefined ? rules.partMinChars : 1;
      if (text.length >= min && keep(path)) out.push({ kind: 'text', path, element: el.name, text });
    }
    for (let n = el.firstChild; n !== null; n = n.next) {
      if (n instanceof XmlElement && !skipHere.has(n)) visit(n, path, skipHere);
    }
  };
  visit(root, '', new Set());
  return out;
}
