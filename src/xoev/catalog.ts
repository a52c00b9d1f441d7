import { XmlValidateError, type XmlDocument } from 'libxml2-wasm';
import { AppError, type ProblemItem } from '../errors/app-error.js';
import { DEFAULT_DOCUMENT_LIMITS } from '../documents/document-limits.js';
import { DocumentReader } from '../documents/document-reader.js';
import {
  findStandardFolders,
  loadProfiles,
  loadStandard,
  newCatalogId,
  type LoadedStandard,
} from './catalog-loader.js';
import type { CodeList } from './code-lists.js';
import { headerWarnings, readHeader, readMessageId } from './header-reader.js';
import type { InspectedMessage } from '../jobs/message.js';
import type { MessagePart, Nachrichtenkopf } from '../jobs/message.js';
import type { BesideAttachment } from '../jobs/job-record.js';
import { collectParts, pathEndsWith, type RawPart, type RawRecord } from './parts-reader.js';
import type { LoadedProfile, ProfileTask } from './profile.js';
import { DEFAULT_LIMITS, resolveLimits, type XmlLimits } from './xml-limits.js';
import { bodyBytes, parseXml } from './xml-parse.js';
import { assertDocumentWithinLimits } from './xml-walk.js';

/** Options of {@link loadCatalog}. */
export interface CatalogOptions {
  /** Default profile: free-text elements shorter than this are no parts. @defaultValue 12 (`PART_MIN_CHARS`) */
  partMinChars?: number;
  /** Limits applied when `inspect`/`check` get none. @defaultValue {@link DEFAULT_LIMITS} */
  limits?: Partial<XmlLimits>;
  /** Longest free-text part in characters; a longer one fails `inspect` with XGW_PART_TOO_LONG. @defaultValue 200 000 (`PART_MAX_CHARS`) */
  partMaxChars?: number;
  /** Reads attachment text (in child processes, within limits). @defaultValue a reader with the default limits, owned and closed by the catalog */
  documents?: DocumentReader;
}

/** What `standards()` tells about one loaded standard version. */
export interface StandardSummary {
  standard: string;
  version: string;
  namespaces: string[];
  messageTypes: string[];
  /** Message types with a profile of their own. */
  profiles: string[];
}

/** Standard, version and message type of a message, detected by namespace and root element. */
export interface DetectedMessage {
  standard: string;
  version: string;
  messageType: string;
  namespace: string;
}

/**
 * A message that passed parsing, limits, detection and XSD validation, with its message id: all
 * the receive path needs before it answers 202. The rest of the header is read by `inspect`.
 */
export interface CheckedMessage extends DetectedMessage {
  /** nachrichtenUUID, xdomea's ProzessID or XJustiz's eigeneNachrichtenID. */
  messageId: string;
}

/** A profile task with the ids of the parts it runs on. */
export type InspectedTask = ProfileTask & { partIds: string[] };

/**
 * The compiled catalog of standards. Schemas are compiled once at load; `check` and `inspect` only
 * parse, validate and read. Not safe to share across worker threads (libxml2-wasm is per isolate).
 */
export class XoevCatalog {
  private readonly byNamespace = new Map<string, LoadedStandard[]>();
  private readonly codeLists = new Map<string, CodeList>();
  private closed = false;

  constructor(
    private readonly loaded: readonly LoadedStandard[],
    private readonly unregister: ReadonlyArray<() => void>,
    private readonly partMinChars: number,
    private readonly limits: Readonly<XmlLimits>,
    private readonly partMaxChars: number,
    private readonly documents: DocumentReader,
    private readonly ownsDocuments: boolean,
  ) {
    for (const s of loaded) {
      for (const ns of s.descriptor.namespaces) this.byNamespace.set(ns, [...(this.byNamespace.get(ns) ?? []), s]);
      for (const cl of s.codeLists) this.codeLists.set(cl.listURI, cl);
    }
  }

  /** Loaded standards, for `/v1/standards` and the CLI. */
  standards(): StandardSummary[] {
    return this.loaded.map((s) => ({
      standard: s.descriptor.standard,
      version: s.descriptor.version,
      namespaces: [...s.descriptor.namespaces],
      messageTypes: [...s.messageTypes].sort(),
      profiles: [...s.profiles.keys()].sort(),
    }));
  }

