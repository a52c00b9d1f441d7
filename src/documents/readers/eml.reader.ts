import PostalMime, { type Address, type Email } from 'postal-mime';
import type { DocumentLimits } from '../document-limits.js';
import { readDocx } from './docx.reader.js';
import { readHtml } from './html.reader.js';
import { readPdf } from './pdf.reader.js';
import { DocumentLimitError } from './reader-errors.js';

/** Most attachments of one e-mail that are listed and, where PDF or DOCX, read; the rest are counted. */
const MAX_MAIL_ATTACHMENTS = 20;
/** Deepest MIME nesting and largest header block an e-mail may have (postal-mime's own limits). */
const MAX_NESTING = 16;
const MAX_HEADERS_BYTES = 256 * 1024;

/**
 * The lines that start the quoted history of a reply or forward: everything from here on was
 * written before, by someone else or earlier, and is not the new text (`> …`, `Am … schrieb …:`,
 * `On … wrote:`, Outlook's `-----Original Message-----` and `Von: … Gesendet: …` blocks).
 */
const QUOTE_START =
  /^(?:>|-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Weitergeleitete Nachricht|Forwarded message)\s*-{2,}|Am [^\n]{0,60}\d[^\n]{0,80}(?:schrieb|geschrieben)[^:\n]{0,80}:\s*$|On [^\n]{0,60}\d[^\n]{0,80} wrote:\s*$|(?:Von|From):[^\n]{1,200}\n(?:Gesendet|Sent|Datum|Date):[^\n]{1,200}\n(?:[^\n]{0,200}\n){0,2}(?:An|To|Betreff|Subject):)/imu;
/** A signature starts at the standard delimiter (`-- `) on a line of its own. */
const SIGNATURE_START = /^-- ?$/m;

const BERLIN_TIME = new Intl.DateTimeFormat('de-DE', {
  timeZone: 'Europe/Berlin',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/**
 * The mail's date as a German mail client shows it (`01.12.2026, 09:15`, Berlin time): read as a
 * date like the rest of the text, where the ISO form `2026-12-01T08:15:00.000Z` looked like a
 * reference number to the recognisers. A date the parser could not read is kept as written.
 */
function germanDateTime(value: string): string {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : BERLIN_TIME.format(d);
}

function mailbox(a: Address | undefined): string {
  if (a === undefined) return '';
  if (a.group !== undefined) return [a.name, ...a.group.map((m) => m.address)].filter((x) => x !== '').join(', ');
  return a.name === '' ? a.address : `${a.name} <${a.address}>`;
}

/** The new text, the signature and the quoted history of a mail body, apart (linear: two searches). */
export function splitBody(body: string): { text: string; signature: string; quoted: string } {
  const found = body.search(QUOTE_START);
  // Nothing before the "quote": it is the mail itself (a form mail that starts `Von: …`), not history.
  const quoteAt = found >= 0 && body.slice(0, found).trim() === '' ? -1 : found;
  const head = quoteAt < 0 ? body : body.slice(0, quoteAt);
  const quoted = quoteAt < 0 ? '' : body.slice(quoteAt);
  const sigAt = head.search(SIGNATURE_START);
  return {
    text: (sigAt < 0 ? head : head.slice(0, sigAt)).trim(),
    signature: sigAt < 0 ? '' : head.slice(sigAt).replace(SIGNATURE_START, '').trim(),
    quoted: quoted.trim(),
  };
}

function bytesOf(content: ArrayBuffer | Uint8Array | string): Buffer {
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  return content instanceof Uint8Array ? Buffer.from(content) : Buffer.from(new Uint8Array(content));
}

/**
 * An e-mail (message/rfc822) as text to analyse: who wrote to whom, when, about what; the new text
 * with the signature (it holds the sender's contact data), the quoted history left out (counted);
 * the attachments listed, and the text of PDF and DOCX attachments read within the same limits.
 * Encodings (quoted-printable, base64, ISO-8859-1, UTF-8) are postal-mime's.
 */
export async function readEml(bytes: Buffer, limits: DocumentLimits): Promise<{ text: string; truncated: boolean }> {
  let mail: Email;
  try {
    mail = await PostalMime.parse(bytes, {
      maxNestingDepth: MAX_NESTING,
      maxHeadersSize: MAX_HEADERS_BYTES,
      attachmentEncoding: 'arraybuffer',
    });
  } catch (error) {
    if (error instanceof Error && /nesting|header/i.test(error.message))
      throw new DocumentLimitError(`the e-mail exceeds a parsing limit (${error.message.slice(0, 80)})`);
    throw error;
  }
  const lines: string[] = [];
  const from = mailbox(mail.from);
  const to = (mail.to ?? []).map(mailbox).join(', ');
  if (from !== '') lines.push(`Von: ${from}`);
  if (to !== '') lines.push(`An: ${to}`);
  if (mail.date !== undefined) lines.push(`Datum: ${germanDateTime(mail.date)}`);
  if (mail.subject !== undefined) lines.push(`Betreff: ${mail.subject}`);
  const body = mail.text ?? (mail.html === undefined ? '' : readHtml(mail.html, limits.maxChars).text);
  const { text, signature, quoted } = splitBody(body);
  lines.push('', text);
  if (signature !== '') lines.push('', signature);
  if (quoted !== '') lines.push('', `[Zitierter Verlauf: ${quoted.split('\n').length} Zeilen, nicht ausgewertet]`);
  // Inline parts are the mail's own pictures (logos, Outlook's image001.png in every reply): no attachment.
  const attachments = mail.attachments.filter((a) => a.disposition !== 'inline');
  for (const a of attachments.slice(0, MAX_MAIL_ATTACHMENTS)) {
    const content = bytesOf(a.content);
    const name = a.filename ?? '(ohne Namen)';
    lines.push('', `[Anhang: ${name}, ${a.mimeType}, ${content.length} Bytes]`);
    // The attachments' text counts against the same limits as the mail's own.
    const left = { ...limits, maxChars: Math.max(0, limits.maxChars - lines.join('\n').length) };
    if (left.maxChars === 0) break;
    try {
      if (a.mimeType === 'application/pdf' || content.subarray(0, 4).toString('latin1') === '%PDF')
        lines.push((await readPdf(content, left)).text);
      else if (a.mimeType.includes('wordprocessingml')) lines.push((await readDocx(content, left)).text);
    } catch (error) {
      if (error instanceof DocumentLimitError) throw error;
      lines.push('[Anhang nicht lesbar]');
    }
  }
  if (attachments.length > MAX_MAIL_ATTACHMENTS)
    lines.push('', `[${attachments.length - MAX_MAIL_ATTACHMENTS} weitere Anhänge nicht gelesen]`);
  // Headers alone are no document to analyse: a mail without body and attachments is empty.
  if (text === '' && signature === '' && attachments.length === 0) return { text: '', truncated: false };
  const all = lines.join('\n').trim();
  return all.length > limits.maxChars
    ? { text: all.slice(0, limits.maxChars), truncated: true }
    : { text: all, truncated: false };
}

/**
 * The Message-ID of an e-mail, from its header block alone (bounded, no parsing of the body): the
 * once-only key of a mail submitted twice. Undefined when there is none.
 */
export function messageIdOf(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 64 * 1024)).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const headers = (end < 0 ? head : head.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const m = /^message-id:[ \t]*<?([^\s<>]{1,250})>?[ \t]*$/im.exec(headers);
  return m?.[1];
}
