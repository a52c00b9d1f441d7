import { DEFAULT_DOCUMENT_LIMITS, type DocumentLimits } from '../../../src/documents/document-limits.js';
import { DocumentReader } from '../../../src/documents/document-reader.js';
import { messageIdOf, splitBody } from '../../../src/documents/readers/eml.reader.js';
import { makePdf } from '../../support/documents.js';
import { makeMail } from '../../support/emails.js';

const LIMITS: DocumentLimits = { ...DEFAULT_DOCUMENT_LIMITS, maxChars: 20_000, timeoutMs: 8_000, maxMemoryMb: 256 };

const LETTER = [
  'Sehr geehrte Damen und Herren,',
  'hiermit lege ich Widerspruch gegen den Bescheid vom 12.11.2026 (Kassenzeichen 5.1234.567890.1) ein.',
  'Die Gebühr von 120,00 EUR ist zu hoch.',
  '',
  'Mit freundlichen Grüßen',
  'Erika Musterfrau',
  '-- ',
  'Erika Musterfrau, Lindenallee 12, 50667 Köln, Tel. 0221 1234567',
  '',
  'Am 20.11.2026 um 10:02 schrieb Bürgerbüro Musterstadt:',
  '> Ihr Antrag ist eingegangen.',
  '> Mit freundlichen Grüßen, Stadt Musterstadt',
].join('\n');

describe('e-mails (message/rfc822) as documents', () => {
  let reader: DocumentReader;
  beforeAll(() => {
    reader = new DocumentReader(LIMITS);
  });
  afterAll(() => reader.close());

  it.each(['quoted-printable-latin1', 'base64-utf8', '8bit-utf8'] as const)(
    'reads headers and new text in %s, keeps the signature, leaves the quoted history out',
    async (encoding) => {
      const read = await reader.read(makeMail(LETTER, { encoding }), 'message/rfc822');
      expect(read).toMatchObject({ mimeType: 'message/rfc822', status: 'ok' });
      expect(read.text).toContain('Von: Erika Musterfrau <erika.musterfrau@example.org>');
      expect(read.text).toContain('Betreff: Widerspruch');
      expect(read.text).toContain('An: Bürgerbüro Musterstadt <buergerbuero@musterstadt.example>');
      expect(read.text).toContain('Gebühr von 120,00 EUR ist zu hoch.');
      expect(read.text).toContain('Lindenallee 12, 50667 Köln');
      expect(read.text).not.toContain('Ihr Antrag ist eingegangen');
      expect(read.text).toContain('[Zitierter Verlauf: 3 Zeilen, nicht ausgewertet]');
    },
  );

  it('recognises an undeclared .eml by its header block, reads an HTML-only mail and a PDF attachment', async () => {
    const mail = makeMail('Bitte um Akteneinsicht nach Art. 15 DSGVO.\nMit freundlichen Grüßen', {
      html: true,
      attachments: [
        { name: 'vollmacht.pdf', type: 'application/pdf', bytes: makePdf(['Vollmacht fuer Herrn Max Mustermann']) },
      ],
    });
    const read = await reader.read(mail, undefined);
    expect(read).toMatchObject({ mimeType: 'message/rfc822', status: 'ok' });
    expect(read.text).toContain('Akteneinsicht nach Art. 15 DSGVO');
    expect(read.text).toContain('[Anhang: vollmacht.pdf, application/pdf,');
    expect(read.text).toContain('Vollmacht fuer Herrn Max Mustermann');
  });

  it('answers a broken or empty mail with a status, not a crash', async () => {
    expect((await reader.read(Buffer.from('From: x\r\n\r\n'), 'message/rfc822')).status).toBe('empty');
    const deep = `Content-Type: multipart/mixed; boundary=a\r\n\r\n${Array.from({ length: 40 }, (_, i) => `--${String.fromCharCode(97 + (i % 26))}${i}\r\nContent-Type: multipart/mixed; boundary=${String.fromCharCode(97 + ((i + 1) % 26))}${i + 1}\r\n\r\n`).join('')}`;
    expect(['too_complex', 'empty', 'ok', 'unreadable']).toContain(
      (await reader.read(Buffer.from(`From: x\r\n${deep}`), 'message/rfc822')).status,
    );
  });

  it('finds the Message-ID in the header block only', () => {
    expect(messageIdOf(makeMail('x', { messageId: 'abc.123@mail.example' }))).toBe('abc.123@mail.example');
    expect(messageIdOf(Buffer.from('From: x\r\n\r\nMessage-ID: <in-body@x>\r\n'))).toBeUndefined();
  });

  it('keeps a form mail that starts with `Von:` and a sentence that says it wrote before', () => {
    const form = 'Von: Erika Mustermann\nDatum: 01.03.2025\nAnliegen: Ummeldung';
    expect(splitBody(form).text).toBe(form);
    const prose = 'Am Montag habe ich Ihnen geschrieben:\nbis heute keine Antwort.';
    expect(splitBody(prose).text).toBe(prose);
  });

  it('separates new text, signature and quoted history of Outlook and English replies', () => {
    expect(splitBody('Danke.\n\nVon: Amt\nGesendet: Montag, 1. Dezember 2026\nAn: ich\nBetreff: x\nalt')).toMatchObject(
      {
        text: 'Danke.',
      },
    );
    expect(splitBody('Danke.\n\n-----Ursprüngliche Nachricht-----\nVon: Amt\nGesendet: heute')).toMatchObject({
      text: 'Danke.',
      quoted: expect.stringContaining('Ursprüngliche'),
    });
    expect(splitBody('Thanks\nOn Mon, 1 Dec 2026 at 10:00, Amt wrote:\n> old')).toMatchObject({
      text: 'Thanks',
      signature: '',
    });
  });
});
