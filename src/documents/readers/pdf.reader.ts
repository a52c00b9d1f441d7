import type { DocumentLimits } from '../document-limits.js';
import { capText, DocumentEncryptedError } from './reader-errors.js';

/**
 * PDF text through pdf-parse (pdf.js), at most `maxPages` pages. pdf.js runs without `eval` (font
 * programs are interpreted, not compiled: CVE-2024-4367) and without images beyond a small size;
 * time and memory are bounded from outside, by the parent that can kill this process.
 */
export async function readPdf(
  bytes: Buffer,
  limits: DocumentLimits,
): Promise<{ text: string; truncated: boolean; pages: number }> {
  const { PDFParse } = await import('pdf-parse');
  const parser = new PDFParse({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    maxImageSize: 1024 * 1024,
    stopAtErrors: false,
  });
  try {
    const result = await parser.getText({ first: limits.maxPages, pageJoiner: '' });
    const capped = capText(result.text.trim(), limits.maxChars);
    return { text: capped.text, truncated: capped.truncated || result.total > limits.maxPages, pages: result.total };
  } catch (error) {
    if (error instanceof Error && error.name === 'PasswordException')
      throw new DocumentEncryptedError('the PDF is password-protected');
    throw error;
  } finally {
    await parser.destroy();
  }
}
