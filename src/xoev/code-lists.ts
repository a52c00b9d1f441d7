import { readFile } from 'node:fs/promises';
import { XmlDocument, XmlElement, ParseOption } from 'libxml2-wasm';
import { AppError } from '../errors/app-error.js';

/** One entry of a code list, in the shape a `classify` task offers as a label. */
export interface CodeListEntry {
  code: string;
  name: string;
}

/** A genericode code list reduced to what the gateway uses: its identity and its labels. */
export interface CodeList {
  listURI: string;
  listVersionID: string;
  /** Canonical version URI, e.g. `urn:xoev-de:xbau:codeliste:xbau-nachrichten_4.0`. */
  canonicalVersionUri?: string;
  shortName?: string;
  entries: CodeListEntry[];
  /** The entries carrying `listURI`/`listVersionID` each, ready to be used as labels. */
  labels(): Array<CodeListEntry & { listURI: string; listVersionID: string }>;
}

const ns = (name: string): string => `*[local-name()='${name}']`;

function text(doc: XmlDocument, xpath: string): string | undefined {
  const node = doc.get(xpath);
  const value = node?.content.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Reads a genericode 1.0 file. The code column is the one the first `Key` references; the name
 * column is the first other column (XÖV lists call them `code`/`Schluessel` and
 * `beschreibung`/`Wert`, so names are not reliable, the key is).
 */
export async function loadCodeList(path: string): Promise<CodeList> {
  const bytes = await readFile(path);
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromBuffer(bytes, { option: ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE });
  } catch (cause) {
    throw new AppError('XGW_CONFIG_INVALID', {
      detail: `${path}: code list is not well-formed XML`,
      extensions: { file: path },
      cause,
    });
  }
  try {
    const listURI = text(doc, `/${ns('CodeList')}/${ns('Identification')}/${ns('CanonicalUri')}`);
    const listVersionID = text(doc, `/${ns('CodeList')}/${ns('Identification')}/${ns('Version')}`);
    if (listURI === undefined || listVersionID === undefined) {
      throw new AppError('XGW_CONFIG_INVALID', {
        detail: `${path}: not a genericode code list (Identification/CanonicalUri and Version required)`,
        extensions: { file: path },
      });
    }
    const columnIds = doc
      .find(`/${ns('CodeList')}/${ns('ColumnSet')}/${ns('Column')}`)
      .flatMap((n) => (n instanceof XmlElement ? [n.attr('Id')?.value ?? ''] : []));
    const keyRef = doc.get(`/${ns('CodeList')}/${ns('ColumnSet')}/${ns('Key')}/${ns('ColumnRef')}`);
    const codeColumn = (keyRef instanceof XmlElement ? keyRef.attr('Ref')?.value : undefined) ?? columnIds[0];
    const nameColumn = columnIds.find((id) => id !== codeColumn);
    const entries: CodeListEntry[] = [];
    for (const row of doc.find(`/${ns('CodeList')}/${ns('SimpleCodeList')}/${ns('Row')}`)) {
      let code: string | undefined;
      let name: string | undefined;
      for (const value of row.find(ns('Value'))) {
        if (!(value instanceof XmlElement)) continue;
        const ref = value.attr('ColumnRef')?.value;
        const v = value.content.trim();
        if (ref === codeColumn) code = v;
        else if (ref === nameColumn) name = v;
      }
      if (code !== undefined && code !== '') entries.push({ code, name: name ?? code });
    }
    const canonicalVersionUri = text(doc, `/${ns('CodeList')}/${ns('Identification')}/${ns('CanonicalVersionUri')}`);
    const shortName = text(doc, `/${ns('CodeList')}/${ns('Identification')}/${ns('ShortName')}`);
    return {
      listURI,
      listVersionID,
      ...(canonicalVersionUri === undefined ? {} : { canonicalVersionUri }),
      ...(shortName === undefined ? {} : { shortName }),
      entries,
      labels: () => entries.map((e) => ({ ...e, listURI, listVersionID })),
    };
  } finally {
    doc.dispose();
  }
}
