import { readFile } from 'node:fs/promises';
import type { Config } from '../../config/config.js';
import { fromRoot } from '../../config/paths.js';
import { isAppError } from '../../errors/app-error.js';
import { loadCatalog } from '../../xoev/catalog.js';
import { catalogOptionsOf } from '../catalog-options.js';

/**
 * `xoev-gw validate FILE…`: offline parse, detect and validate with the catalog and the limits the
 * API uses (the same configuration), so a file gets the verdict `POST /v1/messages` gives it; one
 * line per file, violations below. Returns the exit code.
 */
export async function validateCommand(
  files: readonly string[],
  config: Config,
  out: (line: string) => void,
  schemas = config.xoevSchemasDir,
): Promise<number> {
  const catalog = await loadCatalog(fromRoot(schemas), catalogOptionsOf(config));
  let failed = 0;
  try {
    for (const file of files) {
      try {
        const m = catalog.check(await readFile(file));
        out(`${file}: OK ${m.standard} ${m.version} ${m.messageType} ${m.messageId}`);
      } catch (err) {
        failed++;
        if (!isAppError(err)) {
          out(`${file}: error ${err instanceof Error ? err.message : String(err)}`);
          continue;
        }
        out(`${file}: invalid ${err.code} ${err.detail ?? ''}`.trimEnd());
        for (const e of err.errors) out(`  ${e.line ?? '?'}:${e.column ?? '?'} ${e.message}`);
      }
    }
  } finally {
    catalog.close();
  }
  return failed === 0 ? 0 : 1;
}
