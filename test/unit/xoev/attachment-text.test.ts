import { readFileSync } from 'node:fs';
import { extractAttachmentText } from '../../../src/xoev/attachment-text.js';

// A minimal DOCX written for this test (three parts of an OOXML package, zipped), not a sample from elsewhere.
const DOCX = readFileSync('test/fixtures/attachments/baubeschreibung.docx');

describe('attachment text', () => {
  it('reads the text of a DOCX (mammoth, loaded on first use)', async () => {
    const t = await extractAttachmentText(DOCX, undefined, 10_000);
    expect(t.mimeType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(t.text).toContain('Errichtung eines Carports mit Gründach.');
    expect(t.text).toContain('Aktenzeichen 63-2026-0815');
  });
  it('cuts the text at the limit', async () => {
    expect((await extractAttachmentText(DOCX, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 12)).text).toBe('Baubeschreib');
  });
  it('lists a broken DOCX without text instead of failing', async () => {
    const broken = Buffer.concat([DOCX.subarray(0, 200)]);
    expect(await extractAttachmentText(broken, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 100)).toEqual({ mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
  });
  it('reads plain text and HTML; other types without text', async () => {
    expect(await extractAttachmentText(Buffer.from('Hallo Welt'), 'text/plain', 100)).toEqual({ mimeType: 'text/plain', text: 'Hallo Welt' });
    expect((await extractAttachmentText(Buffer.from('<p>Bau&amp;Plan</p><script>x()</script>'), 'text/html', 100)).text).toBe('Bau&Plan');
    expect(await extractAttachmentText(Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'image/png', 100)).toEqual({ mimeType: 'image/png' });
  });
});
