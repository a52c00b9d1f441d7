/*
 * pdf-parse (pdf.js) and mammoth are loaded on first use, not at start: together they add ~150 MiB
 * to a process, and an API process (ROLE=api) reads attachments only for the rare POST /v1/jobs
 * with a document. Workers load them with their first PDF or DOCX.
 */
type PdfParseModule = typeof import('pdf-parse');
type MammothModule = typeof import('mammoth');
let pdfParse: Promise<PdfParseModule> | undefined;
let mammothModule: Promise<MammothModule> | undefined;

/** What can be said about an attachment's bytes: its MIME type (declared or sniffed) and its text, if readable. */
export interface AttachmentText {
  mimeType: string;
  text?: string;
}

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Declared types are often codes or vague; the first bytes decide for the formats we can read. */
function sniff(bytes: Uint8Array, declared: string | undefined): string {
  const d = declared?.toLowerCase();
  if (bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46) return 'application/pdf';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && (d === undefined || d.includes('word') || d.includes('officedocument') || d === 'application/zip' || d.includes('ooxml'))) {
    return d !== undefined && d.includes('/') && !d.includes('zip') ? d : DOCX;
  }
  if (d !== undefined && d.includes('/')) return d;
  return 'application/octet-stream';
}

function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<br\s*\/?>|<\/(p|div|li|h[1-6]|tr)>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}

/**
 * Extracts text from PDF (pdf-parse, i.e. pdf.js), DOCX (mammoth), text/plain and HTML; every other
 * type is listed without text. A broken file yields no text rather than a failed message: the
 * message itself was valid, and the attachment is still listed for a person to look at.
 */
export async function extractAttachmentText(bytes: Uint8Array, declared: string | undefined, maxChars: number): Promise<AttachmentText> {
  const mimeType = sniff(bytes, declared);
  let text: string | undefined;
  try {
    if (mimeType === 'application/pdf') {
      const { PDFParse } = await (pdfParse ??= import('pdf-parse'));
      const parser = new PDFParse({ data: new Uint8Array(bytes) });
      try {
        text = (await parser.getText()).text;
      } finally {
        await parser.destroy();
      }
    } else if (mimeType === DOCX) {
      // A CommonJS module: under ESM its exports arrive as `default` (the types describe the exports themselves).
      const loaded: MammothModule & { default?: MammothModule } = await (mammothModule ??= import('mammoth'));
      const mammoth = loaded.default ?? loaded;
      text = (await mammoth.extractRawText({ buffer: Buffer.from(bytes) })).value;
    } else if (mimeType.startsWith('text/plain')) {
      text = new TextDecoder('utf-8').decode(bytes);
    } else if (mimeType.startsWith('text/html') || mimeType === 'application/xhtml+xml') {
      text = htmlToText(new TextDecoder('utf-8').decode(bytes));
    }
  } catch {
    text = undefined;
  }
  text = text?.trim();
  if (text === undefined || text === '') return { mimeType };
  return { mimeType, text: text.length > maxChars ? text.slice(0, maxChars) : text };
}
