import type { AnalysisRequest } from '../../../src/analysis/analysis.types.js';
import type { Finding } from '../../../src/jobs/finding.js';
import { AppError } from '../../../src/errors/app-error.js';
import { DEFAULT_ENTITY_SCHEMA, entityKindForProperty } from '../../../src/analysis/rules/entity-schema.js';
import { RulesAnalyser } from '../../../src/analysis/rules/rules.analyser.js';
import { hashText } from '../../../src/analysis/text-hash.js';

const BAUANTRAG = [
  'Antrag auf Baugenehmigung',
  'Az.: 63-2024-00123',
  'Bauherrin: Erika Mustermann, geb. am 01.02.1980',
  'Anschrift: Musterstraße 12a, 12345 Musterstadt',
  'Telefon: 0171/1234567, E-Mail: erika.mustermann@example.de',
  'Baugrundstück: Am Markt 3, 12345 Musterstadt',
  'Hiermit beantrage ich die Baugenehmigung für den Neubau eines Einfamilienhauses mit Garage.',
  'Die Bauvorlagen sind beigefügt. Eingang beim Bauaufsichtsamt am 12.03.2024.',
  'Gebühren bitte von IBAN DE89 3704 0044 0532 0130 00 einziehen.',
].join('\n');

const analyser = new RulesAnalyser();
const run = (task: AnalysisRequest['task'], text = BAUANTRAG): Promise<Finding> =>
  analyser.analyse({ partId: 'part-1', text, task });

describe('RulesAnalyser', () => {
  it('classifies a Bauantrag and reports model, prompt version and input hash', async () => {
    const finding = await run({
      kind: 'classify',
      labels: [
        { code: 'BA', name: 'Bauantrag', keywords: ['Baugenehmigung', 'Neubau', 'Bauvorlagen'] },
        { code: 'WS', name: 'Widerspruch', keywords: ['Widerspruchsbescheid'] },
      ],
    });
    expect(finding).toMatchObject({
      partId: 'part-1',
      task: 'classify',
      analyser: 'rules',
      provider: 'rules',
      promptVersion: 'rules-1',
      inputHash: hashText(BAUANTRAG),
      aiGenerated: false,
      reviewReasons: [],
    });
    expect(finding.model).toMatch(/^rules-\d+\.\d+\.\d+$/);
    expect(finding.classification?.labels.map((l) => l.code)).toEqual(['BA']);
    expect(finding.inputHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('sends a classification below the threshold to review', async () => {
    const finding = await run({
      kind: 'classify',
      labels: [{ code: 'MB', name: 'Meldebescheinigung' }],
      confidenceThreshold: 0.5,
    });
    expect(finding.classification?.labels).toEqual([]);
    expect(finding.reviewReasons).toEqual(['low_confidence']);
  });

  it('extracts by x-entity and by property name with exact evidence', async () => {
    const finding = await run({
      kind: 'extract',
      schema: {
        type: 'object',
        required: ['aktenzeichen', 'antragsteller'],
        properties: {
          aktenzeichen: { type: 'string' },
          antragsteller: { type: 'string', 'x-entity': 'person-name' },
          geburtsdatum: { type: 'string', format: 'date' },
          eingangsdatum: { type: 'string' },
          anschriften: { type: 'array', items: { type: 'string' } },
          telefon: { type: 'string' },
          kontoverbindung: { type: 'string', 'x-entity': 'iban' },
          hatEmail: { type: 'boolean', 'x-entity': 'email' },
          bemerkung: { type: 'string' },
        },
      },
    });
    expect(finding.extraction?.data).toEqual({
      aktenzeichen: '63-2024-00123',
      antragsteller: 'Erika Mustermann',
      geburtsdatum: '1980-02-01',
      // A scalar date property passes over the birth date.
      eingangsdatum: '2024-03-12',
      anschriften: ['Musterstraße 12a, 12345 Musterstadt', 'Am Markt 3, 12345 Musterstadt'],
      telefon: '+491711234567',
      kontoverbindung: 'DE89370400440532013000',
      hatEmail: true,
    });
    for (const v of finding.extraction?.values ?? []) {
      expect(v.grounded).toBe(true);
      expect(v.evidence).not.toBeNull();
      expect(BAUANTRAG.slice(v.evidence?.start, v.evidence?.end)).toBe(v.evidence?.quote);
    }
    const iban = finding.extraction?.values.find((v) => v.field === 'kontoverbindung');
    expect(iban?.evidence?.quote).toBe('DE89 3704 0044 0532 0130 00');
    expect(finding.reviewReasons).toEqual([]);
  });

  it('asks for review when a required property is not found', async () => {
    const finding = await run({
      kind: 'extract',
      schema: { type: 'object', required: ['steuerId'], properties: { steuerId: { type: 'string' } } },
    });
    expect(finding.extraction?.data).toEqual({});
    expect(finding.reviewReasons).toEqual(['target_schema_violation']);
  });

  it('asks for review when a value is less certain than the threshold', async () => {
    const finding = await run(
      {
        kind: 'extract',
        schema: { type: 'object', properties: { anschrift: { type: 'string' } } },
        confidenceThreshold: 0.8,
      },
      'Ortstermin Im Winkel 4 vereinbart.',
    );
    expect(finding.extraction?.data).toEqual({ anschrift: 'Im Winkel 4' });
    expect(finding.reviewReasons).toEqual(['low_confidence']);
  });

  it('fills the default entity schema and never echoes the input', async () => {
    const finding = await run({ kind: 'extract', schema: DEFAULT_ENTITY_SCHEMA });
    const data = finding.extraction?.data ?? {};
    expect(data['ibans']).toEqual(['DE89370400440532013000']);
    expect(data['emails']).toEqual(['erika.mustermann@example.de']);
    expect(data['daten']).toEqual(['1980-02-01', '2024-03-12']);
    expect(data['geburtsdaten']).toEqual(['1980-02-01']);
    expect(data['aktenzeichen']).toEqual(['63-2024-00123']);
    expect(JSON.stringify(finding)).not.toContain('Einfamilienhauses');
  });

  it('rejects a schema that is not an object schema', async () => {
    await expect(run({ kind: 'extract', schema: { type: 'string' } })).rejects.toThrow(AppError);
  });

  it('honours an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      analyser.analyse({ partId: 'p', text: 'x', task: { kind: 'classify', labels: [] } }, controller.signal),
    ).rejects.toThrow();
  });
});

describe('entityKindForProperty', () => {
  it('prefers x-entity, then reads German and English property names', () => {
    expect(entityKindForProperty('foo', { 'x-entity': 'iban' })).toBe('iban');
    expect(entityKindForProperty('geburtsdatum', {})).toBe('birth-date');
    expect(entityKindForProperty('eingangsDatum', {})).toBe('date');
    expect(entityKindForProperty('telefonnummer', {})).toBe('phone');
    expect(entityKindForProperty('Anschrift', {})).toBe('address');
    expect(entityKindForProperty('antragstellerName', {})).toBe('person-name');
    expect(entityKindForProperty('dateiname', {})).toBeUndefined();
    expect(entityKindForProperty('bemerkung', {})).toBeUndefined();
  });
});
