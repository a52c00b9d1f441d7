import { readdir, readFile, stat } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ParseOption, XmlDocument, XmlElement, XsdValidator, XmlLibError } from 'libxml2-wasm';
import { AppError } from '../errors/app-error.js';
import { loadCodeList, type CodeList } from './code-lists.js';
import { loadProfile, type LoadedProfile } from './profile.js';
import { registerResources, RESOURCE_SCHEME } from './schema-resources.js';
import type { HeaderFields } from './header-dialects.js';
import { headerFieldsOf, loadDescriptor, type StandardDescriptor } from './standard-descriptor.js';

/** One standard version after loading: its descriptor, compiled validator, message types and profiles. */
export interface LoadedStandard {
  folder: string;
  descriptor: StandardDescriptor;
  /** Where the header keeps what the gateway reads: the descriptor's fields or its dialect's. */
  header: HeaderFields;
  validator: XsdValidator;
  messageTypes: Set<string>;
  profiles: Map<string, LoadedProfile>;
  codeLists: CodeList[];
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** `<standard>/<version>/standard.json` folders under the catalog root. */
export function findStandardFolders(root: string): Promise<string[]> {
  return findDescriptorFolders(root, 'standard.json');
}

/**
 * `<name>/<version>/<descriptor>` folders under the catalog root (standards have `standard.json`,
 * request profiles `usecase.json`); folders starting with `_` or `.` are left out.
 */
export async function findDescriptorFolders(root: string, descriptor: string): Promise<string[]> {
  const out: string[] = [];
  for (const std of await readdir(root, { withFileTypes: true })) {
    if (!std.isDirectory() || std.name.startsWith('_') || std.name.startsWith('.')) continue;
    for (const ver of await readdir(join(root, std.name), { withFileTypes: true })) {
      if (!ver.isDirectory()) continue;
      const folder = join(root, std.name, ver.name);
      if (
        await stat(join(folder, descriptor)).then(
          () => true,
          () => false,
        )
      )
        out.push(folder);
    }
  }
  return out.sort();
}

/** The genericode files of a descriptor's `codeLists` folder; a missing folder is the descriptor's error. */
async function codeListFiles(folder: string, rel: string): Promise<string[]> {
  const dir = join(folder, rel);
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) {
    const file = join(folder, 'standard.json');
    throw new AppError('XGW_CONFIG_INVALID', {
      detail: `${file}: field /codeLists: ${rel} is not a folder in ${folder}`,
      extensions: { file, field: '/codeLists' },
    });
  }
  return filesUnder(dir);
}

const XS = { xs: 'http://www.w3.org/2001/XMLSchema' };

/** Global element names of the XSD documents whose target namespace belongs to the standard. */
function globalElements(schemas: ReadonlyMap<string, Uint8Array>, namespaces: readonly string[]): string[] {
  const names: string[] = [];
  for (const bytes of schemas.values()) {
    const doc = XmlDocument.fromBuffer(bytes, { option: ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE });
    try {
      const tns = doc.root.attr('targetNamespace')?.value;
      if (tns === undefined || !namespaces.includes(tns)) continue;
      for (const n of doc.find('/xs:schema/xs:element', XS))
        if (n instanceof XmlElement) names.push(n.attr('name')?.value ?? '');
    } finally {
      doc.dispose();
    }
  }
  return names.filter((n) => n !== '');
}

/** Compiles the entry XSD once; every import and include is served from memory (schema-resources.ts). */
function compile(
  folder: string,
  d: StandardDescriptor,
  schemas: ReadonlyMap<string, Uint8Array>,
  base: string,
): XsdValidator {
  const entryUrl = base + d.entry;
  const entry = schemas.get(entryUrl);
  const file = join(folder, 'standard.json');
  if (entry === undefined)
    throw new AppError('XGW_CONFIG_INVALID', {
      detail: `${file}: field /entry: ${d.entry} not found`,
      extensions: { file, field: '/entry' },
    });
  const doc = XmlDocument.fromBuffer(entry, {
    url: entryUrl,
    option: ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE,
  });
  try {
    return XsdValidator.fromDoc(doc);
  } catch (cause) {
    const details =
      cause instanceof XmlLibError
        ? cause.details.map((x) => ({ message: x.message.trim(), line: x.line, column: x.col, path: x.file ?? '' }))
        : [];
    throw new AppError('XGW_CONFIG_INVALID', {
      detail: `${file}: field /entry: ${d.entry} does not compile: ${details[0]?.message ?? String(cause)}`,
      errors: details,
      extensions: { file, field: '/entry' },
      cause,
    });
  } finally {
    doc.dispose();
  }
}

/** Loads one standard folder; the returned unregister function frees its in-memory schema files. */
export async function loadStandard(
  folder: string,
  catalogId: string,
): Promise<{ standard: LoadedStandard; unregister: () => void }> {
  const d = await loadDescriptor(folder);
  const base = `${RESOURCE_SCHEME}${catalogId}/${d.standard}/${d.version}/`;
  const schemas = new Map<string, Uint8Array>();
  for (const f of await filesUnder(folder)) {
    if (f.endsWith('.xsd')) schemas.set(base + relative(folder, f).split(sep).join(posix.sep), await readFile(f));
  }
  const remote = new Map(Object.entries(d.resources ?? {}).map(([from, to]) => [from, base + to]));
  const unregister = registerResources(schemas, remote);
  try {
    const validator = compile(folder, d, schemas, base);
    const pattern = d.messageTypes.pattern === undefined ? undefined : new RegExp(d.messageTypes.pattern);
    const messageTypes = new Set([
      ...(d.messageTypes.names ?? []),
      ...(pattern === undefined ? [] : globalElements(schemas, d.namespaces).filter((n) => pattern.test(n))),
    ]);
    const codeLists: CodeList[] = [];
    if (d.codeLists !== undefined) {
      for (const f of (await codeListFiles(folder, d.codeLists)).filter((x) => x.endsWith('.xml')).sort())
        codeLists.push(await loadCodeList(f));
    }
    return {
      standard: {
        folder,
        descriptor: d,
        header: headerFieldsOf(d),
        validator,
        messageTypes,
        profiles: new Map(),
        codeLists,
      },
      unregister,
    };
  } catch (err) {
    unregister();
    throw err;
  }
}

/** Loads the profiles of every standard once all code lists are known (a profile may use another standard's list). */
export async function loadProfiles(
  standards: readonly LoadedStandard[],
  codeLists: readonly CodeList[],
): Promise<void> {
  const byUri = new Map(codeLists.map((c) => [c.listURI, new Set(c.entries.map((e) => e.code))]));
  for (const s of standards) {
    for (const [messageType, rel] of Object.entries(s.descriptor.profiles ?? {})) {
      if (!s.messageTypes.has(messageType)) {
        const file = join(s.folder, 'standard.json');
        throw new AppError('XGW_CONFIG_INVALID', {
          detail: `${file}: field /profiles/${messageType}: not a message type of ${s.descriptor.standard} ${s.descriptor.version}`,
          extensions: { file, field: `/profiles/${messageType}` },
        });
      }
      s.profiles.set(messageType, await loadProfile(join(s.folder, rel), messageType, byUri));
    }
  }
}

/** A fresh id per catalog so two catalogs in one process never share schema files. */
export function newCatalogId(): string {
  return randomUUID().slice(0, 8);
}
