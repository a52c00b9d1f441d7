import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The folder holding package.json, openapi/ and xoev-schemas/. Found by walking up from this
 * file, so it is the same whether the code runs from src/ (tsx, jest) or from dist/ (npm start).
 */
export function projectRoot(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'openapi'))) {
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`project root not found (no package.json with openapi/ above ${fileURLToPath(import.meta.url)})`);
    dir = parent;
  }
  cached = dir;
  return dir;
}

/** Resolves a configured path: absolute stays, relative is taken from the project root. */
export function fromRoot(path: string): string {
  return resolve(projectRoot(), path);
}
