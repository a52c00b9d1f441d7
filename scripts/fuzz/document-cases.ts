import { readFileSync } from 'node:fs';
import { fromRoot } from '../../src/config/paths.js';
import {
  documentXml,
  makeDocx,
  makeDocxBomb,
  makePdf,
  makePdfFlateBomb,
  makeZip,
} from '../../test/support/documents.js';
import { makeMail } from '../../test/support/emails.js';
import type { SeededRandom } from '../chaos/seeded-random.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** A document to send with a task job: its bytes and the MIME type the caller declares. */
export interface FuzzDocument {
  bytes: Buffer;
  mimeType: string;
}

/** One way of making a document hostile (or merely broken). */
export interface DocumentMutation {
  name: string;
  make(rnd: SeededRandom, bombs: Bombs): FuzzDocument;
}

/** Expensive documents built once per run and reused (a PDF flate bomb takes a second to deflate). */
export interface Bombs {
  docx: readonly Buffer[];
  pdf: readonly Buffer[];
}

export async function buildBombs(): Promise<Bombs> {
  return {
    docx: [makeDocxBomb(20 * 1024 * 1024), makeDocxBomb(100 * 1024 * 1024)],
    pdf: [await makePdfFlateBomb(200), await makePdfFlateBomb(900)],
  };
}

const LETTER =
  'Sehr geehrte Damen und Herren, hiermit lege ich Widerspruch gegen den Bescheid vom 12.03.2024 ein. Az. 63-2024-00123.';

function bases(rnd: SeededRandom): FuzzDocument {
  return rnd.pick([
    (): FuzzDocument => ({
      bytes: readFileSync(fromRoot('test/fixtures/attachments/baubeschreibung.docx')),
      mimeType: DOCX,
    }),
    (): FuzzDocument => ({ bytes: makeDocx(documentXml([LETTER, 'Zweiter Absatz.'])), mimeType: DOCX }),
    (): FuzzDocument => ({ bytes: makePdf([LETTER, 'Seite zwei']), mimeType: 'application/pdf' }),
    (): FuzzDocument => ({
      bytes: Buffer.from(`<html><body><h1>Antrag</h1><p>${LETTER}</p><script>x()</script></body></html>`),
      mimeType: 'text/html',
    }),
    (): FuzzDocument => ({ bytes: Buffer.from(LETTER), mimeType: 'text/plain' }),
    (): FuzzDocument => ({
      bytes: makeMail(`${LETTER}\n-- \nErika Musterfrau\nAm 1.12.2026 schrieb Amt:\n> alt`, {
        encoding: rnd.pick(['quoted-printable-latin1', 'base64-utf8', '8bit-utf8'] as const),
        attachments: rnd.next() < 0.5 ? [{ name: 'a.pdf', type: 'application/pdf', bytes: makePdf([LETTER]) }] : [],
      }),
      mimeType: 'message/rfc822',
    }),
  ])();
}

function flipBits(bytes: Buffer, rnd: SeededRandom): Buffer {
  const b = Buffer.from(bytes);
  for (let i = rnd.int(1, 32); i > 0; i--) {
    const at = rnd.int(0, b.length - 1);
    b[at] = (b[at] ?? 0) ^ (1 << rnd.int(0, 7));
  }
  return b;
}

const RFC822 = 'message/rfc822';
const MAIL_HEAD = 'From: a@b.example\r\nMessage-ID: <fuzz@x>\r\nMIME-Version: 1.0\r\n';

