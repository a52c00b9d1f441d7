/**
 * The header shapes the gateway knows by name. Each is a declaration of the same kind a
 * `standard.json` may give inline (`header.fields`), so a new header shape is data, not code;
 * docs/standards.md describes the fields.
 */

/**
 * Where one side of a message (author or reader) sits in the header and where its fields sit inside
 * it. Every field is a list of relative paths (local names joined by `/`, `@attr` for an attribute,
 * `..` for the parent): the first that is present and not empty wins.
 */
export interface HeaderPartyFields {
  element: string;
  behoerdenkennung?: string[];
  verzeichnisdienst?: string[];
  name?: string[];
  organisationseinheit?: string[];
}

/**
 * Where a standard's header keeps what the gateway reads from it, as paths relative to the header
 * element. The shipped dialects (header-dialects.ts) are declarations of this kind; a standard with
 * another header shape declares its own in `standard.json`.
 */
export interface HeaderFields {
  /** The message id (nachrichtenUUID, ProzessID …): required in every message. */
  messageId: string[];
  createdAt?: string[];
  /** A code-typed element (`code`, `name`, `@listURI`, `@listVersionID`) naming the message type. */
  messageType?: string;
  /**
   * A regular expression with one capture group over the root element's local name that yields the
   * message type code the root carries (`\.([0-9]{4})$` for `baugenehmigung.antrag.0200`). With
   * `messageType` the two are compared and a disagreement is reported; without, it is the code.
   */
  rootCode?: string;
  author?: HeaderPartyFields;
  reader?: HeaderPartyFields;
}

/** The shipped declarations, by the name a descriptor's `header.dialect` uses. */
export const HEADER_DIALECTS = {
  /** XÖV G2G `nachrichtenkopf.g2g` (XBau, XBreitband …), qualified or unqualified children alike. */
  g2g: {
    messageId: ['identifikation.nachricht/nachrichtenUUID'],
    createdAt: ['identifikation.nachricht/erstellungszeitpunkt'],
    messageType: 'identifikation.nachricht/nachrichtentyp',
    rootCode: '\\.([0-9]{4})$',
    author: {
      element: 'autor',
      behoerdenkennung: ['kennung'],
      verzeichnisdienst: ['verzeichnisdienst/code'],
      name: ['name'],
    },
    reader: {
      element: 'leser',
      behoerdenkennung: ['kennung'],
      verzeichnisdienst: ['verzeichnisdienst/code'],
      name: ['name'],
    },
  },
  /** xdomea `Kopf`: ProzessID, Nachrichtentyp, Absender/Empfaenger with Institution or Organisationseinheit. */
  'xdomea-kopf': {
    messageId: ['ProzessID'],
    createdAt: ['Erstellungszeitpunkt'],
    messageType: 'Nachrichtentyp',
    rootCode: '\\.([0-9]{4})$',
    author: xdomeaParty('Absender'),
    reader: xdomeaParty('Empfaenger'),
  },
  /** XJustiz `nachrichtenkopf`: no message type code in the header; the root name's number is it. */
  xjustiz: {
    messageId: ['eigeneNachrichtenID'],
    createdAt: ['erstellungszeitpunkt'],
    rootCode: '\\.([0-9]{7})$',
    author: xjustizParty('absender'),
    reader: xjustizParty('empfaenger'),
  },
} satisfies Record<string, HeaderFields>;

export type HeaderDialectName = keyof typeof HEADER_DIALECTS;

export const HEADER_DIALECT_NAMES: HeaderDialectName[] = ['g2g', 'xdomea-kopf', 'xjustiz'];

function xdomeaParty(element: string): HeaderPartyFields {
  return {
    element,
    behoerdenkennung: ['Behoerdenkennung/Behoerdenschluessel/code', 'Behoerdenkennung/Kennung/code'],
    name: ['Institution/Name', 'Organisationseinheit/Name'],
    organisationseinheit: ['Organisationseinheit/Name'],
  };
}

function xjustizParty(side: 'absender' | 'empfaenger'): HeaderPartyFields {
  return {
    element: `auswahl_${side}`,
    behoerdenkennung: [`${side}.gericht/code`],
    verzeichnisdienst: [`${side}.gericht/@listURI`],
    name: [`${side}.sonstige`],
  };
}
