import { isGermanWord, WordList } from '../../../src/analysis/rules/german-lexicon.js';

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

describe('WordList: the lexicon held as one sorted string', () => {
  it('finds exactly its keys, first, last and between, and nothing else', () => {
    const keys = ['zug', 'amt', 'bau', 'bauamt', 'ba', 'strasse'];
    const list = WordList.of(keys);
    expect(list.size).toBe(6);
    expect(keys.filter((k) => !list.has(k))).toEqual([]);
    expect(['', 'a', 'am', 'amts', 'bauamts', 'zugs', 'zz', 'b'].filter((k) => list.has(k))).toEqual([]);
  });

  it('reads back what it wrote, and sorts a list that was edited out of order', () => {
    const list = WordList.of(['wolf', 'antrag', 'bescheid']);
    expect(WordList.parse(list.toText()).has('bescheid')).toBe(true);
    const edited = WordList.parse('wolf\nantrag\nbescheid');
    expect(['wolf', 'antrag', 'bescheid'].every((k) => edited.has(k))).toBe(true);
    expect(edited.toText()).toBe('antrag\nbescheid\nwolf\n');
  });
});
