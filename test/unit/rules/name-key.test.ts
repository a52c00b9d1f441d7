import { nameKey } from '../../../src/analysis/rules/name-key.js';

describe('nameKey', () => {
  it('folds case and diacritics, on the fast path for ASCII and the full one otherwise', () => {
    expect(
      [
        'Müller',
        'ÖZTÜRK',
        'Nguyễn',
        'Łukasz',
        'Straße',
        'Yıldız',
        'Søren',
        'Đorđe',
        'Schmidt',
        'AL-SAADI',
        "O'Brien",
      ].map(nameKey),
    ).toEqual([
      'muller',
      'ozturk',
      'nguyen',
      'lukasz',
      'strasse',
      'yildiz',
      'soren',
      'dorde',
      'schmidt',
      'al-saadi',
      "o'brien",
    ]);
  });
});
