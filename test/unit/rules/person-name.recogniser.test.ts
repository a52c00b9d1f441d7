import { recognisePersonNames } from '../../../src/analysis/rules/recognisers/person-name.recogniser.js';

const names = (text: string): string[][] => recognisePersonNames(text).map((m) => [m.quote, m.value]);

describe('recognisePersonNames', () => {
  it('finds names after salutations and titles, without the title in the quote', () => {
    expect(names('Sehr geehrte Frau Dr. Erika Mustermann, sehr geehrter Herr Müller,')).toEqual([
      ['Erika Mustermann', 'Erika Mustermann'],
      ['Müller', 'Müller'],
    ]);
    expect(names('Gutachten von Prof. Dr. Hans-Peter Schulze-Wendt')).toEqual([
      ['Hans-Peter Schulze-Wendt', 'Hans-Peter Schulze-Wendt'],
    ]);
  });

  it('finds names after role words, including "Nachname, Vorname"', () => {
    const text = 'Antragstellerin: Erika Mustermann\nBauherr: Mustermann, Max\nEigentümer Karl von Bergen';
    expect(names(text)).toEqual([
      ['Erika Mustermann', 'Erika Mustermann'],
      ['Mustermann, Max', 'Max Mustermann'],
      ['Karl von Bergen', 'Karl von Bergen'],
    ]);
  });

  it('stops at words that are no names', () => {
    expect(names('Frau Bürgermeisterin hat entschieden. Herr Schmidt Die Unterlagen fehlen.')).toEqual([
      ['Schmidt', 'Schmidt'],
    ]);
  });

  it('prefers precision: no marker, lower-case continuation or a single word after a role → no name', () => {
    expect(names('Der Antragsteller beantragt die Genehmigung. Mustermann wohnt in Köln.')).toEqual([]);
    expect(names('Antragsteller Landkreis')).toEqual([]);
  });
});
