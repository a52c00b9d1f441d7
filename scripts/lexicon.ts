/**
 * Derives the German lexicon's word list once (src/analysis/rules/german-lexicon.ts) and says where it
 * is: `npm test` runs it before the suites, so that parallel test processes read the list instead of
 * each deriving it. Usage: tsx scripts/lexicon.ts
 */
import { germanWordListFile } from '../src/analysis/rules/german-lexicon.js';
import { loadNameResources } from '../src/analysis/rules/name-resources.js';

const started = performance.now();
loadNameResources();
console.log(
  `name lists ready in ${Math.round(performance.now() - started)} ms: ${germanWordListFile() ?? '(built in memory)'}`,
);
