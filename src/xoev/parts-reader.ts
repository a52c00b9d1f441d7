import { XmlElement } from 'libxml2-wasm';
import type { AttachmentRule } from './standard-descriptor.js';
import { hasElementChildren, ownText, resolve, textAt } from './xml-tree.js';
import { queryText } from './xml-query.js';
import type { RecordDeclaration } from '../jobs/reply-proposal.js';

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
  /** The profile's records: elements read as rows of fields (see {@link RawRecord}). */
  records?: readonly RecordDeclaration[];
}

/** A record row as found in the tree: its fields, and the indices (into the parts) of the parts inside it. */
export interface RawRecord {
  record: string;
  element: string;
  path: string;
  fields: Record<string, string>;
  partIndices: number[];
  /** Index into the records of the row this one is nested in. */
  parent?: number;
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
export function collectParts(root: XmlElement, rules: PartRules, records: RawRecord[] = []): RawPart[] {
  const out: RawPart[] = [];
  // The rows open on the way down: a part belongs to the innermost (an Akte's Vorgang's Dokument).
  const open: RawRecord[] = [];
  const push = (part: RawPart): void => {
    open.at(-1)?.partIndices.push(out.length);
    out.push(part);
  };
  const keep = (path: string): boolean =>
    rules.profileParts === undefined || rules.profileParts.some((s) => pathEndsWith(path, s));
  const visit = (el: XmlElement, parentPath: string, skip: ReadonlySet<XmlElement>): void => {
    const path = `${parentPath}/${el.name}`;
    let skipHere = skip;
    const declaration = rules.records?.find((r) => r.match.some((m) => pathEndsWith(path, m)));
    let row: RawRecord | undefined;
    if (declaration !== undefined) {
      const fields: Record<string, string> = {};
      for (const [name, at] of Object.entries(declaration.fields)) {
        const value = at.startsWith('@') ? el.attr(at.slice(1))?.value.trim() : queryText(el, at);
        if (value !== undefined && value !== '') fields[name] = value;
      }
      const outer = open.at(-1);
      row = { record: declaration.name, element: el.name, path, fields, partIndices: [] };
      if (outer !== undefined) row.parent = records.indexOf(outer);
      records.push(row);
      open.push(row);
    }
    const rule = rules.attachments.find((r) => pathEndsWith(path, r.match));
    if (rule !== undefined) {
      const contentEl = rule.content === undefined ? undefined : resolve(el, rule.content);
      const base64 = contentEl?.content.replace(/\s+/g, '');
      const mimeType = (rule.mimeType === undefined ? undefined : textAt(el, rule.mimeType)) ?? rule.mimeTypeFixed;
      const fileName = rule.fileName === undefined ? undefined : textAt(el, rule.fileName);
      if (keep(path) && (rule.content === undefined || (base64 !== undefined && base64 !== ''))) {
        push({
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
      if (text.length >= min && keep(path)) push({ kind: 'text', path, element: el.name, text });
    }
    for (let n = el.firstChild; n !== null; n = n.next) {
      if (n instanceof XmlElement && !skipHere.has(n)) visit(n, path, skipHere);
    }
    if (row !== undefined) open.pop();
  };
  visit(root, '', new Set());
  return out;
}
