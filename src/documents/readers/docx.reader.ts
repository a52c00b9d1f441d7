import type { DocumentLimits } from '../document-limits.js';
import { capText } from './reader-errors.js';
import { checkZipWithinLimits } from './zip-check.js';

type MammothModule = typeof import('mammoth');

/** DOCX text through mammoth, after the package was proven to unpack within the limits. */
export async function readDocx(bytes: Buffer, limits: DocumentLimits): Promise<{ text: string; truncated: boolean }> {
  await checkZipWithinLimits(bytes, limits);
  // A CommonJS module: under ESM its exports arrive as `default` (the types describe the exports themselves).
  const loaded: MammothModule & { default?: MammothModule } = await import('mammoth');
  const mammoth = loaded.default ?? loaded;
  const { value } = await mammoth.extractRawText({ buffer: bytes });
  return capText(value.trim(), limits.maxChars);
}
