import type { XmlElement } from 'libxml2-wasm';
import { AppError } from '../errors/app-error.js';
import type { HeaderParty, MessageWarning, Nachrichtenkopf, XoevCode } from '../jobs/message.js';
import type { HeaderFields, HeaderPartyFields } from './header-dialects.js';
import { queryChildOrGrandchild, queryElement, queryText } from './xml-query.js';

/**
 * A code-typed element (`code`, `name`, `@listURI`, `@listVersionID`). Elements and texts are
 * found by XPath inside libxml2 ({@link queryElement}, {@link queryText}): walking the header
 * through libxml2-wasm's node wrappers cost more (a wrapper and a wasm call per node, whitespace
 * text nodes included). Anchoring at the parent keeps each query's scan short.
 */
function code(el: XmlElement | undefined): XoevCode | undefined {
  if (el === undefined) return undefined;
  const value = queryText(el, 'code');
  if (value === undefined) return undefined;
  const name = queryText(el, 'name');
  const listURI = el.attr('listURI')?.value;
  const listVersionID = el.attr('listVersionID')?.value;
  return {
    code: value,
    ...(name === undefined ? {} : { name }),
    ...(listURI === undefined ? {} : { listURI }),
    ...(listVersionID === undefined ? {} : { listVersionID }),
  };
}

/** The first of a list of paths that gives a non-empty text. */
function first(el: XmlElement, paths: readonly string[] | undefined): string | undefined {
  for (const p of paths ?? []) {
    const value = queryText(el, p);
    if (value !== undefined) return value;
  }
  return undefined;
}

function party(kopf: XmlElement, fields: HeaderPartyFields | undefined): HeaderParty | undefined {
  const el = fields === undefined ? undefined : queryElement(kopf, fields.element);
  if (fields === undefined || el === undefined) return undefined;
  const out: HeaderParty = {};
  const behoerdenkennung = first(el, fields.behoerdenkennung);
  const verzeichnisdienst = first(el, fields.verzeichnisdienst);
  const name = first(el, fields.name);
  const organisationseinheit = first(el, fields.organisationseinheit);
  if (behoerdenkennung !== undefined) out.behoerdenkennung = behoerdenkennung;
  if (verzeichnisdienst !== undefined) out.verzeichnisdienst = verzeichnisdienst;
  if (name !== undefined) out.name = name;
  if (organisationseinheit !== undefined) out.organisationseinheit = organisationseinheit;
  return Object.keys(out).length === 0 ? undefined : out;
}

/** Compiled `rootCode` expressions: they come from the loaded descriptors, so the set is small and fixed. */
const rootCodes = new Map<string, RegExp>();

/** The message type code the root element's name carries, by the declaration's `rootCode`. */
function rootCodeOf(fields: HeaderFields, rootName: string): string | undefined {
  if (fields.rootCode === undefined) return undefined;
  let pattern = rootCodes.get(fields.rootCode);
  if (pattern === undefined) {
    pattern = new RegExp(fields.rootCode);
    rootCodes.set(fields.rootCode, pattern);
  }
  return pattern.exec(rootName)?.[1];
}

/** The header element: a direct child of the root in every standard we know; one level deeper to be lenient. */
function headerElement(root: XmlElement, element: string): XmlElement {
  const kopf = queryChildOrGrandchild(root, element);
  if (kopf === undefined)
    throw new AppError('XGW_XOEV_HEADER', { detail: `Message has no ${element} header`, extensions: { element } });
  return kopf;
}

function missingId(element: string): AppError {
  return new AppError('XGW_XOEV_HEADER', {
    detail: `Header ${element} carries no message id`,
    extensions: { element },
  });
}

/**
 * Only the message id, with the same verdicts as {@link readHeader} (no header, no id →
 * XGW_XOEV_HEADER). The receive path needs nothing else before its 202 (the id makes the job id);
 * the worker reads the whole header with the parts. One or two XPath evaluations instead of ~14.
 */
export function readMessageId(root: XmlElement, fields: HeaderFields, element: string): string {
  const messageId = first(headerElement(root, element), fields.messageId);
  if (messageId === undefined) throw missingId(element);
  return messageId;
}

/** Reads a message's header into the one {@link Nachrichtenkopf} shape, by its declaration; no message id → XGW_XOEV_HEADER. */
export function readHeader(
  root: XmlElement,
  fields: HeaderFields,
  element: string,
  rootName: string = root.name,
): Nachrichtenkopf {
  const kopf = headerElement(root, element);
  const messageId = first(kopf, fields.messageId);
  if (messageId === undefined) throw missingId(element);
  const out: Nachrichtenkopf = { messageId };
  const rootCode = rootCodeOf(fields, rootName);
  const messageType =
    fields.messageType !== undefined
      ? code(queryElement(kopf, fields.messageType))
      : rootCode === undefined
        ? undefined
        : { code: rootCode, name: rootName };
  if (messageType !== undefined) out.messageType = messageType;
  const createdAt = first(kopf, fields.createdAt);
  if (createdAt !== undefined) out.createdAt = createdAt;
  const author = party(kopf, fields.author);
  if (author !== undefined) out.author = author;
  const reader = party(kopf, fields.reader);
  if (reader !== undefined) out.reader = reader;
  return out;
}

/**
 * What a Fachverfahren should know about a header that the XSD cannot judge: a message type code
 * in the header that disagrees with the one the root element carries (the root decides what the
 * message is; the header is what the sender's software wrote).
 */
export function headerWarnings(header: Nachrichtenkopf, fields: HeaderFields, rootName: string): MessageWarning[] {
  const rootCode = rootCodeOf(fields, rootName);
  const headerCode = fields.messageType === undefined ? undefined : header.messageType?.code;
  if (rootCode === undefined || headerCode === undefined || rootCode === headerCode) return [];
  return [
    {
      code: 'XGW_HEADER_TYPE_MISMATCH',
      detail: `The header names message type ${headerCode}, the root element ${rootName} is ${rootCode}; the gateway reads the message as ${rootName}`,
      headerCode,
      rootCode,
    },
  ];
}
