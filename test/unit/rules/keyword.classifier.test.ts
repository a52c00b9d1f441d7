import type { Label } from '../../../src/jobs/finding.js';
import { classifyByKeywords, scoreLabels } from '../../../src/analysis/rules/keyword.classifier.js';
import { foldGerman, stem, tokenise } from '../../../src/analysis/rules/text-normalise.js';

const LABELS: Label[] = [
  { code: '1000', name: 'Bauantrag', keywords: ['Baugenehmigung', 'Neubau', 'Bauvorhaben', 'Bauvorlagen'] },
  { code: '2000', name: 'Widerspruch', keywords: ['Widerspruchsbescheid', 'anfechten', 'Rechtsbehelf'] },
  { code: '3000', name: 'Meldebescheinigung', keywords: ['Anmeldung', 'Wohnsitz', 'Melderegister'] },
  { code: '9000', name: 'Sonstiges' },
];

describe('text normalisation', () => {
  it('folds umlauts and ß and strips common suffixes so inflected forms share a key', () => {
    expect(foldGerman('Gebührenbescheid Straße')).toBe('gebuehrenbescheid strasse');
    expect(stem(foldGerman('Genehmigungen'))).toBe(stem(foldGerman('Genehmigung')));
    expect(stem(foldGerman('Anträge'))).toBe(stem(foldGerman('Antrag')));
    expect(tokenise('Der Antrag und die Unterlagen').map((t) => t.word)).toEqual(['Antrag', 'Unterlagen']);
  });
});

describe('classifyByKeywords', () => {
  it('picks the label whose terms the text contains and names them in the rationale', () => {
    const text =
      'Hiermit beantragen wir die Baugenehmigung für den Neubau eines Einfamilienhauses auf dem Flurstück 12/3. ' +
      'Die Bauvorlagen liegen bei.';
    const result = classifyByKeywords(LABELS, text);
    expect(result.labels.map((l) => l.code)).toEqual(['1000']);
    expect(result.confidence).toBeGreaterThan(0.7);
    expect(result.rationale).toContain('Baugenehmigung');
    expect(result.rationale).toContain('Neubau');
    expect(result.rationale).not.toContain('Flurstück');
  });

  it('matches inflected and umlaut-free spellings', () => {
    const result = classifyByKeywords(
      LABELS,
      'Bitte um eine Meldebescheinigung, Anmeldungen des Wohnsitzes liegen vor (Gebuehr bezahlt).',
    );
    expect(result.labels.map((l) => l.code)).toEqual(['3000']);
  });

  it('answers no label with confidence 0 when nothing matches', () => {
    const result = classifyByKeywords(LABELS, 'Die Kantine ist am Freitag geschlossen.');
    expect(result).toEqual({ labels: [], confidence: 0, rationale: 'Kein Begriff eines Labels im Text gefunden.' });
  });

  it('is honest: one hit scores lower than several, and a near tie scores lower than a clear lead', () => {
    const one = classifyByKeywords(LABELS, 'Gegen den Gebührenbescheid lege ich Widerspruch ein.');
    const many = classifyByKeywords(
      LABELS,
      'Widerspruch: ich will den Bescheid anfechten, Rechtsbehelf nach § 70 VwGO.',
    );
    expect(one.labels[0]?.code).toBe('2000');
    expect(one.confidence).toBeLessThan(many.confidence);
    const tie = classifyByKeywords(LABELS, 'Widerspruch gegen die Ablehnung der Baugenehmigung für den Neubau.');
    const lead = classifyByKeywords(LABELS, 'Antrag auf Baugenehmigung für den Neubau.');
    expect(tie.confidence).toBeLessThan(lead.confidence);
    for (const r of [one, many, tie, lead]) expect(r.confidence).toBeLessThanOrEqual(0.95);
  });

  it('counts a term found inside a compound word', () => {
    const scores = scoreLabels(LABELS, 'Das Widerspruchsverfahren ist anhängig.');
    expect(scores[0]?.label.code).toBe('2000');
    expect(scores[0]?.matched).toEqual(['Widerspruch']);
  });

  it('returns several labels with multi and is deterministic', () => {
    const text = 'Widerspruch gegen die Ablehnung der Baugenehmigung für den Neubau; Rechtsbehelf eingelegt.';
    const a = classifyByKeywords(LABELS, text, true);
    const b = classifyByKeywords(LABELS, text, true);
    expect(a.labels.map((l) => l.code).sort()).toEqual(['1000', '2000']);
    expect(a).toEqual(b);
  });
});
