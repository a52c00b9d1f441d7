import type { XmlElement } from 'libxml2-wasm';
import { AppError } from '../errors/app-error.js';
import type { HeaderParty, Nachrichtenkopf, XoevCode } from '../jobs/message.js';
import type { HeaderDialect } from './standard-descriptor.js';
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

function party(fields: Partial<Record<keyof HeaderParty, string | undefined>>): HeaderParty | undefined {
  const out: HeaderParty = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k as keyof HeaderParty] = v; // keys come from the literal above
  return Object.keys(out).length === 0 ? undefined : out;
}

/** XÖV G2G (`nachrichtenkopf.g2g`), qualified (bn-g2g) or unqualified (XBau) children alike. */
function readG2g(kopf: XmlElement): Omit<Nachrichtenkopf, 'messageId'> & { messageId?: string } {
  const ident = queryElement(kopf, 'identifikation.nachricht');
  const behoerde = (el: XmlElement | undefined): HeaderParty | undefined =>
    el === undefined
      ? undefined
      : party({
          behoerdenkennung: queryText(el, 'kennung'),
          verzeichnisdienst: queryText(el, 'verzeichnisdienst/code'),
          name: queryText(el, 'name'),
        });
  const messageType = ident === undefined ? undefined : code(queryElement(ident, 'nachrichtentyp'));
  return {
    ...(ident === undefined
      ? {}
      : { messageId: queryText(ident, 'nachrichtenUUID'), createdAt: queryText(ident, 'erstellungszeitpunkt') }),
    ...(messageType === undefined ? {} : { messageType }),
    author: behoerde(queryElement(kopf, 'autor')),
    reader: behoerde(queryElement(kopf, 'leser')),
  };
}

/** xdomea `Kopf`: ProzessID, Nachrichtentyp, Erstellungszeitpunkt, Absender/Empfaenger. */
function readXdomea(kopf: XmlElement): Omit<Nachrichtenkopf, 'messageId'> & { messageId?: string } {
  const kontakt = (el: XmlElement | undefined): HeaderParty | undefined => {
    if (el === undefined) return undefined;
    const unit = queryText(el, 'Organisationseinheit/Name');
    const kennung = queryElement(el, 'Behoerdenkennung');
    return party({
      name: queryText(el, 'Institution/Name') ?? unit,
      organisationseinheit: unit,
      behoerdenkennung:
        kennung === undefined
          ? undefined
          : (queryText(kennung, 'Behoerdenschluessel/code') ?? queryText(kennung, 'Kennung/code')),
    });
  };
  const messageType = code(queryElement(kopf, 'Nachrichtentyp'));
  return {
    messageId: queryText(kopf, 'ProzessID'),
    createdAt: queryText(kopf, 'Erstellungszeitpunkt'),
    ...(messageType === undefined ? {} : { messageType }),
    author: kontakt(queryElement(kopf, 'Absender')),
    reader: kontakt(queryElement(kopf, 'Empfaenger')),
  };
}

/** XJustiz `nachrichtenkopf` (Type.GDS.Nachrichtenkopf): eigeneNachrichtenID, auswahl_absender/_empfaenger. */
function readXjustiz(kopf: XmlElement, rootName: string): Omit<Nachrichtenkopf, 'messageId'> & { messageId?: string } {
  const side = (prefix: 'absender' | 'empfaenger'): HeaderParty | undefined => {
    const auswahl = queryElement(kopf, `auswahl_${prefix}`);
    if (auswahl === undefined) return undefined;
    const gericht = queryElement(auswahl, `${prefix}.gericht`);
    return party({
      behoerdenkennung: gericht === undefined ? undefined : queryText(gericht, 'code'),
      verzeichnisdienst: gericht?.attr('listURI')?.value,
      name: queryText(auswahl, `${prefix}.sonstige`),
    });
  };
  // XJustiz has no message type code in the header: the number at the end of the root name is it.
  const number = /\.([0-9]{7})$/.exec(rootName)?.[1];
  return {
    messageId: queryText(kopf, 'eigeneNachrichtenID'),
    createdAt: queryText(kopf, 'erstellungszeitpunkt'),
    ...(number === undefined ? {} : { messageType: { code: number, name: rootName } }),
    author: side('absender'),
    reader: side('empfaenger'),
  };
}

/** Where each dialect keeps the message id, relative to its header element. */
const MESSAGE_ID_PATH: Record<HeaderDialect, string> = {
  g2g: 'identifikation.nachricht/nachrichtenUUID',
  'xdomea-kopf': 'ProzessID',
  xjustiz: 'eigeneNachrichtenID',
};

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
 * the worker reads the whole header with the parts. Two or three XPath evaluations instead of ~14.
 */
export function readMessageId(root: XmlElement, dialect: HeaderDialect, element: string): string {
  const messageId = queryText(headerElement(root, element), MESSAGE_ID_PATH[dialect]);
  if (messageId === undefined) throw missingId(element);
  return messageId;
}

/** Reads the header of a message into the one {@link Nachrichtenkopf} shape; no message id → XGW_XOEV_HEADER. */
export function readHeader(
  root: XmlElement,
  dialect: HeaderDialect,
  element: string,
  rootName: string = root.name,
): Nachrichtenkopf {
  const kopf = headerElement(root, element);
  const read =
    dialect === 'g2g' ? readG2g(kopf) : dialect === 'xdomea-kopf' ? readXdomea(kopf) : readXjustiz(kopf, rootName);
  const { messageId, ...rest } = read;
  if (messageId === undefined) throw missingId(element);
  const out: Nachrichtenkopf = { messageId };
  if (rest.messageType !== undefined) out.messageType = rest.messageType;
  if (rest.createdAt !== undefined) out.createdAt = rest.createdAt;
  if (rest.author !== undefined) out.author = rest.author;
  if (rest.reader !== undefined) out.reader = rest.reader;
  return out;
}
