/*
 * The process that reads documents. It runs apart from the API and the workers because reading a
 * document is where untrusted input meets large libraries (pdf.js, mammoth): whatever a document
 * makes them do — allocate gigabytes, loop for a minute, crash — happens here, and the parent
 * answers with `too_complex` and starts a fresh child. One document at a time.
 */
import { readEml } from './readers/eml.reader.js';
import { toReadRequest, type ReadReply, type ReadRequest } from './read-request.js';
import { readDocx } from './readers/docx.reader.js';
import { readHtml } from './readers/html.reader.js';
import { readPdf } from './readers/pdf.reader.js';
import { DocumentEncryptedError, DocumentLimitError } from './readers/reader-errors.js';

async function read(request: ReadRequest): Promise<ReadReply> {
  const { id, format, limits } = request;
  const bytes = Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength);
  try {
    let result: { text: string; truncated: boolean; pages?: number };
    if (format === 'pdf') result = await readPdf(bytes, limits);
    else if (format === 'docx') result = await readDocx(bytes, limits);
    else if (format === 'eml') result = await readEml(bytes, limits);
    else result = readHtml(new TextDecoder('utf-8').decode(bytes), limits.maxChars);
    if (result.text === '')
      return {
        id,
        status: 'empty',
        detail: 'no text in the document (a scan without a text layer?)',
        ...(result.pages === undefined ? {} : { pages: result.pages }),
      };
    return {
      id,
      status: result.truncated ? 'truncated' : 'ok',
      text: result.text,
      ...(result.truncated ? { detail: `text cut at ${limits.maxChars} characters or ${limits.maxPages} pages` } : {}),
      ...(result.pages === undefined ? {} : { pages: result.pages }),
    };
  } catch (error) {
    if (error instanceof DocumentLimitError) return { id, status: 'too_complex', detail: error.message };
    if (error instanceof DocumentEncryptedError) return { id, status: 'encrypted', detail: error.message };
    // The library's message may quote the document; only its kind goes back.
    return {
      id,
      status: 'unreadable',
      detail: `the ${format.toUpperCase()} could not be read (${error instanceof Error ? error.name : 'error'})`,
    };
  }
}

process.on('message', (message: unknown) => {
  const request = toReadRequest(message);
  if (request === undefined) return;
  void read(request).then((reply) => process.send?.(reply));
});
// The parent went away: nothing left to read for.
process.on('disconnect', () => process.exit(0));
