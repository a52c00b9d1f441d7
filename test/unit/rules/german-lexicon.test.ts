import { isGermanWord } from '../../../src/analysis/rules/german-lexicon.js';

describe('the German lexicon the safety net reads by (issue #14)', () => {
  it('knows inflected forms, compounds, derived nouns, abbreviations, places and countries', () => {
    const words = [
      'Widerspruch',
      'Bescheides',
      'Sohnes',
      'Antragstellerinnen',
      'Baugenehmigungsverfahren',
      'Wohngeld',
      'Anschrift',
      'Eingangsbestätigung',
      'Zuständigkeit',
      'Legalisation',
      'E-Mail-Adresse',
      'Steuer-ID',
      'IBAN',
      'Kita',
      'III',
      'Hannover',
      'Frankfurt',
      'Ukraine',
      'HIERMIT',
      'Anbei',
      'Freundlichen',
      'Grüßen',
    ];
    expect(words.filter((w) => !isGermanWord(w))).toEqual([]);
  });

  it('does not know names of many origins, whole or hyphenated', () => {
    const names = ['Nguyen', 'Yilmaz', 'Kowalski', 'Jeyakumar', 'Adeyemi', 'Popescu', 'Haidari', 'Öztürk', 'Al-Saadi'];
    expect(names.filter((w) => isGermanWord(w))).toEqual([]);
  });
});
