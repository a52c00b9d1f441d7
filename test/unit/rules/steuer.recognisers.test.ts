import { isValidSteuerId } from '../../../src/analysis/rules/check-digits.js';
import { recogniseSteuerIds } from '../../../src/analysis/rules/recognisers/steuer-id.recogniser.js';
import { recogniseSteuernummern } from '../../../src/analysis/rules/recognisers/steuernummer.recogniser.js';

describe('recogniseSteuerIds', () => {
  it('finds valid Steuer-IDs, grouped or compact', () => {
    const text = 'Steuerliche Identifikationsnummer: 86 095 742 719; Ehegatte IdNr. 47036892816.';
    expect(recogniseSteuerIds(text).map((m) => [m.quote, m.value, m.confidence])).toEqual([
      ['86 095 742 719', '86095742719', 0.97],
      ['47036892816', '47036892816', 0.97],
    ]);
  });

  it('rejects a wrong check digit and numbers without the required repeated digit', () => {
    expect(recogniseSteuerIds('Steuer-ID 86095742718')).toEqual([]);
    // 12345678903 has the right ISO 7064 check digit but no digit repeats in the first ten.
    expect(isValidSteuerId('12345678903')).toBe(false);
    expect(recogniseSteuerIds('Steuer-ID 12345678903')).toEqual([]);
  });

  it('scores an unannounced 11-digit number lower', () => {
    const [m] = recogniseSteuerIds('Vorgangsnummer 65929970489 wurde vergeben.');
    expect(m?.confidence).toBeLessThan(0.9);
  });
});

describe('recogniseSteuernummern', () => {
  it('finds Länder and federal formats after the marker', () => {
    const text = 'Steuernummer: 21/815/08150, St.-Nr. 181/815/08155, StNr 2181508150';
    // Ten digits without slashes is how Länder print the same number (`2181508150`), since issue #14.
    expect(recogniseSteuernummern(text).map((m) => m.value)).toEqual(['21/815/08150', '181/815/08155', '2181508150']);
    expect(recogniseSteuernummern('Steuernummer 1121081508150').map((m) => m.value)).toEqual(['1121081508150']);
  });

  it('does not take a slash number without the marker', () => {
    expect(recogniseSteuernummern('Vorgang 21/815/08150 wurde abgeschlossen.')).toEqual([]);
  });
});