  /** A code list by its listURI (genericode CanonicalUri), from any loaded standard. */
  codeList(listURI: string): CodeList | undefined {
    return this.codeLists.get(listURI);
  }

  /** The JSON Schema of a profile's extract task, or undefined when there is no such task. */
  extractSchema(
    standard: string,
    version: string,
    messageType: string,
    taskName: string,
  ): Record<string, unknown> | undefined {
    const s = this.loaded.find((x) => x.descriptor.standard === standard && x.descriptor.version === version);
    const schema = s?.profiles.get(messageType)?.schemas[taskName];
    return typeof schema === 'object' && schema !== null && !Array.isArray(schema)
      ? Object.fromEntries(Object.entries(schema))
      : undefined;
  }

  /** The loaded profile of a message type (tasks, deliveries), or undefined when it has none. */
  profile(standard: string, version: string, messageType: string): LoadedProfile | undefined {
    return this.loaded
      .find((x) => x.descriptor.standard === standard && x.descriptor.version === version)
      ?.profiles.get(messageType);
  }

  /** All loaded code lists. */
  allCodeLists(): CodeList[] {
    return [...this.codeLists.values()];
  }

  /**
   * Parse, check limits, detect, validate and read the message id: what the receive path needs
   * before it answers 202 (the full header is `inspect`'s: ~14 XPath evaluations the 202 does not
   * wait for). Throws AppError (XGW_XML_LIMIT, XGW_XML_UNSAFE, XGW_XML_MALFORMED, XGW_XOEV_UNKNOWN_STANDARD,
   * XGW_XOEV_INVALID, XGW_XOEV_HEADER).
   */
  check(body: Buffer | string, limits?: Partial<XmlLimits>): CheckedMessage {
    return this.withDocument(body, limits, true, (doc, detected, s) => ({
      ...detected,
      messageId: readMessageId(doc.root, s.header, s.descriptor.header.element),
    }));
  }

  /**
   * The whole header (nachrichtenkopf), the parts (free text and attachments, with attachment text
   * read) and the profile's tasks of a message that passed `check` on receipt: parsed again, within
   * the same limits, but not validated again (the XSD check is the receive path's, once).
   */
  async inspect(
    body: Buffer | string,
    limits?: Partial<XmlLimits>,
    beside: readonly BesideAttachment[] = [],
  ): Promise<InspectedMessage & { tasks?: InspectedTask[] }> {
    const lim = resolveLimits(this.limits, limits);
    let std: LoadedStandard | undefined;
    const { detected, header, raw, rows } = this.withDocument(body, lim, false, (doc, detected, s) => {
      std = s;
      const header = this.header(doc, s, detected.messageType);
      const profile = s.profiles.get(detected.messageType);
      const rows: RawRecord[] = [];
      const raw = collectParts(
        doc.root,
        {
          freeText: new Set(s.descriptor.freeText),
          attachments: s.descriptor.attachments ?? [],
          ...(profile?.parts === undefined ? {} : { profileParts: profile.parts }),
          ...(profile?.records === undefined ? {} : { records: profile.records }),
          partMinChars: this.partMinChars,
        },
        rows,
      );
      return { detected, header, raw, rows };
    });
    const parts = await this.finishParts(withBeside(raw, beside), lim);
    const profile = std?.profiles.get(detected.messageType);
    const result: InspectedMessage & { tasks?: InspectedTask[] } = { ...detected, header, parts };
    const warnings = std === undefined ? [] : headerWarnings(header, std.header, detected.messageType);
    if (warnings.length > 0) result.warnings = warnings;
    if (rows.length > 0)
      result.records = rows.map(({ partIndices, ...row }) => ({
        ...row,
        partIds: partIndices.map((i) => `p${i + 1}`),
      }));
    if (profile !== undefined) {
      result.tasks = profile.tasks.map((t) => ({
        ...t,
        partIds: parts
          .filter((p) => t.parts === undefined || t.parts.some((s) => pathEndsWith(p.path, s)))
          .map((p) => p.id),
      }));
    }
    return result;
  }

