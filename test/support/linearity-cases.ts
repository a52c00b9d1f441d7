import { DEFAULT_ENTITY_SCHEMA } from '../../src/analysis/rules/entity-schema.js';
import { classifyByKeywords } from '../../src/analysis/rules/keyword.classifier.js';
import { RulesAnalyser } from '../../src/analysis/rules/rules.analyser.js';
import { pseudonymise } from '../../src/analysis/pseudonymise/pseudonymise.js';
import { HOSTILE_TEXTS } from './hostile-texts.js';
import { growthRatio } from './linearity.js';

/**
 * Each hostile text is run at about 25 KB and at 8× that (200 KB, the default PART_MAX_CHARS); a
 * linear algorithm takes about 8× the CPU time, a quadratic one about 64×. The bound, 4 × 8, leaves
 * room for garbage collection and none for quadratic growth (the code before issue #11 measured 33–69
 * here, in wall-clock time on an idle machine).
 */
export const LINEAR_BOUND = 4 * 8;
/** Three runs per size, the cheapest counts: the bound leaves 4× room. */
const REPEATS = 3;
const LABELS = Array.from({ length: 200 }, (_, i) => ({
  code: `L${i}`,
  name: `Verfahrensart${i}`,
  keywords: [`widerspruch${i}`, `antragstellung${i}`, 'beschwerde'],
}));

/**
 * One half of the hostile texts (0: even places, 1: odd), so that two test files share the work.
 * The pseudonymiser runs every recogniser and then the safety net, so it stands for the recognisers
 * too: a quadratic recogniser makes it quadratic (measuring them apart as well took a third more time).
 */
export function describeLinearity(half: 0 | 1): void {
  describe(`linear in the text (hostile texts, part ${half + 1} of 2)`, () => {
    const analyser = new RulesAnalyser();
    const extract = (text: string): void => {
      void analyser.analyse({ partId: 'p1', text, task: { kind: 'extract', schema: DEFAULT_ENTITY_SCHEMA } });
    };
    const cases = Object.entries(HOSTILE_TEXTS).filter((_, i) => i % 2 === half);
    it.each(cases)('%s', (_name, make) => {
      const n = Math.max(1, Math.floor(25_000 / make(1).length));
      expect(growthRatio((k) => pseudonymise(make(k)), n, REPEATS)).toBeLessThan(LINEAR_BOUND);
      expect(growthRatio((k) => classifyByKeywords(LABELS, make(k), true), n, REPEATS)).toBeLessThan(LINEAR_BOUND);
      expect(growthRatio((k) => extract(make(k)), n, REPEATS)).toBeLessThan(LINEAR_BOUND);
    });
  });
}
