import { DEFAULT_ENTITY_SCHEMA } from '../../../src/analysis/rules/entity-schema.js';
import { classifyByKeywords } from '../../../src/analysis/rules/keyword.classifier.js';
import { recogniseAmounts } from '../../../src/analysis/rules/recognisers/amount.recogniser.js';
import { recogniseBescheidDates } from '../../../src/analysis/rules/recognisers/bescheid-date.recogniser.js';
import { recogniseEntities } from '../../../src/analysis/rules/recognisers/index.js';
import { recogniseKassenzeichen } from '../../../src/analysis/rules/recognisers/kassenzeichen.recogniser.js';
import { RulesAnalyser } from '../../../src/analysis/rules/rules.analyser.js';
import { pseudonymise } from '../../../src/analysis/pseudonymise/pseudonymise.js';
import { HOSTILE_TEXTS } from '../../support/hostile-texts.js';
import { growthRatio } from '../../support/linearity.js';

/**
 * Issue #11, row 5: every recogniser, the pseudonymiser and the keyword classifier take time linear
 * in their text. Each hostile text is run at about 25 KB and at 8× that (200 KB, the default
 * PART_MAX_CHARS); a linear algorithm takes about 8× the CPU time, a quadratic one about 64×. The bound,
 * 4 × 8, leaves room for garbage collection and none for quadratic growth (the code before this issue
 * measured 33–69 here, in wall-clock time on an idle machine).
 */
const BOUND = 4 * 8;
const REPEATS = 3;
const LABELS = Array.from({ length: 200 }, (_, i) => ({
  code: `L${i}`,
  name: `Verfahrensart${i}`,
  keywords: [`widerspruch${i}`, `antragstellung${i}`, 'beschwerde'],
}));

describe('linear in the text', () => {
  const analyser = new RulesAnalyser();
  const extract = (text: string): void => {
    void analyser.analyse({ partId: 'p1', text, task: { kind: 'extract', schema: DEFAULT_ENTITY_SCHEMA } });
  };
  it.each(Object.entries(HOSTILE_TEXTS))('%s', (_name, make) => {
    const n = Math.max(1, Math.floor(25_000 / make(1).length));
    // Three runs per size (the cheapest counts): the bound leaves 4× room, and five runs of every
    // hostile text at 200 KB made this file a quarter of `npm test`'s time on two cores.
    expect(growthRatio((k) => recogniseEntities(make(k)), n, REPEATS)).toBeLessThan(BOUND);
    expect(growthRatio((k) => pseudonymise(make(k)), n, REPEATS)).toBeLessThan(BOUND);
    expect(growthRatio((k) => classifyByKeywords(LABELS, make(k), true), n, REPEATS)).toBeLessThan(BOUND);
    expect(growthRatio((k) => extract(make(k)), n, REPEATS)).toBeLessThan(BOUND);
  });
});

/**
 * The Posteingang kinds: runs of digits and of the words their recognisers look for, labels glued to
 * their own values (each read would otherwise run to the end of the text), and dates behind
 * `Bescheid`, each of which looks back a bounded distance.
 */
const POSTEINGANG_TEXTS: Readonly<Record<string, (n: number) => string>> = {
  digitRun: (n) => '1'.repeat(n * 40),
  bescheidRun: (n) => 'Bescheid '.repeat(n * 4),
  bescheidDates: (n) =>
    'Bescheid (Az. 12) vom 1.1.2026 bescheidene Bescheides datiert 2.2.2026 bis 3.3.2026 '.repeat(n),
  kassenzeichenGlued: (n) => 'kz1-'.repeat(n * 8),
  kassenzeichenSpaced: (n) => `Kassenzeichen ${'1 '.repeat(n * 16)}`,
  kassenzeichenLabels: (n) => 'KZ: Kassenz. Personenkonto Nr. laut Bescheid 12 '.repeat(n),
  amounts: (n) => '1.234,56 € EUR 89,00 250,- € 12.50 Euro '.repeat(n),
  amountNearMiss: (n) => `${'1.234'.repeat(n * 6)} ${'€ '.repeat(n * 8)}`,
};

describe('linear in the text: Posteingang kinds', () => {
  it.each(Object.entries(POSTEINGANG_TEXTS))('%s', (_name, make) => {
    const n = Math.max(1, Math.floor(25_000 / make(1).length));
    // Two rounds: these scans are fast, and one round under a loaded CI run read 34–50 once.
    expect(growthRatio((k) => recogniseKassenzeichen(make(k)), n, 5, 2)).toBeLessThan(BOUND);
    expect(growthRatio((k) => recogniseAmounts(make(k)), n, 5, 2)).toBeLessThan(BOUND);
    expect(growthRatio((k) => recogniseBescheidDates(make(k)), n, 5, 2)).toBeLessThan(BOUND);
    expect(growthRatio((k) => recogniseEntities(make(k)), n)).toBeLessThan(BOUND);
  });
});