export const DOCUMENT_MUTATIONS: readonly DocumentMutation[] = [
  // E-mails (issue #16): nesting, header floods, many attachments, broken encodings.
  {
    name: 'mail-deep-nesting',
    make: (r) => {
      const depth = r.int(20, 400);
      let body = '';
      for (let i = 0; i < depth; i++) body += `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n`;
      return { bytes: Buffer.from(`${MAIL_HEAD + body}x`), mimeType: RFC822 };
    },
  },
  {
    name: 'mail-header-flood',
    make: (r) => ({
      bytes: Buffer.from(`${MAIL_HEAD}${'X-Pad: aaaaaaaaaaaaaaaaaaaaaaaa\r\n'.repeat(r.int(1000, 40000))}\r\nHallo`),
      mimeType: RFC822,
    }),
  },
  {
    name: 'mail-many-attachments',
    make: (r) => ({
      bytes: makeMail(LETTER, {
        attachments: Array.from({ length: r.int(15, 60) }, (_, i) => ({
          name: `f${i}.pdf`,
          type: 'application/pdf',
          bytes: makePdf(['x']),
        })),
      }),
      mimeType: RFC822,
    }),
  },
  {
    name: 'mail-broken-encoding',
    make: (r) => ({
      bytes: Buffer.from(
        `${MAIL_HEAD}Content-Type: text/plain; charset=${r.pick(['x-unknown', 'utf-7', 'iso-8859-1'])}\r\nContent-Transfer-Encoding: ${r.pick(['base64', 'quoted-printable'])}\r\n\r\n${r.pick(['=ZZ=\r\n=', '!!!notbase64', '=C3=A'])}${'=\r\n'.repeat(r.int(1, 5000))}`,
      ),
      mimeType: RFC822,
    }),
  },
  { name: 'doc-intact', make: (r) => bases(r) },
  { name: 'doc-bit-flips', make: (r) => ((d) => ({ ...d, bytes: flipBits(d.bytes, r) }))(bases(r)) },
  {
    name: 'doc-truncate',
    make: (r) => ((d) => ({ ...d, bytes: d.bytes.subarray(0, r.int(1, Math.max(1, d.bytes.length - 1))) }))(bases(r)),
  },
  {
    name: 'doc-wrong-type',
    make: (r) => ({
      ...bases(r),
      mimeType: r.pick([
        DOCX,
        'application/pdf',
        'text/html',
        'text/plain',
        'image/png',
        'application/zip',
        'application/octet-stream',
        'x/y;;',
        '',
      ]),
    }),
  },
  {
    name: 'doc-random-bytes',
    make: (r) => ({
      bytes: Buffer.from(Array.from({ length: r.int(1, 4096) }, () => r.int(0, 255))),
      mimeType: r.pick([DOCX, 'application/pdf', 'text/html']),
    }),
  },
  { name: 'docx-bomb', make: (r, bombs) => ({ bytes: r.pick(bombs.docx), mimeType: DOCX }) },
  {
    name: 'docx-lying-sizes',
    make: (r) => ({
      bytes: makeDocx(documentXml(['x'.repeat(r.int(1_000, 500_000))]), [], r.int(1, 100)),
      mimeType: DOCX,
    }),
  },
  {
    name: 'docx-many-entries',
    make: (r) => ({
      bytes: makeZip(
        Array.from({ length: r.pick([10, 1_200, 3_000]) }, (_, i) => ({
          name: `word/e${i}.xml`,
          data: Buffer.from('<a/>'),
        })),
      ),
      mimeType: DOCX,
    }),
  },
  {
    name: 'docx-deep-xml',
    make: (r) => ({
      bytes: makeDocx(
        `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${'<w:p>'.repeat(r.pick([100, 10_000, 100_000]))}</w:body></w:document>`,
      ),
      mimeType: DOCX,
    }),
  },
  {
    name: 'docx-not-word',
    make: () => ({ bytes: makeZip([{ name: 'hello.txt', data: Buffer.from('hallo') }]), mimeType: DOCX }),
  },
  { name: 'pdf-bomb', make: (r, bombs) => ({ bytes: r.pick(bombs.pdf), mimeType: 'application/pdf' }) },
  {
    name: 'pdf-many-pages',
    make: (r) => ({
      bytes: makePdf(Array.from({ length: r.pick([50, 700, 1_500]) }, (_, i) => `Seite ${i + 1}`)),
      mimeType: 'application/pdf',
    }),
  },
  { name: 'pdf-header-only', make: () => ({ bytes: Buffer.from('%PDF-1.7\n%%EOF\n'), mimeType: 'application/pdf' }) },
  {
    name: 'html-angles',
    make: (r) => ({ bytes: Buffer.from('<a'.repeat(r.pick([1_000, 100_000, 400_000]))), mimeType: 'text/html' }),
  },
  {
    name: 'html-deep',
    make: (r) => ({ bytes: Buffer.from(`${'<div>'.repeat(r.pick([1_000, 200_000]))}Text`), mimeType: 'text/html' }),
  },
  {
    name: 'html-entities',
    make: (r) => ({
      bytes: Buffer.from(`<p>${'&#x1F600;&amp;&nbsp;&bogus;&#99999999;'.repeat(r.pick([10, 50_000]))}</p>`),
      mimeType: 'text/html',
    }),
  },
  {
    name: 'html-unclosed-comment',
    make: (r) => ({ bytes: Buffer.from(`<p>Text</p><!--${'-'.repeat(r.pick([10, 500_000]))}`), mimeType: 'text/html' }),
  },
  {
    name: 'ole-encrypted',
    make: () => ({
      bytes: Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]),
      mimeType: DOCX,
    }),
  },
  {
    name: 'text-huge',
    make: (r) => ({
      bytes: Buffer.from('Straße 1, 12345 Ort. '.repeat(r.pick([100, 20_000, 300_000]))),
      mimeType: 'text/plain',
    }),
  },
  {
    name: 'text-binary',
    make: (r) => ({
      bytes: Buffer.from(Array.from({ length: r.int(1, 10_000) }, () => r.int(0, 255))),
      mimeType: 'text/plain',
    }),
  },
];
