/**
 * Writes the configuration table into README.md between the config-table markers, from the one
 * settings table in src/config/config-schema.ts (`npm run docs:config`). A test checks they agree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { renderConfigTable, replaceConfigTable } from '../src/config/config-docs.js';
import { fromRoot } from '../src/config/paths.js';

const file = fromRoot('README.md');
writeFileSync(file, replaceConfigTable(readFileSync(file, 'utf8'), renderConfigTable()));
console.log('README.md configuration table updated');
