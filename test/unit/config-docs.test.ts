import { readFileSync } from 'node:fs';
import {
  CONFIG_TABLE_END,
  CONFIG_TABLE_START,
  renderConfigTable,
  renderEnvExample,
} from '../../src/config/config-docs.js';
import { SETTINGS } from '../../src/config/config-schema.js';
import { loadConfig } from '../../src/config/config.js';
import { fromRoot } from '../../src/config/paths.js';

describe('README configuration table', () => {
  it('is the one rendered from the settings table (run `npm run docs:config`)', () => {
    const readme = readFileSync(fromRoot('README.md'), 'utf8');
    const start = readme.indexOf(CONFIG_TABLE_START) + CONFIG_TABLE_START.length;
    const end = readme.indexOf(CONFIG_TABLE_END);
    expect(readme.slice(start, end).trim()).toBe(renderConfigTable());
  });

  it('.env.example lists every setting and is the rendered one (run `npm run docs:config`)', () => {
    const example = readFileSync(fromRoot('.env.example'), 'utf8');
    expect(example).toBe(renderEnvExample());
    for (const s of Object.values(SETTINGS)) expect(example).toContain(`# ${s.env}=`);
  });

  it('.env.example, uncommented, is a configuration the gateway accepts and equal to the defaults', () => {
    const env = Object.fromEntries(
      readFileSync(fromRoot('.env.example'), 'utf8')
        .split('\n')
        .filter((l) => /^# [A-Z_]+=\S*$/.test(l))
        .map((l) => l.slice(2).split('=', 2) as [string, string]),
    );
    expect(loadConfig(env)).toEqual(loadConfig({}));
  });
});
