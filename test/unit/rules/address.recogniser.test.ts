import { recogniseAddresses } from '../../../src/analysis/rules/recognisers/address.recogniser.js';

describe('recogniseAddresses', () => {
  it('combines street and postcode/place into one address when they are adjacent', () => {
    const text = 'Bauherrin wohnhaft Musterstraße 12a, 12345 Musterstadt.\nBaugrundstück: Am Markt 3\n01067 Dresden';
    const found = recogniseAddresses(text);
    expect(found.map((m) => [m.quote, m.value])).toEqual([
      ['Musterstraße 12a, 12345 Musterstadt', 'Musterstraße 12a, 12345 Musterstadt'],
      ['Am Markt 3\n01067 Dresden', 'Am Markt 3, 01067 Dresden'],
    ]);
    expect(found[0]?.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('expands abbreviated street names in the value but quotes the source', () => {
    const [m] = recogniseAddresses('Anschrift: Hauptstr. 5, 53111 Bonn');
    expect(m?.quote).toBe('Hauptstr. 5, 53111 Bonn');
    expect(m?.value).toBe('Hauptstraße 5, 53111 Bonn');
  });

  it('knows two-word streets, house-number ranges and places with joining words', () => {
    const text =
      'Grundstück Berliner Straße 17-19, 60311 Frankfurt am Main; Zweitwohnsitz Lindenweg 4 b in 06108 Halle (Saale)';
    expect(recogniseAddresses(text).map((m) => m.value)).toEqual([
      'Berliner Straße 17-19, 60311 Frankfurt am Main',
      'Lindenweg 4 b',
      '06108 Halle (Saale)',
    ]);
  });

  it('knows bare street words such as Promenade', () => {
    const text = 'Klage beim Bayerischen Verwaltungsgericht Ansbach, Promenade 24-28, 91522 Ansbach, erheben.';
    expect(recogniseAddresses(text).map((m) => m.value)).toEqual(['Promenade 24-28, 91522 Ansbach']);
  });

  it('does not take years or section numbers after prepositions for streets', () => {
    expect(recogniseAddresses('Im Jahr 2024 wurde im Abschnitt 3.2 der Satzung am Montag entschieden.')).toEqual([]);
  });

  it('knows addresses abroad as they are written there, and lower-case prepositional streets', () => {
    const quotes = (text: string): string[] => recogniseAddresses(text).map((a) => a.quote);
    expect(quotes('meine neue adresse ist calle de toledo 86, 28005 madrid. danke')).toEqual([
      'calle de toledo 86, 28005 madrid',
    ]);
    expect(quotes('lebt in ul. piłsudskiego 12/4, 59-220 legnica.')).toEqual(['ul. piłsudskiego 12/4, 59-220 legnica']);
    expect(quotes('Portugal: Rua de Santa Catarina 512, 4000-446 Porto.')).toEqual([
      'Rua de Santa Catarina 512, 4000-446 Porto',
    ]);
    expect(quotes('von 12 rue des Lilas, 67000 Strasbourg nach')).toEqual(['12 rue des Lilas, 67000 Strasbourg']);
    expect(quotes('Oliver Whitfield\n14 Clarendon Road, Leeds')).toEqual(['14 Clarendon Road']);
    expect(quotes('Zeynep Arslan, Bağdat Caddesi No: 214 Daire 7, 34728 Kadıköy/İstanbul, Türkei')).toEqual([
      'Bağdat Caddesi No: 214 Daire 7, 34728 Kadıköy/İstanbul',
    ]);
    expect(quotes('anja schmitt, am eichwald 5, tel 0172 6418820')).toEqual(['am eichwald 5']);
    expect(quotes('ich wohne in der bergstraße 14, 69120 heidelberg')).toEqual(['bergstraße 14, 69120 heidelberg']);
    expect(quotes('wir treffen uns im jahr 2026 am montag 5 mal')).toEqual([]);
  });

  it('does not take a postcode-like number without a place name', () => {
    expect(recogniseAddresses('Gebühr 12345 EUR; Vorgangsnummer 54321 wurde angelegt.')).toEqual([]);
  });
});
