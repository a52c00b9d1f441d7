import type { XmlElement } from 'libxml2-wasm';
import { AppError } from '../errors/app-error.js';
import type { HeaderParty, Nachrichtenkopf, XoevCode } from './message.types.js';
import type { HeaderDialect } from './standard-descriptor.js';
import { queryChildOrGrandchild, queryText } from './xml-query.js';

/**
 * The header fields of one code-typed element (`code`, `name`, `@listURI`, `@listVersionID`) at a
 * path below the header. Every field is one XPath evaluation inside libxml2: walking the header
 * through libxml2-wasm's node wrappers cost several times more (a wrapper and a wasm call per
 * node, whitespace text nodes included).
 */
function code(kopf: XmlElement, path: string): XoevCode | undefined {
  const value = queryText(kopf, `${path}/code`);
  if (value === undefined) return undefined;
  const name = queryText(kopf, `${path}/name`);
  // Empty list attributes count as absent: they identify nothing.
  const listURI = queryText(kopf, `${path}/@listURI`);
  const listVersionID = queryText(kopf, `${path}/@listVersionID`);
  return { code: value, ...(name === undefined ? {} : { name }), ...(listURI === undefined ? {} : { listURI }), ...(listVersionID === undefined ? {} : { listVersionID }) };
}

function party(fields: Partial<Record<keyof HeaderParty, string | undefined>>): HeaderParty | undefined {
  const out: HeaderParty = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k as keyof HeaderParty] = v; // keys come from the literal above
  return Object.keys(out).length === 0 ? undefined : out;
}

/** XÖV G2G (`nachrichtenkopf.g2g`), qualified (bn-g2g) or unqualified (XBau) children alike. */
function readG2g(kopf: XmlElement): Omit<Nachrichtenkopf, 'messageId'> & { messageId?: string } {
  const behoerde = (p: string): HeaderParty | undefined =>
    party({ behoerdenkennung: queryText(kopf, `${p}/kennung`), verzeichnisdienst: queryText(kopf, `${p}/verzeichnisdienst/code`), name: queryText(kopf, `${p}/name`) });
  const messageType = code(kopf, 'identifikation.nachricht/nachrichtentyp');
  const messageId = queryText(kopf, 'identifikation.nachricht/nachrichtenUUID');
  const createdAt = queryText(kopf, 'identifikation.nachricht/erstellungszeitpunkt');
  return {
    ...(messageId === undefined ? {} : { messageId }),
    ...(createdAt === undefined ? {} : { createdAt }),
    ...(messageType === undefined ? {} : { messageType }),
    author: behoerde('autor'),
    reader: behoerde('leser'),
  };
}

/** xdomea `Kopf`: ProzessID, Nachrichtentyp, Erstellungszeitpunkt, Absender/Empfaenger. */
function readXdomea(kopf: XmlElement): Omit<Nachrichtenkopf, 'messageId'> & { messageId?: string } {
  const kontakt = (p: string): HeaderParty | undefined => {
    const unit = queryText(kopf, `${p}/Organisationseinheit/Name`);
    return party({
      name: queryText(kopf, `${p}/Institution/Name`) ?? unit,
      organisationseinheit: unit,
      behoerdenkennung: queryText(kopf, `${p}/Behoerdenkennung/Behoerdenschluessel/code`) ?? queryText(kopf, `${p}/Behoerdenkennung/Kennung/code`),
    });
  };
  const messageType = code(kopf, 'Nachrichtentyp');
  return {
    messageId: queryText(kopf, 'ProzessID'),
    createdAt: queryText(kopf, 'Erstellungszeitpunkt'),
    ...(messageType === undefined ? {} : { messageType }),
    author: kontakt('Absender'),
    reader: kontakt('Empfaenger'),
  };
}

/** XJustiz `nachrichtenkopf` (Type.GDS.Nachrichtenkopf): eigeneNachrichtenID, auswahl_absender/_empfaenger. */
function readXjustiz(kopf: XmlElement, rootName: string): Omit<Nachrichtenkopf, 'messageId'> & { messageId?: string } {
  const side = (prefix: 'absender' | 'empfaenger'): HeaderParty | undefined => {
    const gericht = `auswahl_${prefix}/${prefix}.gericht`;
    return party({
      behoerdenkennung: queryText(kopf, `${gericht}/code`),
      verzeichnisdienst: queryText(kopf, `${gericht}/@listURI`),
      name: queryText(kopf, `auswahl_${prefix}/${prefix}.sonstige`),
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

/** Reads the header of a message into the one {@link Nachrichtenkopf} shape; no message id → XGW_XOEV_HEADER. */
export function readHeader(root: XmlElement, dialect: HeaderDialect, element: string, rootName: string = root.name): Nachrichtenkopf {
  // A direct child of the root in every standard we know; one level deeper to be lenient.
  const kopf = queryChildOrGrandchild(root, element);
  if (kopf === undefined) throw new AppError('XGW_XOEV_HEADER', { detail: `Message has no ${element} header`, extensions: { element } });
  const read = dialect === 'g2g' ? readG2g(kopf) : dialect === 'xdomea-kopf' ? readXdomea(kopf) : readXjustiz(kopf, rootName);
  const { messageId, ...rest } = read;
  if (messageId === undefined) throw new AppError('XGW_XOEV_HEADER', { detail: `Header ${element} carries no message id`, extensions: { element } });
  const out: Nachrichtenkopf = { messageId };
  if (rest.messageType !== undefined) out.messageType = rest.messageType;
  if (rest.createdAt !== undefined) out.createdAt = rest.createdAt;
  if (rest.author !== undefined) out.author = rest.author;
  if (rest.reader !== undefined) out.reader = rest.reader;
  return out;
}
