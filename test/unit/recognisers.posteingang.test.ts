import { pseudonymise } from '../../src/analysis/pseudonymise/pseudonymise.js';
import { entityKindForProperty } from '../../src/analysis/rules/entity-schema.js';
import type { EntityMatch } from '../../src/analysis/rules/entity-match.js';
import { recogniseAmounts } from '../../src/analysis/rules/recognisers/amount.recogniser.js';
import { recogniseBescheidDates } from '../../src/analysis/rules/recognisers/bescheid-date.recogniser.js';
import { recogniseEntities, recogniseKind } from '../../src/analysis/rules/recognisers/index.js';
import { recogniseKassenzeichen } from '../../src/analysis/rules/recognisers/kassenzeichen.recogniser.js';

const pairs = (found: EntityMatch[]): [string, string][] => found.map((m) => [m.quote, m.value]);

function expectExactQuotes(text: string, found: EntityMatch[]): void {
  for (const m of found) expect(text.slice(m.start, m.end)).toBe(m.quote);
}

describe('recogniseKassenzeichen', () => {
  it.each([
    ['Kassenzeichen 6.0301.204718.3', '6.0301.204718.3', '6.0301.204718.3'],
    ['Kassenz.: 540.123.456', '540.123.456', '540.123.456'],
    ['KZ 2026-0044-17', '2026-0044-17', '2026-0044-17'],
    ['Kassenzeichen: 12 345 678 9', '12 345 678 9', '123456789'],
    ['kassenzeichen lautet 1200.4511.2026, danke', '1200.4511.2026', '1200.4511.2026'],
    ['Kassenzeichen-Nr.: A-12345/26', 'A-12345/26', 'A-12345/26'],
    ['Buchungszeichen 4711-0815-22', '4711-0815-22', '4711-0815-22'],
    ['Personenkonto Nr. 123456', '123456', '123456'],
    ['DEBITORENNUMMER: 99887766', '99887766', '99887766'],
    ['Kassenzeichen laut Gebührenbescheid: 5.0123.456789.3', '5.0123.456789.3', '5.0123.456789.3'],
  ])('%s', (text, quote, value) => {
    const found = recogniseKassenzeichen(text);
    expect(pairs(found)).toEqual([[quote, value]]);
    expect(found[0]?.confidence).toBeCloseTo(0.9);
    expectExactQuotes(text, found);
  });

  it('stops at the end of the token: no trailing punctuation, no words, no date after it', () => {
    const text = '(Kassenzeichen 6100.2026.04418). Kassenzeichen: 40.01.118724.5. KZ 4711 vom 12.03.2026';
    expect(recogniseKassenzeichen(text).map((m) => m.quote)).toEqual(['6100.2026.04418', '40.01.118724.5', '4711']);
  });

  it('needs a label word and a number with digits behind it', () => {
    expect(recogniseKassenzeichen('Bitte zahlen Sie unter 6.0301.204718.3 ein.')).toEqual([]);
    expect(recogniseKassenzeichen('Das Kassenzeichen ist falsch, KZ Dachau, Kassenzeichen 12.')).toEqual([]);
    // A label glued into a longer word is no label.
    expect(recogniseKassenzeichen('PKZ 123456 und Kassenzeichenliste 123456')).toEqual([]);
  });
});

describe('recogniseAmounts', () => {
  it.each([
    ['1.234,56 €', '1234.56'],
    ['EUR 89,00', '89.00'],
    ['89 Euro', '89.00'],
    ['€ 12.50', '12.50'],
    ['1.200 EUR', '1200.00'],
    ['250,- €', '250.00'],
    ['12,5€', '12.50'],
    ['0,50 eur', '0.50'],
    ['1.250.000 Euro', '1250000.00'],
  ])('%s', (text, value) => {
    const found = recogniseAmounts(`Betrag: ${text}.`);
    expect(pairs(found)).toEqual([[text, value]]);
    expect(found[0]?.confidence).toBeCloseTo(0.9);
  });

  it('needs a currency marker next to the number', () => {
    expect(recogniseAmounts('Es geht um 1.234,56 und 89,00 und 1.200 Stück, Europa 2026, Euro2026.')).toEqual([]);
  });

  it('does not read the tail of a date or a longer number as an amount', () => {
    expect(recogniseAmounts('am 12.03.2024 EUR, Version 1.2.50 €')).toEqual([]);
  });

  it('reports each amount once when currency markers stand on both sides', () => {
    expect(pairs(recogniseAmounts('EUR 1.234,56 € und 89 € 12 Stück'))).toEqual([
      ['1.234,56 €', '1234.56'],
      ['89 €', '89.00'],
    ]);
  });
});

