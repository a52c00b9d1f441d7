import type { SeededRandom } from '../chaos/seeded-random.js';

/** One way of breaking a real message; returns the new body and, rarely, another content type. */
export interface Mutation {
  name: string;
  apply(xml: Buffer, rnd: SeededRandom): { body: Buffer; contentType?: string };
}

const text = (b: Buffer): string => b.toString('utf8');
const buf = (s: string): Buffer => Buffer.from(s, 'utf8');

/** Index just after the XML declaration (or 0), where a DOCTYPE would go. */
function afterDeclaration(s: string): number {
  const m = /^\uFEFF?<\?xml[^>]*\?>/.exec(s);
  return m ? m[0].length : 0;
}

/** Start of the n-th element start tag (not a declaration, comment or end tag). */
function elementStarts(s: string): number[] {
  const out: number[] = [];
  const re = /<[A-Za-z_]/g;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) out.push(m.index);
  return out;
}

export const MUTATIONS: readonly Mutation[] = [
  { name: 'truncate', apply: (x, r) => ({ body: x.subarray(0, r.int(0, Math.max(0, x.length - 1))) }) },
  {
    name: 'bit-flips',
    apply: (x, r) => {
      const b = Buffer.from(x);
      for (let i = r.int(1, 16); i > 0; i--) {
        const at = r.int(0, b.length - 1);
        b[at] = (b[at] ?? 0) ^ (1 << r.int(0, 7));
      }
      return { body: b };
    },
  },
  {
    name: 'random-bytes',
    apply: (x, r) => {
      const at = r.int(0, x.length);
      const junk = Buffer.from(Array.from({ length: r.int(1, 64) }, () => r.int(0, 255)));
      return { body: Buffer.concat([x.subarray(0, at), junk, x.subarray(at)]) };
    },
  },
  {
    name: 'wrong-namespace',
    apply: (x, r) => ({
      body: buf(
        text(x).replace(/xmlns(:\w+)?="[^"]*"/, (m) =>
          m.replace(
            /="[^"]*"/,
            `="${r.pick(['urn:example:unknown', '', 'http://www.w3.org/2001/XMLSchema', 'urn:xoev-de:xdomea:schema:9.9.9'])}"`,
          ),
        ),
      ),
    }),
  },
  { name: 'strip-namespaces', apply: (x) => ({ body: buf(text(x).replace(/\sxmlns(:\w+)?="[^"]*"/g, '')) }) },
  {
    name: 'huge-attribute',
    apply: (x, r) => {
      const s = text(x);
      const starts = elementStarts(s);
      const at = starts[r.int(0, starts.length - 1)] ?? 0;
      const end = s.indexOf('>', at);
      const value = 'A'.repeat(r.pick([70_000, 500_000, 2_000_000]));
      return { body: buf(`${s.slice(0, end)} fuzz="${value}"${s.slice(end)}`) };
    },
  },
  {
    name: 'billion-laughs',
    apply: (x) => {
      const s = text(x);
      const at = afterDeclaration(s);
      const dtd =
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">]>';
      return { body: buf(s.slice(0, at) + dtd + s.slice(at).replace(/>([^<]{3,})</, '>&lol6;<')) };
    },
  },
  {
    name: 'external-entity',
    apply: (x, r) => {
      const s = text(x);
      const at = afterDeclaration(s);
      const target = r.pick(['file:///etc/passwd', 'http://127.0.0.1:1/x', '/proc/self/environ']);
      const root = /<([A-Za-z_][\w:.-]*)/.exec(s.slice(at))?.[1] ?? 'x';
      return {
        body: buf(
          `${s.slice(0, at)}<!DOCTYPE ${root} [<!ENTITY xxe SYSTEM "${target}">]>${s.slice(at).replace(/>([^<]{3,})</, '>&xxe;<')}`,
        ),
      };
    },
  },
  { name: 'undeclared-entity', apply: (x) => ({ body: buf(text(x).replace(/>([^<]{3,})</, '>&nope;<')) }) },
  {
    name: 'deep-nesting',
    apply: (x, r) => {
      const s = text(x);
      const starts = elementStarts(s);
      const at = starts[r.int(1, Math.max(1, starts.length - 1))] ?? 0;
      const depth = r.pick([300, 5_000, 50_000]);
      return { body: buf(s.slice(0, at) + '<d>'.repeat(depth) + '</d>'.repeat(depth) + s.slice(at)) };
    },
  },
  {
    name: 'many-elements',
    apply: (x, r) => ({
      body: buf(text(x).replace(/(<[A-Za-z_][^>]*>)/, `$1${'<e/>'.repeat(r.pick([1000, 200_000]))}`)),
    }),
  },
  {
    name: 'huge-text',
    apply: (x, r) => ({ body: buf(text(x).replace(/>([^<]{3,})</, `>${'x'.repeat(r.pick([100_000, 3_000_000]))}<`)) }),
  },
  {
    name: 'encoding-lie',
    apply: (x, r) => ({
      body: buf(
        text(x).replace(/encoding="[^"]*"/, `encoding="${r.pick(['UTF-16', 'ISO-8859-1', 'EBCDIC', 'x-unknown'])}"`),
      ),
    }),
  },
  {
    name: 'processing-instruction',
    apply: (x) => ({
      body: buf(text(x).replace(/(<[A-Za-z_])/, '<?xml-stylesheet href="http://127.0.0.1:1/x.xsl"?><!-- c -->$1')),
    }),
  },
  {
    name: 'cdata-and-comments',
    apply: (x) => ({ body: buf(text(x).replace(/>([^<]{3,})</, '><![CDATA[ ]]> ]]><!-- -- --><')) }),
  },
  {
    name: 'duplicate-attribute',
    apply: (x) => ({ body: buf(text(x).replace(/<([A-Za-z_][\w:.-]*)(\s|>)/, '<$1 a="1" a="2"$2')) }),
  },
  { name: 'empty-body', apply: () => ({ body: Buffer.alloc(0) }) },
  { name: 'json-body-as-xml', apply: () => ({ body: buf('{"task":"classify"}') }) },
  {
    name: 'wrong-content-type',
    apply: (x, r) => ({
      body: x,
      contentType: r.pick([
        'application/json',
        'text/plain',
        'application/octet-stream',
        'multipart/form-data; boundary=x',
      ]),
    }),
  },
  {
    name: 'swap-root',
    apply: (x) => ({ body: buf(text(x).replace(/<([A-Za-z_][\w:.-]*):([\w.-]+)/, '<$1:Unbekannt.Nachricht.9999')) }),
  },
];
