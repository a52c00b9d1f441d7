/**
 * Writes what the docs show of tables kept in code (`npm run docs:config`): the configuration
 * table into README.md, from the settings table (src/config/config-schema.ts); into
 * docs/architecture.md the job state diagram, from the state table (src/jobs/job-moves.ts), and the
 * layer table, from `.dependency-cruiser.cjs`; docs/standard.schema.json, from the descriptor schema
 * (src/xoev/standard-descriptor.ts). Tests check that they agree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { renderConfigTable, renderEnvExample, replaceBetween, replaceConfigTable } from '../src/config/config-docs.js';
import { fromRoot } from '../src/config/paths.js';
import { STATE_DIAGRAM_END, STATE_DIAGRAM_START, stateDiagram } from '../src/jobs/job-moves.js';
import { descriptorJsonSchema } from '../src/xoev/standard-descriptor.js';
import { LAYER_TABLE_END, LAYER_TABLE_START, readLayers, renderLayerTable } from './layer-table.js';

const readme = fromRoot('README.md');
writeFileSync(readme, replaceConfigTable(readFileSync(readme, 'utf8'), renderConfigTable()));
writeFileSync(fromRoot('.env.example'), renderEnvExample());
const architecture = fromRoot('docs/architecture.md');
const withDiagram = replaceBetween(
  readFileSync(architecture, 'utf8'),
  STATE_DIAGRAM_START,
  STATE_DIAGRAM_END,
  `\`\`\`mermaid\n${stateDiagram()}\n\`\`\``,
);
writeFileSync(
  architecture,
  replaceBetween(withDiagram, LAYER_TABLE_START, LAYER_TABLE_END, renderLayerTable(readLayers())),
);
writeFileSync(fromRoot('docs/standard.schema.json'), `${JSON.stringify(descriptorJsonSchema(), null, 2)}\n`);
console.log(
  'README.md configuration table, .env.example, docs/architecture.md state diagram and layer table, docs/standard.schema.json updated',
);
