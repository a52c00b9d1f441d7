import { readdir, readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Analyser } from '../../analysis/analysis.types.js';
import { RulesAnalyser } from '../../analysis/rules/rules.analyser.js';
import type { Config } from '../../config/config.js';
import { fromRoot } from '../../config/paths.js';
import { loadProviders } from '../../config/providers.js';
import { AppError } from '../../errors/app-error.js';
import { evalReport, regressions, renderMarkdown, type EvalReport } from '../../evaluation/eval-report.js';
import { runEval } from '../../evaluation/eval-run.js';
import { needsCodeLists, readEvalSet, resolveCodeLists } from '../../evaluation/eval-set.js';
import { loadCatalog } from '../../xoev/catalog.js';
import { catalogOptionsOf } from '../catalog-options.js';
import { providerAnalyser } from '../services.js';

export const EVAL_USAGE =
  'eval [SET.jsonl…] [--provider ID | --rules] [--json OUT] [--baseline FILE] [--tolerance 0.01]   score analyser and pseudonymiser on labelled sets';

/** The analyser to score: the rules, or one configured provider as the gateway runs it (pseudonymised if external). */
function analyserToScore(config: Config, providerId: string | undefined, rules: boolean): Analyser {
  const providers = loadProviders(config);
  if (rules || (providers.length === 0 && providerId === undefined)) return new RulesAnalyser();
  const p = providerId === undefined ? providers[0] : providers.find((x) => x.id === providerId);
  if (p === undefined)
    throw new AppError('XGW_CONFIG_INVALID', {
      detail: `no provider ${providerId ?? ''} configured; known: ${providers.map((x) => x.id).join(', ') || 'none'}`,
    });
  return providerAnalyser(p, config);
}

function isReport(value: unknown): value is EvalReport {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'sets') === 'object';
}

/**
 * `xoev-gw eval`: runs labelled sets through the analyser the configuration names (or the rules),
 * prints the scores as Markdown, writes them as JSON, and with `--baseline` exits 1 when a figure is
 * worse than the baseline's by more than `--tolerance`: the gate before a model or prompt swap.
 */
export async function evalCommand(
  args: string[],
  config: Config,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      provider: { type: 'string' },
      rules: { type: 'boolean', default: false },
      json: { type: 'string' },
      baseline: { type: 'string' },
      tolerance: { type: 'string', default: '0.01' },
      concurrency: { type: 'string', default: '4' },
    },
  });
  const tolerance = Number(values.tolerance);
  const concurrency = Number(values.concurrency);
  if (!(tolerance >= 0 && tolerance <= 1) || !(concurrency >= 1 && concurrency <= 64)) {
    err(`usage: xoev-gw ${EVAL_USAGE}`);
    return 2;
  }
  // No set named: the repo's own (eval/sets/*.jsonl), as the gate in npm test scores them.
  const files =
    positionals.length > 0
      ? positionals
      : (await readdir(fromRoot('eval/sets')))
          .filter((f) => f.endsWith('.jsonl'))
          .sort()
          .map((f) => fromRoot(`eval/sets/${f}`));
  const items = (await Promise.all(files.map(readEvalSet))).flat();
  if (needsCodeLists(items)) {
    // Items that name a code list are classified into the catalog's list, as a profile's task is.
    const catalog = await loadCatalog(fromRoot(config.xoevSchemasDir), catalogOptionsOf(config));
    try {
      resolveCodeLists(items, (uri) => catalog.codeList(uri)?.labels());
    } finally {
      catalog.close();
    }
  }
  const analyser = analyserToScore(config, values.provider, values.rules);
  let report: EvalReport;
  try {
    report = evalReport(await runEval(items, analyser, { concurrency }));
  } finally {
    await analyser.close?.();
  }
  out(renderMarkdown(report));
  if (values.json !== undefined) await writeFile(values.json, `${JSON.stringify(report, null, 2)}\n`);
  if (values.baseline === undefined) return 0;
  const baseline: unknown = JSON.parse(await readFile(values.baseline, 'utf8'));
  if (!isReport(baseline))
    throw new AppError('XGW_CONFIG_INVALID', { detail: `${values.baseline}: not a report of xoev-gw eval --json` });
  const worse = regressions(report, baseline, tolerance);
  if (worse.length === 0) {
    out(`No figure is worse than ${values.baseline} by more than ${tolerance}.`);
    return 0;
  }
  err(`${worse.length} figure(s) worse than ${values.baseline} by more than ${tolerance}:`);
  for (const w of worse) err(`  ${w}`);
  return 1;
}
