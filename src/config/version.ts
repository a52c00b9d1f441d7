import { readFileSync } from 'node:fs';
import { fromRoot } from './paths.js';

/** The gateway's version (package.json), read once: replies name the product that built them. */
export const GATEWAY_VERSION: string = (() => {
  const value: unknown = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8'));
  const version = typeof value === 'object' && value !== null ? Reflect.get(value, 'version') : undefined;
  return typeof version === 'string' ? version : '0.0.0';
})();
