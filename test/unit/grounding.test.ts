import { groundQuote } from '../../src/analysis/grounding.js';

describe('groundQuote', () => {
  const source = 'Antrag auf Baugenehmigung\n\nAntragsteller:   Erika  Mustermann\nFlurstück 12/3 – Gemarkung „Nord“.';

  it('finds an exact quote with offsets into the original text', () => {
    const e = groundQuote(source, 'Baugenehmigung');
    expect(e).toEqual({ quote: 'Baugenehmigung', start: 11, end: 25 });
    expect(source.slice(e?.start, e?.end)).toBe('Baugenehmigung');
  });

  it('ignores whitespace differences and returns the original slice', () => {
    const e = groundQuote(source, 'Antragsteller: Erika Mustermann');
    expect(e).not.toBeNull();
    expect(e?.quote).toBe('Antragsteller:   Erika  Mustermann');
    expect(source.slice(e?.start, e?.end)).toBe(e?.quote);
  });

  it('matches across line breaks and trims the quote', () => {
    const e = groundQuote(source, '  Baugenehmigung Antragsteller ');
    expect(e?.quote).toBe('Baugenehmigung\n\nAntragsteller');
  });

  it('folds typographic quotes and dashes', () => {
    const e = groundQuote(source, '12/3 - Gemarkung "Nord"');
    expect(e?.quote).toBe('12/3 – Gemarkung „Nord“');
  });

  it('returns null for quotes that do not occur', () => {
    expect(groundQuote(source, 'Max Mustermann')).toBeNull();
    expect(groundQuote(source, 'erika mustermann')).toBeNull(); // case matters: a different quote
  });

  it('returns null for empty or whitespace-only quotes', () => {
    expect(groundQuote(source, '')).toBeNull();
    expect(groundQuote(source, ' \n ')).toBeNull();
  });

  it('keeps UTF-16 offsets with astral characters', () => {
    const s = 'Hinweis 📎 Anlage: Lageplan';
    const e = groundQuote(s, 'Anlage: Lageplan');
    expect(s.slice(e?.start, e?.end)).toBe('Anlage: Lageplan');
    expect(groundQuote(s, '📎')).toEqual({ quote: '📎', start: 8, end: 10 });
  });

  it('picks the first occurrence', () => {
    expect(groundQuote('a b a b', 'a b')).toEqual({ quote: 'a b', start: 0, end: 3 });
  });
});
