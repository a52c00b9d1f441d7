import { checkCompleteness, type CheckInput } from '../../../src/usecases/completeness.check.js';
import { renderTemplate } from '../../../src/usecases/reply-template.js';
import type { CompletenessRules, MessageRecord } from '../../../src/jobs/reply-proposal.js';
import type { MessagePart } from '../../../src/jobs/message.js';

const LABELS = [
  { code: '1803', name: 'Lageplan', listURI: 'urn:xoev-de:xbau:codeliste:anlagen', listVersionID: '3.0' },
  { code: '2001', name: 'Grundrisse', listURI: 'urn:xoev-de:xbau:codeliste:anlagen', listVersionID: '3.0' },
];
const RULES: CompletenessRules = {
  deadlineDays: 14,
  requirementSets: [
    {
      name: 'Kenntnisgabe',
      when: { field: 'verfahrensart', in: ['kg'] },
      documents: [{ name: 'Lageplan', codes: ['1803'], basis: '§ 7' }],
    },
    {
      name: 'Genehmigung',
      documents: [
        { name: 'Lageplan', codes: ['1803'], basis: '§ 7' },
        { name: 'Grundrisse', codes: ['2001'], basis: '§ 8' },
      ],
    },
  ],
};
const row = (fields: Record<string, string>, partIds: string[] = []): MessageRecord => ({
  record: 'anlagen',
  element: 'anlage',
  path: '/a/anlagen/anlage',
  fields,
  partIds,
});
const input = (records: MessageRecord[], parts: MessagePart[] = []): CheckInput => ({
  check: { kind: 'completeness', records: 'anlagen', context: 'antrag', rules: 'r.json' },
  replyType: 'baugenehmigung.formellePruefung.0201',
  records,
  parts,
  findings: [],
  labels: LABELS,
  // A Thursday: 14 days on is a Thursday too.
  now: new Date('2026-12-03T10:00:00Z'),
});

describe('Vollständigkeitsprüfung', () => {
  it('finds a document missing, reads a kind from the file name, and sets the deadline', () => {
    const p = checkCompleteness(
      input([row({ code: '1803' }), row({ bezeichnung: 'Grundrisse EG', dateiname: 'grundrisse.pdf' })]),
      RULES,
    );
    expect(p.items).toEqual([]);
    expect(p.facts.antragVollstaendig).toBe(true);
    const missing = checkCompleteness(input([row({ code: '1803' })]), RULES);
    expect(missing.items.map((i) => [i.kind, i.code?.code])).toEqual([['missing', '2001']]);
    expect(missing.facts).toMatchObject({ antragVollstaendig: false, frist: '2026-12-17' });
  });

  it('reports an attachment whose content is encrypted as unreadable, once (not also as missing)', () => {
    const part: MessagePart = {
      id: 'p3',
      kind: 'attachment',
      path: '/a/anlagen/anlage',
      element: 'anlage',
      extraction: { status: 'encrypted' },
    };
    const p = checkCompleteness(input([row({ code: '1803' }, ['p3']), row({ code: '2001' })], [part]), RULES);
    expect(p.items.map((i) => [i.kind, i.id])).toEqual([['unreadable', 'unreadable:p3']]);
    expect(p.items[0]?.text).toContain('verschlüsselt');
  });

  it('applies the requirement set the context selects, and names an unassignable attachment', () => {
    const context: MessageRecord = {
      record: 'antrag',
      element: 'a',
      path: '/a',
      fields: { verfahrensart: 'kg' },
      partIds: [],
    };
    const p = checkCompleteness(
      input([context, row({ code: '1803' }), row({ bezeichnung: 'Foto', dateiname: 'x.jpg' })]),
      RULES,
    );
    expect(p.facts.anforderungen).toBe('Kenntnisgabe');
    expect(p.items.map((i) => i.kind)).toEqual(['unclassified']);
  });

  it('takes a document declared as a kind no requirement asks for as what its name says, with that in its evidence', () => {
    const labels = [
      ...LABELS,
      {
        code: '1003',
        name: 'Allgemeiner Schriftverkehr',
        listURI: 'urn:xoev-de:xbau:codeliste:anlagen',
        listVersionID: '3.0',
      },
    ];
    const p = checkCompleteness(
      {
        ...input([
          row({ code: '1803' }),
          row({ code: '1003', bezeichnung: 'Grundrisse aller Geschosse', dateiname: 'grundrisse.pdf' }),
        ]),
        labels,
      },
      RULES,
    );
    expect(p.items).toEqual([]);
    const alone = checkCompleteness(
      {
        ...input([row({ code: '1803' }), row({ code: '1003', bezeichnung: 'Brief', dateiname: 'brief.pdf' })]),
        labels,
      },
      RULES,
    );
    expect(alone.items.map((i) => i.id)).toEqual(['missing:2001']);
  });

  it('moves a deadline that falls on a weekend to the Monday', () => {
    const p = checkCompleteness(
      { ...input([]), now: new Date('2026-12-05T10:00:00Z') },
      { ...RULES, deadlineDays: 14 },
    );
    expect(p.facts.frist).toBe('2026-12-21');
  });
});

