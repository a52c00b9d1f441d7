import { DEFAULT_ENTITY_SCHEMA } from '../../../src/analysis/rules/entity-schema.js';
import { classifyByKeywords } from '../../../src/analysis/rules/keyword.classifier.js';
import { recogniseEntities } from '../../../src/analysis/rules/recognisers/index.js';
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
    expect(growthRatio((k) => recogniseEntities(make(k)), n)).toBeLessThan(BOUND);
    expect(growthRatio((k) => pseudonymise(make(k)), n)).toBeLessThan(BOUND);
    expect(growthRatio((k) => classifyByKeywords(LABELS, make(k), true), n)).toBeLessThan(BOUND);
    expect(growthRatio((k) => extract(make(k)), n)).toBeLessThan(BOUND);
  });
});
