import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes a connectors file (CONNECTORS_FILE) to a fresh temp folder and returns its path. */
export function writeConnectorsFile(value: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'xgw-connectors-')), 'connectors.json');
  writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}
