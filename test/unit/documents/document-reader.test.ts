import { readFileSync } from 'node:fs';
import { DocumentReader } from '../../../src/documents/document-reader.js';
import { DEFAULT_DOCUMENT_LIMITS, type DocumentLimits } from '../../../src/documents/document-limits.js';
import { documentXml, makeDocx, makeDocxBomb, makePdf, makePdfFlateBomb, makeZip } from '../../support/documents.js';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const LIMITS: DocumentLimits = { ...DEFAULT_DOCUMENT_LIMITS, maxChars: 10_000, timeoutMs: 8_000, maxMemoryMb: 256 };

describe('DocumentReader: text of documents in a child process, within limits', () => {
  let reader: DocumentReader;
  beforeAll(() => {
    reader = new DocumentReader(LIMITS);
  });
  afterAll(() => reader.close());

  it('reads a DOCX and cuts its text at maxChars (truncated)', async () => {
    const docx = readFileSync('test/fixtures/attachments/baubeschreibung.docx');
    const whole = await reader.read(docx, undefined);
    expect(whole).toMatchObject({ mimeType: DOCX_TYPE, status: 'ok' });
    expect(whole.text).toContain('Aktenzeichen 63-2026-0815');
    expect(await reader.read(docx, DOCX_TYPE, { maxChars: 12 })).toMatchObject({
      status: 'truncated',
      text: 'Baubeschreib',
    });
  });

  it('refuses the zip bomb of issue #11 (200 KB unpacking to 50 MiB) as too_complex, and this process does not grow', async () => {
    const bomb = makeDocxBomb(50 * 1024 * 1024);
    expect(bomb.byteLength).toBeLessThan(400_000);
    const before = process.memoryUsage().rss;
    const read = await reader.read(bomb, undefined, { maxUnpackedBytes: 16 * 1024 * 1024 });
    expect(read).toMatchObject({
      status: 'too_complex',
      detail: expect.stringContaining('DOCUMENT_MAX_UNPACKED_BYTES'),
    });
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses an XML part larger than an eighth of DOCUMENT_MAX_UNPACKED_BYTES (what mammoth would build a tree of)', async () => {
    const read = await reader.read(makeDocxBomb(12 * 1024 * 1024), undefined, { maxUnpackedBytes: 64 * 1024 * 1024 });
    expect(read).toMatchObject({ status: 'too_complex', detail: expect.stringContaining('XML part') });
  });

  it('does not trust declared sizes: an entry inflating beyond what it declares is not read', async () => {
    const lying = makeDocx(documentXml(['x'.repeat(100_000)]), [], 100);
    expect((await reader.read(lying, DOCX_TYPE)).status).toBe('unreadable');
  });

  it('refuses a package with more entries than DOCUMENT_MAX_ENTRIES', async () => {
    const many = makeZip(
      Array.from({ length: 30 }, (_, i) => ({ name: `word/media/${i}.xml`, data: Buffer.from('<a/>') })),
    );
    expect(await reader.read(many, DOCX_TYPE, { maxEntries: 20 })).toMatchObject({
      status: 'too_complex',
      detail: expect.stringContaining('DOCUMENT_MAX_ENTRIES'),
    });
  });

  it('reads PDF pages up to maxPages; a longer PDF is truncated and says how many pages it has', async () => {
    const pdf = makePdf(['Seite eins', 'Seite zwei', 'Seite drei']);
    const all = await reader.read(pdf, 'application/octet-stream');
    expect(all).toMatchObject({ mimeType: 'application/pdf', status: 'ok', pages: 3 });
    const two = await reader.read(pdf, undefined, { maxPages: 2 });
    expect(two).toMatchObject({ status: 'truncated', pages: 3 });
    expect(two.text).toContain('Seite zwei');
    expect(two.text).not.toContain('Seite drei');
  });

  it('kills the reader of a PDF flate bomb (memory or time), answers too_complex, and reads the next document with a fresh reader', async () => {
    const bomb = await makePdfFlateBomb(600);
    expect(bomb.byteLength).toBeLessThan(2_000_000);
    const before = process.memoryUsage().rss;
    const read = await reader.read(bomb, undefined);
    expect(read).toMatchObject({ status: 'too_complex' });
    expect(read.detail).toMatch(/DOCUMENT_MAX_MEMORY_MB|DOCUMENT_TIMEOUT_MS|memory or a crash/);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
    expect(await reader.read(makePdf(['danach']), undefined)).toMatchObject({
      status: 'ok',
      text: expect.stringContaining('danach'),
    });
  });

  it('stops a reading that takes longer than DOCUMENT_TIMEOUT_MS', async () => {
    const bomb = await makePdfFlateBomb(600);
    expect(await reader.read(bomb, undefined, { timeoutMs: 200, maxMemoryMb: 8192 })).toMatchObject({
      status: 'too_complex',
      detail: expect.stringContaining('DOCUMENT_TIMEOUT_MS'),
    });
  });

  it('lists what it cannot read with why: encrypted Office files, unknown types, empty text', async () => {
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]);
    expect(await reader.read(ole, DOCX_TYPE)).toMatchObject({ status: 'encrypted' });
    expect(await reader.read(Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'image/png')).toEqual({
      mimeType: 'image/png',
      status: 'unsupported',
    });
    expect(await reader.read(Buffer.from('   '), 'text/plain')).toEqual({ mimeType: 'text/plain', status: 'empty' });
    expect(await reader.read(Buffer.from('<p> </p>'), 'text/html')).toMatchObject({ status: 'empty' });
    expect(await reader.read(Buffer.from('%PDF-1.4 nothing else'), undefined)).toMatchObject({ status: 'unreadable' });
  });

  it('refuses with XGW_BUSY when more documents wait than allowed, and reads the rest', async () => {
    const small = new DocumentReader(LIMITS, { maxWaiting: 1 });
    try {
      const pdf = makePdf(['eins']);
      const first = small.read(pdf, undefined);
      const second = small.read(pdf, undefined);
      await expect(small.read(pdf, undefined)).rejects.toMatchObject({ code: 'XGW_BUSY' });
      expect((await first).status).toBe('ok');
      expect((await second).status).toBe('ok');
    } finally {
      small.close();
    }
  });
});
