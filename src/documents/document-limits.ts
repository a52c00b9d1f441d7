/**
 * Bounds on what reading one document (a PDF, DOCX or HTML attachment, a document of POST /v1/jobs)
 * may cost. A document is untrusted input whose size on the wire says little about its cost: a
 * 200 KB DOCX can unpack to gigabytes, a small PDF can hold streams that inflate a thousandfold or
 * content that keeps pdf.js busy for a minute. Every limit is enforced in the child process that
 * reads the document, and time and memory also from outside it (the parent kills the child).
 */
export interface DocumentLimits {
  /** Characters of text read from one document; the rest is cut and the text marked `truncated`. @defaultValue 200 000 (`PART_MAX_CHARS`) */
  maxChars: number;
  /** Pages of a PDF read; beyond them the text is marked `truncated`. @defaultValue 500 (`DOCUMENT_MAX_PAGES`) */
  maxPages: number;
  /** Entries in a DOCX (zip) package. @defaultValue 1 000 (`DOCUMENT_MAX_ENTRIES`) */
  maxEntries: number;
  /** Bytes a DOCX (zip) package unpacks to, all entries together, checked while inflating. @defaultValue 64 MiB (`DOCUMENT_MAX_UNPACKED_BYTES`) */
  maxUnpackedBytes: number;
  /** Wall-clock time to read one document, in ms; the child is killed beyond it. @defaultValue 10 000 (`DOCUMENT_TIMEOUT_MS`) */
  timeoutMs: number;
  /** Memory (resident set) of the reading child process, in MiB; killed beyond it. @defaultValue 512 (`DOCUMENT_MAX_MEMORY_MB`) */
  maxMemoryMb: number;
}

/** The defaults documented on {@link DocumentLimits}. */
export const DEFAULT_DOCUMENT_LIMITS: Readonly<DocumentLimits> = Object.freeze({
  maxChars: 200_000,
  maxPages: 500,
  maxEntries: 1_000,
  maxUnpackedBytes: 64 * 1024 * 1024,
  timeoutMs: 10_000,
  maxMemoryMb: 512,
});
