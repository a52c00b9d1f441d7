import { XMLBuilder, XMLParser } from 'fast-xml-parser';

/**
 * Reply templates: a message of the standard written out, with the gateway's directives in their
 * own namespace (urn:xoev-ai-gateway:vorlage:1, prefix `xgw`), removed from the output:
 * - `{{path}}` in text and attribute values: the value at a dotted path of the context (escaped);
 * - `xgw:each="path"` on an element: the element once per item of the list, the item as `item`;
 * - `xgw:if="path"` / `xgw:unless="path"`: the element only when the value is (not) truthy
 *   (a non-empty list, `true`, a non-empty string).
 * A new reply for another standard is a new template, not new code (docs/use-cases.md).
 */
export const TEMPLATE_NAMESPACE = 'urn:xoev-ai-gateway:vorlage:1';

type Node = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});
const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  suppressEmptyNode: false,
  processEntities: true,
});

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g;

/** The value at a dotted path (`original.author.name`), or undefined. */
export function lookup(context: unknown, path: string): unknown {
  let cur: unknown = context;
  for (const key of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = Reflect.get(cur, key);
  }
  return cur;
}

function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return value !== undefined && value !== null && value !== false && value !== '' && value !== 'false';
}

function fill(text: string, context: unknown): string {
  return text.replace(PLACEHOLDER, (_m, path: string) => {
    const v = lookup(context, path);
    return v === undefined || v === null ? '' : String(v);
  });
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function renderNodes(nodes: readonly unknown[], context: Record<string, unknown>): Node[] {
  const out: Node[] = [];
  for (const node of nodes) {
    if (!isNode(node)) continue;
    const text = node['#text'];
    if (typeof text === 'string') {
      out.push({ '#text': fill(text, context) });
      continue;
    }
    const name = Object.keys(node).find((k) => k !== ':@');
    if (name === undefined || name.startsWith('?') || name === '#comment') continue;
    const attrs = isNode(node[':@']) ? node[':@'] : {};
    const each = attrs['@_xgw:each'];
    const when = attrs['@_xgw:if'];
    const unless = attrs['@_xgw:unless'];
    if (typeof when === 'string' && !truthy(lookup(context, when))) continue;
    if (typeof unless === 'string' && truthy(lookup(context, unless))) continue;
    const raw = node[name];
    const children: unknown[] = Array.isArray(raw) ? raw : [];
    const renderOne = (ctx: Record<string, unknown>): Node => {
      const kept: Record<string, string> = {};
      for (const [k, v] of Object.entries(attrs)) {
        if (k.startsWith('@_xgw:') || k === '@_xmlns:xgw' || typeof v !== 'string') continue;
        kept[k] = fill(v, ctx);
      }
      const element: Node = { [name]: renderNodes(children, ctx) };
      if (Object.keys(kept).length > 0) element[':@'] = kept;
      return element;
    };
    if (typeof each === 'string') {
      const list = lookup(context, each);
      if (Array.isArray(list)) for (const item of list) out.push(renderOne({ ...context, item }));
      continue;
    }
    out.push(renderOne(context));
  }
  return out;
}

/** Renders a template with a context; the result still has to pass the standard's XSD (reply-builder.ts). */
export function renderTemplate(template: string, context: Record<string, unknown>): string {
  const tree: unknown = parser.parse(template);
  const nodes = Array.isArray(tree) ? renderNodes(tree, context) : [];
  return `<?xml version="1.0" encoding="UTF-8"?>\n${String(builder.build(nodes)).trimStart()}`;
}
