import { xmlRegisterInputProvider, type XmlInputProvider } from 'libxml2-wasm';

/**
 * Every file libxml2 may read while compiling a schema comes from memory, registered here by the
 * catalog. libxml2's input callbacks are process-global, so there is one provider for the process;
 * each catalog registers its files under its own `xgw-catalog://<id>/` prefix, so catalogs never
 * see each other's files. Anything else (http:, file:, plain paths) is matched and refused, so a
 * schema can neither reach the network nor the file system, whatever its schemaLocation says.
 */
export const RESOURCE_SCHEME = 'xgw-catalog://';

const files = new Map<string, Uint8Array>();
/** Remote locations (e.g. `http://www.w3.org/2001/xml.xsd`) mapped to a registered URL. */
const aliases = new Map<string, string>();
const open = new Map<number, { data: Uint8Array; pos: number }>();
let nextFd = 1;
let registered = false;

const provider: XmlInputProvider = {
  // Claim every name: what we do not hold is refused in open(), never left to a default loader.
  match: () => true,
  open: (filename) => {
    const data = files.get(filename) ?? files.get(aliases.get(filename) ?? '');
    if (data === undefined) return undefined;
    const fd = nextFd++;
    open.set(fd, { data, pos: 0 });
    return fd;
  },
  read: (fd, buf) => {
    const file = open.get(fd);
    if (file === undefined) return -1;
    const n = Math.min(buf.byteLength, file.data.byteLength - file.pos);
    buf.set(file.data.subarray(file.pos, file.pos + n));
    file.pos += n;
    return n;
  },
  close: (fd) => open.delete(fd),
};

function ensureRegistered(): void {
  if (registered) return;
  registered = xmlRegisterInputProvider(provider);
  if (!registered) throw new Error('libxml2 input provider table is full');
}

/** Registers files (by full `xgw-catalog://…` URL) and remote aliases; returns an unregister function. */
export function registerResources(
  entries: ReadonlyMap<string, Uint8Array>,
  remote: ReadonlyMap<string, string>,
): () => void {
  ensureRegistered();
  for (const [url, data] of entries) files.set(url, data);
  for (const [from, to] of remote) aliases.set(from, to);
  return () => {
    for (const url of entries.keys()) files.delete(url);
    for (const [from, to] of remote) if (aliases.get(from) === to) aliases.delete(from);
  };
}