describe('recogniseBescheidDates', () => {
  it.each([
    ['Bescheid vom 12.11.2026', '12.11.2026', '2026-11-12'],
    ['gegen die Ordnungsverfügung vom 02.11.2026 erhebe ich', '02.11.2026', '2026-11-02'],
    ['gegen die Gebührenfestsetzung vom 3.3.2026', '3.3.2026', '2026-03-03'],
    ['Ihren Wohngeldbescheid vom 3.2.26 habe ich erhalten.', '3.2.26', '2026-02-03'],
    ['gegen den Grundsteuerbescheid vom 20. November 2026', '20. November 2026', '2026-11-20'],
    ['Bescheid (Az. X) vom 1.10.2026', '1.10.2026', '2026-10-01'],
    ['Ihr Schreiben/Bescheid datiert auf den 5.5.2026', '5.5.2026', '2026-05-05'],
    ['mit Bescheid vom 01.02.2026', '01.02.2026', '2026-02-01'],
    ['Gebührenbescheid, datiert 4.9.2026', '4.9.2026', '2026-09-04'],
    ['Änderung des Abgabenbescheides vom 2.3.2026', '2.3.2026', '2026-03-02'],
    ['Bescheid des Landratsamts Musterkreis (Az. 63-2026/17) vom 12.1.2026', '12.1.2026', '2026-01-12'],
    ['BESCHEID VOM 1.1.2026', '1.1.2026', '2026-01-01'],
    ['Bescheid: 12.11.2026', '12.11.2026', '2026-11-12'],
  ])('%s', (text, quote, value) => {
    const found = recogniseBescheidDates(text);
    expect(pairs(found)).toEqual([[quote, value]]);
    expectExactQuotes(text, found);
  });

  it('scores a two-digit year lower, as the date recogniser does', () => {
    expect(recogniseBescheidDates('Bescheid vom 12.11.2026')[0]?.confidence).toBeCloseTo(0.85);
    expect(recogniseBescheidDates('Bescheid vom 12.11.26')[0]?.confidence).toBeLessThan(0.85);
  });

  it('reads no date without a year, as the date recogniser does not', () => {
    expect(recogniseBescheidDates('Bußgeldbescheid vom 2. Okt. wegen Falschparkens')).toEqual([]);
  });

  it('takes only dates tied to a Bescheid', () => {
    expect(recogniseBescheidDates('Ihr Schreiben vom 12.11.2026 und mein Antrag vom 1.10.2026')).toEqual([]);
    expect(recogniseBescheidDates('Bescheid über Leistungen ab 1.10.2026')).toEqual([]);
    // The date belongs to another document or period named between word and date.
    expect(recogniseBescheidDates('Bescheid zu meinem Antrag vom 3.2.2026')).toEqual([]);
    expect(recogniseBescheidDates('Bewilligungsbescheid für den Zeitraum vom 01.01.2026 bis 30.06.2026')).toEqual([]);
    expect(recogniseBescheidDates('Bescheid vom 01.01.2026 bis 30.06.2026')).toEqual([]);
    // A sentence or paragraph lies between them.
    expect(recogniseBescheidDates('Der Bescheid kam nicht an. Vom 12.11.2026 an war ich verreist.')).toEqual([]);
    expect(recogniseBescheidDates('Betreff: Bescheid\n\nvom 1.1.2026 an gilt')).toEqual([]);
    // The adjective is no Bescheid; the gap is limited.
    expect(recogniseBescheidDates('eine bescheidene Summe vom 1.1.2026')).toEqual([]);
    expect(recogniseBescheidDates(`Bescheid ${'und weitere Worte '.repeat(4)}vom 1.1.2026`)).toEqual([]);
  });
});

describe('the Posteingang kinds among the others', () => {
  const text =
    'gegen Ihren Grundsteuerbescheid vom 20. November 2026 (Kassenzeichen 6.0301.204718.3) lege ich ' +
    'Widerspruch ein. Der Betrag von 1.234,56 € ist zu hoch; überwiesen habe ich 250,- € am 03.12.2026. ' +
    'Buchungszeichen 4711-0815-22. Max Mustermann, Tel. 0221 123456';

  it('keeps a Bescheid date as a date and a Kassenzeichen as an Aktenzeichen for extraction', () => {
    expect(recogniseKind(text, 'bescheid-date').map((m) => m.value)).toEqual(['2026-11-20']);
    expect(recogniseKind(text, 'date').map((m) => m.value)).toEqual(['2026-11-20', '2026-12-03']);
    expect(recogniseKind(text, 'kassenzeichen').map((m) => m.value)).toEqual(['6.0301.204718.3', '4711-0815-22']);
    expect(recogniseKind(text, 'aktenzeichen').map((m) => m.value)).toContain('6.0301.204718.3');
    expect(recogniseKind(text, 'amount').map((m) => m.value)).toEqual(['1234.56', '250.00']);
  });

  it('leaves amounts and dates to the reader and hides the Kassenzeichen', () => {
    const out = pseudonymise(text).text;
    for (const kept of ['20. November 2026', '1.234,56 €', '250,- €', '03.12.2026']) expect(out).toContain(kept);
    for (const hidden of ['6.0301.204718.3', '4711-0815-22', 'Mustermann', '123456']) expect(out).not.toContain(hidden);
    expect(out).toContain('[KASSENZEICHEN_1]');
  });

  it('returns non-overlapping entities', () => {
    const found = recogniseEntities(text);
    for (let i = 1; i < found.length; i++) expect(found[i]?.start).toBeGreaterThanOrEqual(found[i - 1]?.end ?? 0);
    expect(found.filter((m) => m.kind === 'amount').map((m) => m.quote)).toEqual(['1.234,56 €', '250,- €']);
  });
});

describe('property names', () => {
  it.each([
    ['kassenzeichen', 'kassenzeichen'],
    ['buchungszeichen', 'kassenzeichen'],
    ['kz', 'kassenzeichen'],
    ['betraege', 'amount'],
    ['beträge', 'amount'],
    ['betrag', 'amount'],
    ['amount', 'amount'],
    ['bescheiddatum', 'bescheid-date'],
    ['bescheidDatum', 'bescheid-date'],
    ['datum', 'date'],
    ['aktenzeichen', 'aktenzeichen'],
  ])('%s', (name, kind) => {
    expect(entityKindForProperty(name, { type: 'string' })).toBe(kind);
  });
});