describe('reply templates', () => {
  it('escapes values, repeats, and drops what its condition excludes', () => {
    const xml = renderTemplate(
      '<r xmlns:xgw="urn:xoev-ai-gateway:vorlage:1"><i xgw:each="items" n="{{item.n}}">{{item.t}}</i><x xgw:if="none">no</x><y xgw:unless="none">yes</y></r>',
      {
        items: [
          { n: '1', t: 'a & <b>' },
          { n: '2"', t: 'c' },
        ],
      },
    );
    expect(xml).toContain('<i n="1">a &amp; &lt;b&gt;</i>');
    expect(xml).toContain('<i n="2&quot;">c</i>');
    expect(xml).not.toContain('<x>');
    expect(xml).toContain('<y>yes</y>');
    expect(xml).not.toContain('xgw');
  });
});

describe('deadlines (feiertagejs)', () => {
  it("moves a deadline off weekends and the Land's public holidays, across month and year ends", async () => {
    const { deadlineAfter } = await import('../../../src/usecases/deadline.js');
    // 2026-12-11 + 14 = Friday 25 December (1. Weihnachtstag), then 26th (2. Weihnachtstag, Saturday), Sunday → Monday 28th.
    expect(deadlineAfter(new Date('2026-12-11T09:00:00Z'), 14)).toBe('2026-12-28');
    // 2026-12-18 + 14 = Friday 1 January 2027 (Neujahr) → Monday 4 January.
    expect(deadlineAfter(new Date('2026-12-18T09:00:00Z'), 14)).toBe('2027-01-04');
    // 2027-10-17 + 14 = Sunday 31 October; Monday 1 November is Allerheiligen in Bayern, not in Berlin.
    expect(deadlineAfter(new Date('2027-10-17T09:00:00Z'), 14, 'BY')).toBe('2027-11-02');
    expect(deadlineAfter(new Date('2027-10-17T09:00:00Z'), 14, 'BE')).toBe('2027-11-01');
    // 2027-01-22 + 14 = Friday 5 February: a working day stays.
    expect(deadlineAfter(new Date('2027-01-22T09:00:00Z'), 14)).toBe('2027-02-05');
  });
});

describe('statutory periods (§§ 187–193 BGB, § 41 (2) VwVfG)', () => {
  const WIDERSPRUCH = { name: 'Widerspruchsfrist', basis: '§ 70 Abs. 1 VwGO', fictionDays: 4, months: 1 } as const;
  it('counts a month from the deemed announcement and moves the end off weekends and holidays', async () => {
    const { periodEnd } = await import('../../../src/usecases/deadline.js');
    // Posted Thu 2026-11-26 → announced Mon 2026-11-30 → one month: Wed 2026-12-30.
    expect(periodEnd('2026-11-26', WIDERSPRUCH)).toMatchObject({ start: '2026-11-30', end: '2026-12-30' });
    // Posted 2026-11-27 → announced 2026-12-01 → 2027-01-01 is Neujahr (Friday) → Monday 2027-01-04.
    const r = periodEnd('2026-11-27', WIDERSPRUCH);
    expect(r).toMatchObject({ start: '2026-12-01', end: '2027-01-04' });
    expect(r.steps.join('\n')).toContain('§ 193 BGB');
  });

  it('ends a month period on the last day of a shorter month (§ 188 (3) BGB)', async () => {
    const { periodEnd } = await import('../../../src/usecases/deadline.js');
    // Announced 2027-01-31 → 28 February 2027 is a Sunday → Monday 1 March.
    expect(periodEnd('2027-01-31', { name: 'Frist', basis: 'x', months: 1 })).toMatchObject({ end: '2027-03-01' });
    // 2028 is a leap year: announced 2028-01-31 → Tuesday 29 February.
    expect(periodEnd('2028-01-31', { name: 'Frist', basis: 'x', months: 1 })).toMatchObject({ end: '2028-02-29' });
    // Art. 12 (3) DSGVO: one month from receipt of the request, no fiction.
    expect(periodEnd('2026-12-03', { name: 'Auskunft', basis: 'Art. 12 Abs. 3 DSGVO', months: 1 }, 'BY')).toMatchObject(
      { end: '2027-01-04' },
    );
  });

  it('refuses to compute without a date instead of inventing one', async () => {
    const { periodEnd } = await import('../../../src/usecases/deadline.js');
    expect(() => periodEnd('unbekannt', WIDERSPRUCH)).toThrow(RangeError);
  });
});
