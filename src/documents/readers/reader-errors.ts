/** A document went past one of its limits: the reader stops and reports `too_complex`. */
export class DocumentLimitError extends Error {
  override readonly name = 'DocumentLimitError';
}

/** The document is password-protected: it is listed as `encrypted`, not read. */
export class DocumentEncryptedError extends Error {
  override readonly name = 'DocumentEncryptedError';
}

/** Text cut to `maxChars`, and whether anything was cut. */
export function capText(text: string, maxChars: number): { text: string; truncated: boolean } {
  return text.length > maxChars ? { text: text.slice(0, maxChars), truncated: true } : { text, truncated: false };
}
