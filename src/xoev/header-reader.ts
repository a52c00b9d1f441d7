import type { XmlElement } from 'libxml2-wasm';
import { AppError } from '../errors/app-error.js';
import type { HeaderParty, Nachrichtenkopf, XoevCode } from './message.types.js';
import type { HeaderDialect } from './standard-descriptor.js';
import { child, childElements, resolve, textAt } from './xml-tree.js';

/** Finds the header element: a direct child of the root in every standard we know, searched one level deeper to be lenient. */
function findHeader(root: XmlElement, name: string): XmlElement | undefined {
  const direct = child(root, name);
  if (direct !== undefined) return direct;
  for (const c of childElements(root)) {
    const nested = child(c, name);
    if (nested !== undefined) return nested;
  }
  return undefined;
}

function code(el: XmlElement | undefined): XoevCode | undefined {
  if (el === undefined) return undefined;
  const value = textAt(el, 'code');
  if (value === undefined) return undefined;
  const name = textAt(el, 'name');
  const listURI = el.attr('listURI')?.value;
  const listVersionID = el.attr('listVersionID')?.value;
  return { code: value, ...(name === undefined ? {} : { name }), ...(listURI === undefined ? {} : { listURI }), ...(listVersionID === undefined ? {} : { listVersionID }) };
}

function party(fields: Partial<Record<keyof HeaderParty, string | undefined>>): HeaderParty | undefined {
  const out: HeaderParty = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k as keyof HeaderParty] = v; // keys come from the literal above
  return Object.keys(out).length === 0 ? undefined : out;
}

/** XÖV G2G (`nachrichtenkopf.g2g`), qualified (bn-g2g) or unqualified (XBau) children alike. */
function readG2g(kopf: XmlElement): Omit<Nachrichtenkopf, 'messageId'> & { messageId?: string } {
  const ident = child(kopf, 'identifikation.nachricht');
  const behoerde = (el: XmlElement | undefined): HeaderParty | undefined =>
    el === undefined ? undefined : party({ behoerdenkennung: textAt(el, 'kennung'), verzeichnisdienst: textAt(el, 'verzeichnisdienst/code'), name: textAt(el, 'name') });
  const messageType = ident === undefined ? undefined : code(child(ident, 'nachrichtentyp'));
  return {
    ...(ident === undefined ? {} : { messageId: textAt(ident, 'nachrichtenUUID'), createdAt: textAt(ident, 'erstellungszeitpunkt') }),
    ...(messageType === undefined ? {} : { messageType }),
    author: behoerde(child(kopf, 'autor')),
    reader: behoerde(child(kopf, 'leser')),
  };
}

/** xdomea `Kopf`: ProzessID, Nachrichtentyp, Erstellungszeitpunkt, Absender/Empfaenger. */
function readXdomea(kopf: XmlElement): Omit<Nachrichtenkopf, 'messageId'> & { messageId?: string } {
  const kontakt = (el: XmlElement | undefined): HeaderParty | undefined =>
    el === undefined
      ? undefined
      : party({
          name: textAt(el, 'Institution/Name') ?? textAt(el, 'Organisationseinheit/Name'),
          organisationseinheit: textAt(el, 'Organisationseinheit/Name'),
          behoerdenkennung: textAt(el, 'Behoerdenkennung/Behoerdenschluessel/code') ?? textAt(el, 'Behoerdenkennung/Kennung/code'),
        });
  const messageType = code(child(kopf, 'Nachrichtentyp'));
  return {
    messageId: textAt(kopf, 'ProzessID'),
    createdAt: textAt(kopf, 'Erstellungszeitpunkt'),
    ...(messageType === undefined ? {} : { messageType }),
    author: kontakt(child(kopf, 'Absender')),
    reader: kontakt(child(kopf, 'Empfaenger')),
  };
}

/** XJustiz `nachrichtenkopf` (Type.GDS.Nachrichtenkopf): eigeneNachrichtenID, auswahl_absender/_empfaenger. */
function readXjustiz(kopf: XmlElement, root: XmlElement): Omit<Nachrichtenkopf, 'messageId'> & { messageId?: string } {
  const side = (prefix: 'absender' | 'empfaenger'): HeaderParty | undefined => {
    const auswahl = child(kopf, `auswahl_${prefix}`);
    if (auswahl === undefined) return undefined;
    const gericht = resolve(auswahl, `${prefix}.gericht`);
    return party({
      behoerdenkennung: gericht === undefined ? undefined : textAt(gericht, 'code'),
      verzeichnisdienst: gericht === undefined ? undefined : gericht.attr('listURI')?.value,
      name: textAt(auswahl, `${prefix}.sonstige`),
    });
  };
  // XJustiz has no message type code in the header: the number at the end of the root name is it.
  const number = /\.([0-9]{7})$/.exec(root.name)?.[1];
  return {
    messageId: textAt(kopf, 'eigeneNachrichtenID'),
    createdAt: textAt(kopf, 'erstellungszeitpunkt'),
    ...(number === undefined ? {} : { messageType: { code: number, name: root.name } }),
    author: side('absender'),
    reader: side('empfaenger'),
  };
}

/** Reads the header of a message into the one {@link Nachrichtenkopf} shape; no message id → XGW_XOEV_HEADER. */
export function readHeader(root: XmlElement, dialect: HeaderDialect, element: string): Nachrichtenkopf {
  const kopf = findHeader(root, element);
  if (kopf === undefined) throw new AppError('XGW_XOEV_HEADER', { detail: `Message has no ${element} header`, extensions: { element } });
  const read = dialect === 'g2g' ? readG2g(kopf) : dialect === 'xdomea-kopf' ? readXdomea(kopf) : readXjustiz(kopf, root);
  const { messageId, ...rest } = read;
  if (messageId === undefined) throw new AppError('XGW_XOEV_HEADER', { detail: `Header ${element} carries no message id`, extensions: { element } });
  const out: Nachrichtenkopf = { messageId };
  if (rest.messageType !== undefined) out.messageType = rest.messageType;
  if (rest.createdAt !== undefined) out.createdAt = rest.createdAt;
  if (rest.author !== undefined) out.author = rest.author;
  if (rest.reader !== undefined) out.reader = rest.reader;
  return out;
}
