import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { textBetween } from '../../src/config/config-docs.js';
import { fromRoot } from '../../src/config/paths.js';
import { LAYER_TABLE_END, LAYER_TABLE_START, readLayers, renderLayerTable } from '../../scripts/layer-table.js';

/** Issue #12: the folders of src/ import downward only, without cycles, as the table says. */
describe('architecture', () => {
  it('has no import against the layer table, no cycle, and connectors see only their contract (dependency-cruiser)', () => {
    const run = spawnSync(
      process.execPath,
      [
        fromRoot('node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
        'src',
        'connectors',
        '--config',
        '.dependency-cruiser.cjs',
        '--output-type',
        'err',
      ],
      { cwd: fromRoot('.'), encoding: 'utf8' },
    );
    expect(run.stdout + run.stderr).toContain('no dependency violations found');
    expect(run.status).toBe(0);
  });

  it('shows the layer table of .dependency-cruiser.cjs in docs/architecture.md (run `npm run docs:config`)', () => {
    const doc = readFileSync(fromRoot('docs/architecture.md'), 'utf8');
    expect(textBetween(doc, LAYER_TABLE_START, LAYER_TABLE_END)).toBe(renderLayerTable(readLayers()));
  });
});
