import { recogniseEntities, recogniseKind } from '../../../src/analysis/rules/recognisers/index.js';
import { ocrDigitView } from '../../../src/analysis/rules/ocr-digits.js';

const AKTENVERMERK =
  'Aktenvermerk\nAz.: 63-2024-00123\n' +
  'Herr Max Mustermann, geb. am 01.02.1980, Musterstraße 12a, 12345 Musterstadt, rief am 12.03.2024 an ' +
  '(Tel. 0171/1234567) und bat um Erstattung auf DE89 3704 0044 0532 0130 00.';

describe('recogniseEntities', () => {
  it('returns non-overlapping entities of all kinds in text order', () => {
    const found = recogniseEntities(AKTENVERMERK);
    expect(found.map((m) => m.kind)).toEqual([
      'aktenzeichen',
      'person-name',
      'birth-date',
      'address',
      'date',
      'phone',
      'iban',
    ]);
    for (let i = 1; i < found.length; i++) expect(found[i]?.start).toBeGreaterThanOrEqual(found[i - 1]?.end ?? 0);
  });

  it('filters by kind', () => {
    expect(recogniseEntities(AKTENVERMERK, ['iban', 'phone']).map((m) => m.kind)).toEqual(['phone', 'iban']);
  });
});

describe('recogniseKind', () => {
  it('drops matches a stronger kind claims but keeps dates that are birth dates', () => {
    const text = 'Geschäftszeichen: 0815-2024/123, geb. am 01.02.1980';
    expect(recogniseKind(text, 'phone')).toEqual([]);
    expect(recogniseKind(text, 'date').map((m) => m.value)).toEqual(['1980-02-01']);
    expect(recogniseKind(text, 'birth-date').map((m) => m.value)).toEqual(['1980-02-01']);
  });
});

describe('numbers read by OCR (`O` for 0, `l` for 1)', () => {
  it('are recognised with the digits as values and the scanned text as quotes', () => {
    const found = recogniseEntities('Termin am 2O.O1.2O26, Tel. O531 / 2 41 9O-0, geb. O8.11.1962');
    expect(found.map((m) => [m.kind, m.quote, m.value])).toEqual([
      ['date', '2O.O1.2O26', '2026-01-20'],
      ['phone', 'O531 / 2 41 9O-0', '+49531241900'],
      ['birth-date', 'O8.11.1962', '1962-11-08'],
    ]);
  });

  it('leave roman numerals, words and the letter of a Sozialversicherungsnummer alone', () => {
    expect(ocrDigitView('akte I/3-1187/26, O2-Vertrag, Olaf 12, SV-NUMMER: 42251169O714')).toBe(
      'akte I/3-1187/26, O2-Vertrag, Olaf 12, SV-NUMMER: 42251169O714',
    );
  });
});