  private header(doc: XmlDocument, s: LoadedStandard, rootName: string): Nachrichtenkopf {
    return readHeader(doc.root, s.header, s.descriptor.header.element, rootName);
  }

  /** Frees the compiled schemas. The catalog cannot be used afterwards. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.loaded) s.validator.dispose();
    for (const u of this.unregister) u();
    if (this.ownsDocuments) this.documents.close();
  }

  /** Parses, checks limits, detects and (with `validate`) validates, then hands the live document to `use` and disposes it. */
  private withDocument<T>(
    body: Buffer | string,
    limits: Partial<XmlLimits> | undefined,
    validate: boolean,
    use: (doc: XmlDocument, detected: DetectedMessage, s: LoadedStandard) => T,
  ): T {
    if (this.closed) throw new AppError('XGW_INTERNAL', { detail: 'XÖV catalog is closed' });
    const lim = resolveLimits(this.limits, limits);
    const bytes = bodyBytes(body);
    const doc = parseXml(bytes, lim);
    try {
      assertDocumentWithinLimits(doc, bytes, lim);
      const root = doc.root;
      const namespace = root.namespaceUri;
      // Each wrapper getter is a call into wasm and a fresh string: read the name once.
      const rootName = root.name;
      const s = this.byNamespace.get(namespace)?.find((c) => c.messageTypes.has(rootName));
      if (s === undefined) {
        throw new AppError('XGW_XOEV_UNKNOWN_STANDARD', {
          detail: `No loaded standard has message type {${namespace}}${rootName}`,
          extensions: {
            namespace,
            rootElement: rootName,
            knownStandards: this.loaded.map((x) => ({
              standard: x.descriptor.standard,
              version: x.descriptor.version,
              namespaces: x.descriptor.namespaces,
            })),
          },
        });
      }
      try {
        if (validate) s.validator.validate(doc);
      } catch (err) {
        if (!(err instanceof XmlValidateError)) throw err;
        const errors: ProblemItem[] = err.details.map((d) => ({
          message: d.message.trim(),
          line: d.line,
          ...(d.col > 0 ? { column: d.col } : {}),
          ...(d.xpath === undefined ? {} : { path: d.xpath }),
        }));
        throw new AppError('XGW_XOEV_INVALID', {
          detail: `${errors.length} XSD violation(s) against ${s.descriptor.standard} ${s.descriptor.version}`,
          errors,
          extensions: { standard: s.descriptor.standard, version: s.descriptor.version },
        });
      }
      return use(
        doc,
        { standard: s.descriptor.standard, version: s.descriptor.version, messageType: rootName, namespace },
        s,
      );
    } finally {
      doc.dispose();
    }
  }

  private async finishParts(raw: readonly RawPart[], lim: XmlLimits): Promise<MessagePart[]> {
    const attachments = raw.filter((p) => p.kind === 'attachment');
    if (attachments.length > lim.maxAttachments) {
      throw new AppError('XGW_ATTACHMENT_LIMIT', {
        detail: `${attachments.length} attachments, limit is ${lim.maxAttachments}`,
        extensions: { limit: 'maxAttachments' },
      });
    }
    let total = 0;
    const parts: MessagePart[] = [];
    for (const [i, p] of raw.entries()) {
      const id = `p${i + 1}`;
      if (p.kind === 'text') {
        if (p.text.length > this.partMaxChars) {
          throw new AppError('XGW_PART_TOO_LONG', {
            detail: `The text of ${p.path} has ${p.text.length} characters; PART_MAX_CHARS is ${this.partMaxChars}.`,
            errors: [{ message: 'text too long', path: p.path }],
          });
        }
        parts.push({ id, kind: 'text', path: p.path, element: p.element, text: p.text });
        continue;
      }
      const part: MessagePart = { id, kind: 'attachment', path: p.path, element: p.element };
      if (p.fileName !== undefined) part.fileName = p.fileName;
      if (p.mimeType !== undefined) part.mimeType = p.mimeType;
      if (p.base64 !== undefined) {
        const bytes = Buffer.from(p.base64, 'base64');
        if (bytes.byteLength > lim.maxAttachmentBytes) {
          throw new AppError('XGW_ATTACHMENT_LIMIT', {
            detail: `Attachment at line ${p.line} has ${bytes.byteLength} bytes, limit is ${lim.maxAttachmentBytes}`,
            errors: [{ message: 'attachment too large', line: p.line, path: p.path }],
            extensions: { limit: 'maxAttachmentBytes' },
          });
        }
        total += bytes.byteLength;
        if (total > lim.maxAttachmentsTotalBytes) {
          throw new AppError('XGW_ATTACHMENT_LIMIT', {
            detail: `Attachments exceed ${lim.maxAttachmentsTotalBytes} bytes in total`,
            extensions: { limit: 'maxAttachmentsTotalBytes' },
          });
        }
        // A document that is broken, encrypted or too complex to read is still listed, with why:
        // the message itself was valid, and a person can look at the attachment.
        const read = await this.documents.read(bytes, p.mimeType);
        part.mimeType = read.mimeType;
        part.sizeBytes = bytes.byteLength;
        if (read.text !== undefined) part.text = read.text;
        part.extraction = {
          status: read.status,
          ...(read.detail === undefined ? {} : { detail: read.detail }),
          ...(read.pages === undefined ? {} : { pages: read.pages }),
        };
      }
      parts.push(part);
    }
    return parts;
  }
}

