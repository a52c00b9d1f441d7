/**
 * Bounds on what one message may cost. Every limit is checked before or while the message is read,
 * so an oversized or hostile message is answered with XGW_XML_LIMIT / XGW_ATTACHMENT_LIMIT
 * instead of consuming the worker.
 */
export interface XmlLimits {
  /** Largest body in bytes. @defaultValue 10 MiB (same as `MAX_BODY_BYTES`) */
  maxBodyBytes: number;
  /** Deepest element nesting. libxml2 itself stops at 256. @defaultValue 100 */
  maxDepth: number;
  /** Most elements in one message. @defaultValue 200 000 */
  maxElements: number;
  /** Longest attribute value in characters. @defaultValue 16 384 */
  maxAttributeLength: number;
  /** Longest text content of one element in characters (base64 attachments included). @defaultValue 8 MiB */
  maxTextLength: number;
  /** Largest decoded attachment in bytes. @defaultValue 8 MiB */
  maxAttachmentBytes: number;
  /** Largest sum of decoded attachments of one message in bytes. @defaultValue 16 MiB */
  maxAttachmentsTotalBytes: number;
  /** Most attachments in one message. @defaultValue 50 */
  maxAttachments: number;
}

/** The defaults documented on {@link XmlLimits}. */
export const DEFAULT_LIMITS: Readonly<XmlLimits> = Object.freeze({
  maxBodyBytes: 10 * 1024 * 1024,
  maxDepth: 100,
  maxElements: 200_000,
  maxAttributeLength: 16_384,
  maxTextLength: 8 * 1024 * 1024,
  maxAttachmentBytes: 8 * 1024 * 1024,
  maxAttachmentsTotalBytes: 16 * 1024 * 1024,
  maxAttachments: 50,
});

/** Fills unset limits from a base (the catalog's, which default to {@link DEFAULT_LIMITS}). */
export function resolveLimits(base: Readonly<XmlLimits>, override?: Partial<XmlLimits>): XmlLimits {
  return { ...base, ...override };
}
