import { isValidCalendarDate, recogniseDates } from '../../../src/analysis/rules/recognisers/date.recogniser.js';
import { recogniseBirthDates } from '../../../src/analysis/rules/recognisers/birth-date.recogniser.js';

describe('recogniseDates', () => {
  it('finds numeric, written-month and ISO dates and normalises them to ISO 8601', () => {
    const text =
      'Der Bauantrag ging am 12.03.2024 ein. Die Frist endet am 1. April 2024, ' +
      'die Anhörung fand am 2024-02-29 statt; Stichtag ist der 1.3.24.';
    const found = recogniseDates(text);
    expect(found.map((d) => [d.quote, d.value])).toEqual([
      ['12.03.2024', '2024-03-12'],
      ['1. April 2024', '2024-04-01'],
      ['2024-02-29', '2024-02-29'],
      ['1.3.24', '2024-03-01'],
    ]);
    for (const d of found) expect(text.slice(d.start, d.end)).toBe(d.quote);
  });

  it('accepts month abbreviations and umlaut spellings', () => {
    expect(
      recogniseDates('Bescheid vom 3. Okt. 2023 und 15. März 2024 sowie 7. Maerz 2022').map((d) => d.value),
    ).toEqual(['2023-10-03', '2024-03-15', '2022-03-07']);
  });

  it('rejects impossible calendar dates', () => {
    expect(recogniseDates('Widerspruchsfrist bis 31.02.2024, Termin am 29.02.2023, Monat 13: 01.13.2024')).toEqual([]);
    expect(isValidCalendarDate(2024, 2, 29)).toBe(true);
    expect(isValidCalendarDate(2100, 2, 29)).toBe(false);
  });

  it('does not read version numbers, amounts or paragraph numbers as dates', () => {
    expect(recogniseDates('Gebühr 1.250.00 EUR nach Nr. 2.1.3.4 der Satzung, Version 10.2.2024.1')).toEqual([]);
  });

  it('reads two-digit years up to the pivot as 20yy and later ones as 19yy, independent of today', () => {
    expect(
      recogniseDates('Frist 1.3.24, geboren 1.2.80, Termin 31.12.40, Urkunde 01.01.41').map((d) => d.value),
    ).toEqual(['2024-03-01', '1980-02-01', '2040-12-31', '1941-01-01']);
  });

  it('scores two-digit years lower than four-digit ones because the century is a guess', () => {
    const [short, long] = recogniseDates('am 1.3.24 bzw. 01.03.2024');
    expect(short?.confidence).toBeLessThan(long?.confidence ?? 0);
  });
});

describe('recogniseBirthDates', () => {
  it('takes dates after a birth marker and quotes only the date', () => {
    const text =
      'Herr Max Mustermann, geb. am 01.02.1980, wohnhaft in Köln; Ehefrau geboren 1.2.1982; Geburtsdatum: 3. Mai 1975';
    expect(recogniseBirthDates(text).map((d) => [d.quote, d.value])).toEqual([
      ['01.02.1980', '1980-02-01'],
      ['1.2.1982', '1982-02-01'],
      ['3. Mai 1975', '1975-05-03'],
    ]);
  });

  it('reads the markers of hurried and reported writing: `geb` without its dot, `Geburtsdatum (…)`, `sei der`, `in … geboren`', () => {
    const text =
      'meine tochter (geb 12.12.2018) wohnt bei mir. Ihr Geburtsdatum (15.03.1989) fehlt. Sie gibt an, ihr ' +
      'Geburtsdatum sei der 01.01.1997. Er sei am 01.01.2001 in Kunduz geboren. Eingang am 02.02.2026.';
    expect(recogniseBirthDates(text).map((d) => d.quote)).toEqual([
      '12.12.2018',
      '15.03.1989',
      '01.01.1997',
      '01.01.2001',
    ]);
  });

  it('takes the dates of a table column headed Geburtsdatum, and only those', () => {
    const text =
      'Name, Vorname | Geburtsdatum | Einzug\nKaya, Elif | 01.02.2003 | 01.03.2026\nKaya, Can | 05.06.2007 | 01.03.2026\n\nStand: 04.03.2026';
    expect(recogniseBirthDates(text).map((d) => d.quote)).toEqual(['01.02.2003', '05.06.2007']);
  });

  it('takes birth dates from CSV columns and from rows that name their value', () => {
    const csv =
      'nr;nachname;vorname;geburtsdatum;eingang\n1;Khoury;Nour;1998-04-11;2026-01-05\n2;Horvat;Ivana;1993-10-05;2026-01-06';
    expect(recogniseBirthDates(csv).map((d) => d.quote)).toEqual(['1998-04-11', '1993-10-05']);
    const quoted = 'id,name,geburtsdatum\nW-1,"Rusu, Andreea",2025-01-17\nW-2,"El Idrissi, Salma",2024-11-29';
    expect(recogniseBirthDates(quoted).map((d) => d.quote)).toEqual(['2025-01-17', '2024-11-29']);
    const rows =
      '| Name | Tesfamariam, Selam |\n| Geburtsdatum | 07.05.1986 |\n| Geburtsdatum Kind | 22.10.2014 |\n| Eingang | 01.02.2026 |';
    expect(recogniseBirthDates(rows).map((d) => d.quote)).toEqual(['07.05.1986', '22.10.2014']);
  });

  it('ignores dates without a birth marker', () => {
    expect(recogniseBirthDates('Meldebescheinigung ausgestellt am 05.06.2024, gültig bis 05.06.2025')).toEqual([]);
  });
});
