/**
 * Writes what the docs show of tables kept in code (`npm run docs:config`): the configuration
 * table into README.md, from the settings table (src/config/config-schema.ts), and the job state
 * diagram into docs/architecture.md, from the state table (src/jobs/job-moves.ts). Tests check
 * that they agree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { renderConfigTable, replaceBetween, replaceConfigTable } from '../src/config/config-docs.js';
import { fromRoot } from '../src/config/paths.js';
import { STATE_DIAGRAM_END, STATE_DIAGRAM_START, stateDiagram } from '../src/jobs/job-moves.js';

const readme = fromRoot('README.md');
writeFileSync(readme, replaceConfigTable(readFileSync(readme, 'utf8'), renderConfigTable()));
const architecture = fromRoot('docs/architecture.md');
writeFileSync(architecture, replaceBetween(readFileSync(architecture, 'utf8'), STATE_DIAGRAM_START, STATE_DIAGRAM_END, `\`\`\`mermaid\n${stateDiagram()}\n\`\`\``));
console.log('README.md configuration table and docs/architecture.md state diagram updated');
