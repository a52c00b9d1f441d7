import { recogniseAmounts } from '../../../src/analysis/rules/recognisers/amount.recogniser.js';
import { recogniseBescheidDates } from '../../../src/analysis/rules/recognisers/bescheid-date.recogniser.js';
import { recogniseEntities } from '../../../src/analysis/rules/recognisers/index.js';
import { recogniseKassenzeichen } from '../../../src/analysis/rules/recognisers/kassenzeichen.recogniser.js';
import { describeLinearity, LINEAR_BOUND as BOUND } from '../../support/linearity-cases.js';
import { growthRatio } from '../../support/linearity.js';

/**
 * Issue #11, row 5: every recogniser, the pseudonymiser and the keyword classifier take time linear
 * in their text (test/support/linearity-cases.ts). The hostile texts are run in two files, this one
 * and linearity-2.test.ts, so that jest's two workers share them.
 */
describeLinearity(0);

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
