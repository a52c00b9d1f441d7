import { isValidIbanChecksum } from '../../../src/analysis/rules/check-digits.js';
import { recogniseIbans } from '../../../src/analysis/rules/recognisers/iban.recogniser.js';

describe('recogniseIbans', () => {
  it('finds German IBANs with and without blanks and stops before a following BIC', () => {
    const text =
      'Bitte überweisen Sie die Gebühr auf IBAN DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX ' +
      'oder auf DE02120300000000202051.';
    const found = recogniseIbans(text);
    expect(found.map((m) => [m.quote, m.value])).toEqual([
      ['DE89 3704 0044 0532 0130 00', 'DE89370400440532013000'],
      ['DE02120300000000202051', 'DE02120300000000202051'],
    ]);
  });

  it('finds IBANs of other countries', () => {
    const text =
      'Konten: AT61 1904 3002 3457 3201, CH93 0076 2011 6238 5295 7, NL91ABNA0417164300, GB82 WEST 1234 5698 7654 32.';
    expect(recogniseIbans(text).map((m) => m.value)).toEqual([
      'AT611904300234573201',
      'CH9300762011623852957',
      'NL91ABNA0417164300',
      'GB82WEST12345698765432',
    ]);
  });

  it('rejects an IBAN whose mod-97 checksum fails', () => {
    expect(recogniseIbans('Erstattung auf DE89 3704 0044 0532 0130 01 erbeten.')).toEqual([]);
    expect(isValidIbanChecksum('DE89370400440532013001')).toBe(false);
  });

  it('rejects IBANs of the wrong length for their country', () => {
    expect(recogniseIbans('IBAN DE89 3704 0044 0532 0130 0 (unvollständig)')).toEqual([]);
  });
});
