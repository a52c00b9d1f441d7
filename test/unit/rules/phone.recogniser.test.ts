import { recognisePhones } from '../../../src/analysis/rules/recognisers/phone.recogniser.js';

describe('recognisePhones', () => {
  it('finds German formats and normalises them to E.164', () => {
    const text =
      'Tel.: (030) 123 45-67\nMobil 0171/1234567\nZentrale +49 30 901820\n' +
      'aus dem Ausland +49 (0)221 2210, Fax 0 30 1234567';
    expect(recognisePhones(text).map((m) => [m.quote, m.value])).toEqual([
      ['(030) 123 45-67', '+49301234567'],
      ['0171/1234567', '+491711234567'],
      ['+49 30 901820', '+4930901820'],
      ['+49 (0)221 2210', '+492212210'],
      ['0 30 1234567', '+49301234567'],
    ]);
  });

  it('scores announced numbers higher', () => {
    const [announced, bare] = recognisePhones('Telefon: 030 1234567; Vorgang 0221 7654321');
    expect(announced?.confidence).toBeGreaterThan(bare?.confidence ?? 1);
  });

  it('does not take postcodes, dates or short reference numbers for phone numbers', () => {
    const text = 'Rathausplatz 1, 01067 Dresden. Eingang am 01.02.2024, Vorgang 0815/24, Zimmer 0.12.';
    expect(recognisePhones(text)).toEqual([]);
  });

  it('does not read the tail of a longer number (an invalid IBAN) as a phone number', () => {
    expect(recognisePhones('IBAN DE89 3704 0044 0532 0130 01')).toEqual([]);
  });
});
