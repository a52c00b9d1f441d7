import { svNummerCheckDigit } from '../../../src/analysis/rules/check-digits.js';
import { recogniseSvNummern } from '../../../src/analysis/rules/recognisers/sozialversicherungsnummer.recogniser.js';

describe('recogniseSvNummern', () => {
  it('finds Versicherungsnummern with a valid check digit, grouped or compact', () => {
    const text = 'Rentenversicherungsnummer 15 070649 C 103, Sozialversicherungsnummer des Ehegatten: 65170839J003.';
    expect(recogniseSvNummern(text).map((m) => [m.quote, m.value])).toEqual([
      ['15 070649 C 103', '15070649C103'],
      ['65170839J003', '65170839J003'],
    ]);
  });

  it('computes the check digit as the Deutsche Rentenversicherung does', () => {
    expect(svNummerCheckDigit('15', '070649', 'C', '10')).toBe(3);
  });

  it('rejects a wrong check digit and an impossible birth date part', () => {
    expect(recogniseSvNummern('Versicherungsnummer 15 070649 C 104')).toEqual([]);
    expect(recogniseSvNummern('Versicherungsnummer 15 311349 C 103')).toEqual([]);
  });
});
