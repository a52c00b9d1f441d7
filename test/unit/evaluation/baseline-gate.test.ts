import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RulesAnalyser } from '../../../src/analysis/rules/rules.analyser.js';
import { fromRoot } from '../../../src/config/paths.js';
import { type EvalReport, evalReport, regressions } from '../../../src/evaluation/eval-report.js';
import { runEval } from '../../../src/evaluation/eval-run.js';
import { needsCodeLists, readEvalSet, resolveCodeLists } from '../../../src/evaluation/eval-set.js';
import { loadCatalog } from '../../../src/xoev/catalog.js';

/**
 * The quality gate (issue #14): the rules analyser and the pseudonymiser, scored on the repo's
 * labelled sets, may not get worse than `eval/baseline.rules.json` on any figure (precision,
 * recall, F1, exact match per kind, leak rate per kind, grounding). After an improvement, write the
 * new baseline: `npm run eval -- --json eval/baseline.rules.json`.
 */
it('the rules analyser scores no worse than the saved baseline on every figure of every set', async () => {
  const dir = fromRoot('eval/sets');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => join(dir, f));
  const items = (await Promise.all(files.map(readEvalSet))).flat();
  if (needsCodeLists(items)) {
    const catalog = await loadCatalog(fromRoot('xoev-schemas'));
    try {
      resolveCodeLists(items, (uri) => catalog.codeList(uri)?.labels());
    } finally {
      catalog.close();
    }
  }
  const report = evalReport(await runEval(items, new RulesAnalyser(), { concurrency: 4 }));
  const baseline = JSON.parse(readFileSync(fromRoot('eval/baseline.rules.json'), 'utf8')) as EvalReport;
  expect(Object.keys(report.sets)).toEqual(Object.keys(baseline.sets));
  expect(regressions(report, baseline, 0)).toEqual([]);
});