/**
 * Attachments sent beside the message (multipart), put where the message lists them by file name
 * (XBau `anlage` … `dateiname`), so they are read within the same limits as content inside the
 * message. One the message does not list is kept as a part of its own: nothing sent is dropped.
 */
function withBeside(raw: readonly RawPart[], beside: readonly BesideAttachment[]): RawPart[] {
  if (beside.length === 0) return [...raw];
  // Names compared in one Unicode form: macOS sends `ä` decomposed (NFD), XML usually has it composed.
  const byName = new Map(beside.map((a) => [a.fileName.normalize('NFC'), a]));
  const used = new Set<string>();
  const out = raw.map((p): RawPart => {
    if (p.kind !== 'attachment' || p.base64 !== undefined || p.fileName === undefined) return p;
    const a = byName.get(p.fileName.normalize('NFC'));
    if (a === undefined) return p;
    used.add(a.fileName);
    return {
      ...p,
      base64: a.contentBase64,
      ...(p.mimeType === undefined && a.mimeType !== undefined ? { mimeType: a.mimeType } : {}),
    };
  });
  for (const a of beside)
    if (!used.has(a.fileName))
      out.push({
        kind: 'attachment',
        path: '/(beside the message)',
        element: 'attachment',
        line: 0,
        base64: a.contentBase64,
        fileName: a.fileName,
        ...(a.mimeType === undefined ? {} : { mimeType: a.mimeType }),
      });
  return out;
}

/**
 * Loads every `<standard>/<version>/standard.json` under `dir`, compiles each schema set once and
 * checks every descriptor, code list and profile. Anything broken fails with XGW_CONFIG_INVALID
 * naming the file and field.
 */
export async function loadCatalog(dir: string, options: CatalogOptions = {}): Promise<XoevCatalog> {
  const id = newCatalogId();
  const loaded: LoadedStandard[] = [];
  const unregister: Array<() => void> = [];
  try {
    for (const folder of await findStandardFolders(dir)) {
      const { standard, unregister: u } = await loadStandard(folder, id);
      loaded.push(standard);
      unregister.push(u);
    }
    await loadProfiles(
      loaded,
      loaded.flatMap((s) => s.codeLists),
    );
  } catch (err) {
    for (const s of loaded) s.validator.dispose();
    for (const u of unregister) u();
    throw err;
  }
  const partMaxChars = options.partMaxChars ?? DEFAULT_DOCUMENT_LIMITS.maxChars;
  const documents = options.documents ?? new DocumentReader({ ...DEFAULT_DOCUMENT_LIMITS, maxChars: partMaxChars });
  return new XoevCatalog(
    loaded,
    unregister,
    options.partMinChars ?? 12,
    resolveLimits(DEFAULT_LIMITS, options.limits),
    partMaxChars,
    documents,
    options.documents === undefined,
  );
}
