import { readFileSync } from 'node:fs';
import { CONFIG_TABLE_END, CONFIG_TABLE_START, renderConfigTable } from '../../src/config/config-docs.js';
import { fromRoot } from '../../src/config/paths.js';

describe('README configuration table', () => {
  it('is the one rendered from the settings table (run `npm run docs:config`)', () => {
    const readme = readFileSync(fromRoot('README.md'), 'utf8');
    const start = readme.indexOf(CONFIG_TABLE_START) + CONFIG_TABLE_START.length;
    const end = readme.indexOf(CONFIG_TABLE_END);
    expect(readme.slice(start, end).trim()).toBe(renderConfigTable());
  });
});
