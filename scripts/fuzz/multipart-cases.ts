import type { SeededRandom } from '../chaos/seeded-random.js';
import { type Bombs, DOCUMENT_MUTATIONS } from './document-cases.js';

/**
 * Hostile multipart bodies for `POST /v1/messages` with files beside the message: documents from
 * the document mutations (bombs included) under the file names the message lists, and broken
 * multipart structure (no closing boundary, endless headers, no file name, duplicate names, many
 * parts, a message part that is not XML). Each must end in an answer, never a crash or a hang.
 */
export interface MultipartCase {
  name: string;
  body: Buffer;
  contentType: string;
}

const FILE_NAMES = ['lageplan.pdf', 'grundrisse_eg_og.pdf', 'schnitt_a-a.pdf', 'baubeschreibung.pdf', 'x.docx'];

function part(boundary: string, field: string, fileName: string | undefined, type: string, bytes: Buffer): Buffer {
  const disposition = `form-data; name="${field}"${fileName === undefined ? '' : `; filename="${fileName}"`}`;
  return Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: ${type}\r\n\r\n`),
    bytes,
    Buffer.from('\r\n'),
  ]);
}

export function multipartCase(rnd: SeededRandom, message: Buffer, bombs: Bombs): MultipartCase {
  const boundary = `xgwfuzz${rnd.int(0, 1e9)}`;
  const contentType = `multipart/form-data; boundary=${boundary}`;
  const files: Buffer[] = [];
  const names: string[] = [];
  for (let k = rnd.int(0, 4); k > 0; k--) {
    const m = rnd.pick(DOCUMENT_MUTATIONS);
    const doc = m.make(rnd, bombs);
    names.push(m.name);
    files.push(
      part(boundary, 'attachments', rnd.pick(FILE_NAMES), doc.mimeType || 'application/octet-stream', doc.bytes),
    );
  }
  const messagePart = part(boundary, 'message', 'message.xml', 'application/xml', message);
  const end = Buffer.from(`--${boundary}--\r\n`);
  const shape = rnd.int(0, 7);
  switch (shape) {
    case 0:
      return { name: `mp-no-closing+${names.join('+')}`, body: Buffer.concat([messagePart, ...files]), contentType };
    case 1:
      return {
        name: 'mp-endless-header',
        body: Buffer.concat([Buffer.from(`--${boundary}\r\nX-Pad: ${'a'.repeat(200_000)}\r\n\r\nx\r\n`), end]),
        contentType,
      };
    case 2:
      return {
        name: 'mp-no-filename',
        body: Buffer.concat([
          messagePart,
          part(boundary, 'attachments', undefined, 'application/pdf', Buffer.from('%PDF')),
          end,
        ]),
        contentType,
      };
    case 3:
      return {
        name: 'mp-many-parts',
        body: Buffer.concat([
          messagePart,
          ...Array.from({ length: 150 }, (_, i) =>
            part(boundary, 'attachments', `f${i}.pdf`, 'application/pdf', Buffer.from('%PDF-1.4')),
          ),
          end,
        ]),
        contentType,
      };
    case 4:
      return {
        name: 'mp-message-not-xml',
        body: Buffer.concat([
          part(boundary, 'message', 'm.xml', 'application/xml', Buffer.from('{"no": "xml"}')),
          ...files,
          end,
        ]),
        contentType,
      };
    case 5:
      return {
        name: 'mp-wrong-boundary',
        body: Buffer.concat([messagePart, ...files, end]),
        contentType: 'multipart/form-data; boundary=other',
      };
    default:
      return { name: `mp-files+${names.join('+')}`, body: Buffer.concat([messagePart, ...files, end]), contentType };
  }
}
