import { recogniseAktenzeichen } from '../../../src/analysis/rules/recognisers/aktenzeichen.recogniser.js';

const values = (text: string): string[] => recogniseAktenzeichen(text).map((m) => m.value);

describe('recogniseAktenzeichen', () => {
  it('reads references after the usual markers and stops before the rest of the sentence', () => {
    const text =
      'Az.: 63-2024-00123 vom 12.03.2024\n' +
      'Ihr Zeichen: IV A 3 - 1234/2023\n' +
      'Geschäftszeichen 63.1-0815/24, Bearbeiter: Herr Schulz\n' +
      'Unser Zeichen: BA/2024/117 (bitte stets angeben)';
    expect(values(text)).toEqual(['63-2024-00123', 'IV A 3 - 1234/2023', '63.1-0815/24', 'BA/2024/117']);
  });

  it('keeps quote and offsets exact', () => {
    const text = 'Widerspruch gegen den Bescheid, GZ: 32.15-4711/2024, eingelegt.';
    const [m] = recogniseAktenzeichen(text);
    expect(m?.quote).toBe('32.15-4711/2024');
    expect(text.slice(m?.start, m?.end)).toBe('32.15-4711/2024');
  });

  it('finds court file numbers with and without marker', () => {
    const text =
      'Vgl. BVerfG, Beschluss vom 5.5.2021 – 1 BvR 123/20 –; im Verfahren Aktenzeichen 2 C 123/24 sowie 4 StR 55/19.';
    const found = recogniseAktenzeichen(text);
    expect(found.map((m) => m.value)).toEqual(['1 BvR 123/20', '2 C 123/24', '4 StR 55/19']);
    // Only the shape speaks for an unmarked general court number, so it scores below a marked one.
    expect(found[2]?.confidence).toBeLessThan(found[1]?.confidence ?? 0);
  });

  it('finds Federal Administrative Court numbers with a dotted year', () => {
    expect(values('Urteil des BVerwG vom 12.5.2020, 4 C 10.19, juris Rn. 12')).toEqual(['4 C 10.19']);
  });

  it('reads vehicle registrations after Kennzeichen', () => {
    expect(values('Das Fahrzeug mit dem Kennzeichen B-AB 1234 parkte im Halteverbot.')).toEqual(['B-AB 1234']);
  });

  it('reports nothing when a marker is followed by words only', () => {
    expect(values('Das Aktenzeichen teilen wir Ihnen in Kürze mit. Unser Zeichen der Wertschätzung.')).toEqual([]);
  });
});

describe('file numbers of authorities and courts in everyday forms (issue #14)', () => {
  it('reads numbers after their markers in any case, and court numbers with prefixes and suffixes', () => {
    expect(values('az 3-17/2026; Kassenzeichen 5.0123.456789.3; unsere bg-nummer ist 96201//0045678.')).toEqual([
      '3-17/2026',
      '5.0123.456789.3',
      '96201//0045678',
    ]);
    expect(values('Verfahren S 5 AS 1021/25 ER, III-2 B 117/26 und VG 10 L 45.26')).toEqual([
      'S 5 AS 1021/25 ER',
      'III-2 B 117/26',
      'VG 10 L 45.26',
    ]);
  });
  it('finds references with a year and file-number shapes without a marker, but no dates', () => {
    expect(values('Bauantrag BV 2026/0412, Vorgang läuft als FS-2026-004471; am 2026-04-08 und 12.03.2024.')).toEqual([
      'BV 2026/0412',
      'FS-2026-004471',
    ]);
    expect(values('Kundennummer 962D204517 (Kindergeld 235FK448812)')).toEqual(['962D204517', '235FK448812']);
  });
});
