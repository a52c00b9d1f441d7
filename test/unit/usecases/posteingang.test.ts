import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromRoot } from '../../../src/config/paths.js';
import { isAppError } from '../../../src/errors/app-error.js';
import type { Finding } from '../../../src/jobs/finding.js';
import type { JobResult } from '../../../src/jobs/job-record.js';
import { computeDeadlines } from '../../../src/usecases/posteingang/deadlines.js';
import {
  loadPosteingang,
  type DeadlineRule,
  type RoutingTable,
} from '../../../src/usecases/posteingang/posteingang-rules.js';
import { createPosteingang, loadRequestProfiles, POSTEINGANG } from '../../../src/usecases/posteingang/posteingang.js';
import { renderLetter } from '../../../src/usecases/posteingang/receipt.js';
import { route } from '../../../src/usecases/posteingang/routing.js';
import { createUseCases } from '../../../src/usecases/use-cases.js';

const FOLDER = fromRoot('xoev-schemas/posteingang/1.0');
const WIDERSPRUCH: DeadlineRule = {
  name: 'widerspruch',
  title: 'Widerspruchsfrist',
  anliegen: ['WID'],
  from: 'bescheiddatum',
  fromLabel: 'Datum des Bescheids',
  fictionDays: 4,
  months: 1,
  basis: '§ 70 Abs. 1 VwGO',
};
const AUSKUNFT: DeadlineRule = {
  name: 'auskunft',
  title: 'Auskunftsfrist',
  anliegen: ['AUS'],
  from: 'eingang',
  fromLabel: 'Eingang',
  months: 1,
  basis: 'Art. 12 Abs. 3 DSGVO',
};

describe('Posteingang deadlines: computed from the request, never guessed', () => {
  it('a Widerspruchsfrist runs one month from the Bekanntgabe on the fourth day after posting (§ 41 (2) VwVfG)', () => {
    const [d] = computeDeadlines(
      [WIDERSPRUCH],
      { anliegen: ['WID'], eingang: '2026-11-30', dates: { bescheiddatum: '2026-11-12' } },
      'BUND',
    );
    // Posted Thu 12.11. → announced Mon 16.11. → one month: Wed 16.12.
    expect(d).toMatchObject({ rule: 'widerspruch', fromDate: '2026-11-12', end: '2026-12-16', timely: true });
    expect(d?.steps.join(' ')).toContain('2026-11-16');
  });

  it('an end on a public holiday moves to the next working day (Neujahr, then the weekend)', () => {
    const [d] = computeDeadlines(
      [WIDERSPRUCH],
      { anliegen: ['WID'], eingang: '2026-12-02', dates: { bescheiddatum: '2026-11-27' } },
      'BUND',
    );
    // Posted Fri 27.11. → announced Tue 1.12. → 1.1.2027 is Neujahr (a Friday) → Mon 4.1.2027.
    expect(d?.end).toBe('2027-01-04');
    expect(d?.steps.join(' ')).toContain('§ 193 BGB');
  });

  it('a month end without the day number ends on the last day of the month (§ 188 (3) BGB)', () => {
    const [d] = computeDeadlines([AUSKUNFT], { anliegen: ['AUS'], eingang: '2026-01-31', dates: {} }, 'BUND');
    // 31.1. + one month → 28.2.2026, a Saturday → Monday 2.3.2026.
    expect(d?.end).toBe('2026-03-02');
  });

  it('without the Bescheid date it says so and has no end', () => {
    const [d] = computeDeadlines([WIDERSPRUCH], { anliegen: ['WID'], eingang: '2026-11-30', dates: {} }, 'BUND');
    expect(d?.end).toBeUndefined();
    expect(d?.unknown).toContain('steht nicht in der Anfrage');
  });

  it('a late Widerspruch and a date after the receipt are flagged, an unrelated Anliegen gets no deadline', () => {
    const late = computeDeadlines(
      [WIDERSPRUCH, AUSKUNFT],
      { anliegen: ['WID'], eingang: '2026-03-10', dates: { bescheiddatum: '2026-01-05' } },
      'BUND',
    );
    expect(late).toHaveLength(1);
    expect(late[0]?.timely).toBe(false);
    const future = computeDeadlines(
      [WIDERSPRUCH],
      { anliegen: ['WID'], eingang: '2026-03-10', dates: { bescheiddatum: '2027-03-01' } },
      'BUND',
    );
    expect(future[0]?.steps.join(' ')).toContain('bitte das Datum prüfen');
    expect(computeDeadlines([WIDERSPRUCH], { anliegen: ['BES'], eingang: '2026-03-10', dates: {} }, 'BUND')).toEqual(
      [],
    );
  });

  it('holidays are those of the configured Land (Reformationstag in Brandenburg, not in Bavaria)', () => {
    const { months: _none, ...rest } = AUSKUNFT;
    const rule: DeadlineRule = { ...rest, days: 1 };
    // Reformationstag 31.10.2025 is a Friday: received Thu 30.10. + 1 day → BB moves to Mon 3.11., BY keeps Fri 31.10.
    const bb = computeDeadlines([rule], { anliegen: ['AUS'], eingang: '2025-10-30', dates: {} }, 'BB');
    const by = computeDeadlines([rule], { anliegen: ['AUS'], eingang: '2025-10-30', dates: {} }, 'BY');
    expect(bb[0]?.end).toBe('2025-11-03');
    expect(by[0]?.end).toBe('2025-10-31');
  });
});

describe('Posteingang routing table', () => {
  const table: RoutingTable = {
    codeList: 'urn:test:units',
    fallback: 'POST',
    postfaecher: { SOZ: 'sozial@example.org' },
    rules: [
      { name: 'datenschutz', unit: 'DS', anliegen: ['AUS'], keywords: ['DSGVO'] },
      { name: 'sozial', unit: 'SOZ', keywords: ['Wohngeld', 'Grundsicherung'], aktenzeichen: ['WG-'] },
      { name: 'kasse', unit: 'KASSE', keywords: ['Mahnung', 'Wohngeld'] },
    ],
  };
  const name = (code: string): string | undefined => ({ SOZ: 'Sozialamt', KASSE: 'Stadtkasse' })[code];

  it('proposes the unit whose keywords the text holds, with the rule and its mailbox', () => {
    const r = route(table, { text: 'Widerspruch gegen den Wohngeldbescheid', anliegen: ['WID'], references: [] }, name);
    expect(r).toEqual({ unit: 'SOZ', postfach: 'sozial@example.org', rule: 'sozial', matched: ['Wohngeld'] });
  });

  it("an Aktenzeichen of the unit's shape outweighs a word of another", () => {
    const r = route(table, { text: 'Mahnung zum Bescheid', anliegen: ['ZAH'], references: ['WG-2026-04711'] }, name);
    expect(r.unit).toBe('SOZ');
    expect(r.matched).toContain('WG-2026-04711');
  });

  it('a rule with an Anliegen condition applies only to such requests; nothing matched → the fallback', () => {
    expect(route(table, { text: 'Frage zur DSGVO', anliegen: ['SON'], references: [] }, name).unit).toBe('POST');
    expect(route(table, { text: 'Auskunft nach DSGVO', anliegen: ['AUS'], references: [] }, name).unit).toBe('DS');
    expect(route(table, { text: 'Eine Bank am Weiher', anliegen: ['SON'], references: [] }, name)).toEqual({
      unit: 'POST',
      rule: 'fallback',
      matched: [],
    });
  });
});

describe('Posteingang receipt letter', () => {
  it('leaves out lines whose placeholders are all empty', () => {
    const text = renderLetter('Betreff: {{betreff}}\nIhr Zeichen: {{az}}\nFrist: {{f.ende}}\n\n\n\nGruß', {
      betreff: 'Widerspruch',
      az: '',
      f: { ende: '16.12.2026' },
    });
    expect(text).toBe('Betreff: Widerspruch\nFrist: 16.12.2026\n\nGruß\n');
  });
});

function finding(name: string, partial: Partial<Finding>): Finding {
  return {
    partId: 'p1',
    task: 'extract',
    name,
    analyser: 'rules',
    provider: 'rules',
    model: 'rules',
    promptVersion: 'rules',
    inputHash: 'x',
    aiGenerated: false,
    reviewReasons: [],
    durationMs: 1,
    ...partial,
  };
}

describe('Posteingang proposal from findings, and a reviewer changing it', () => {
  it('proposes Anliegen, the deadline from the extracted Bescheid date, the unit and a draft letter; edits follow', async () => {
    const profiles = await loadRequestProfiles(fromRoot('xoev-schemas'), () => undefined);
    const profile = profiles.get(POSTEINGANG);
    if (profile === undefined) throw new Error('profile not loaded');
    const text =
      'Betreff: Widerspruch Wohngeldbescheid\n\nhiermit lege ich Widerspruch gegen Ihren Wohngeldbescheid vom 12.11.2026 ein.';
    const anliegen = profile.codeList('urn:xoev-ai-gateway:codeliste:anliegen')?.labels() ?? [];
    const wid = anliegen.find((l) => l.code === 'WID');
    if (wid === undefined) throw new Error('no WID');
    const result: JobResult = {
      parts: [{ id: 'p1', kind: 'text', path: '/text', element: 'text', text }],
      findings: [
        finding('anliegen', {
          task: 'classify',
          classification: { labels: [wid], confidence: 0.8, rationale: 'WID (Widerspruch): Widerspruch' },
        }),
        finding('angaben', {
          extraction: {
            data: { bescheiddatum: '2026-11-12', absender: 'Erika Musterfrau', aktenzeichen: ['WG-2026-04711'] },
            values: [
              {
                field: 'bescheiddatum',
                value: '2026-11-12',
                evidence: { quote: '12.11.2026', start: 94, end: 104 },
                grounded: true,
                confidence: 0.85,
              },
            ],
          },
        }),
      ],
      usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
      reviewReasons: [],
      useCase: { name: POSTEINGANG, eingang: '2026-11-30' },
    };
    const proposal = profile.propose(result, { jobId: 'j1', eingang: '2026-11-30' });
    expect(proposal.items.map((i) => i.id)).toEqual(['anliegen:WID', 'deadline:widerspruch', 'routing', 'receipt']);
    expect(proposal.facts).toMatchObject({ anliegen: 'WID', zustaendig: 'SOZIALAMT', frist: '2026-12-16' });
    const deadline = proposal.items.find((i) => i.kind === 'deadline');
    expect(deadline?.evidence[0]).toEqual({ partId: 'p1', field: 'bescheiddatum', quote: '12.11.2026' });
    const draft = proposal.items.find((i) => i.kind === 'receipt')?.text ?? '';
    expect(draft).toContain('Guten Tag Erika Musterfrau,');
    expect(draft).toContain('Ihr Zeichen: WG-2026-04711');
    expect(draft).toContain('Zuständig: Sozialamt');
    expect(draft).not.toContain('{{');

    const useCases = createUseCases({ check: () => undefined }, 'test', { requestProfiles: profiles });
    const edited = useCases.edit(proposal, [
      { item: 'routing', code: 'STADTKASSE' },
      { item: 'deadline:widerspruch', drop: true },
    ]);
    expect(edited.facts).toMatchObject({ zustaendig: 'STADTKASSE' });
    expect(edited.facts.frist).toBeUndefined();
    expect(edited.items.find((i) => i.kind === 'routing')?.postfach).toBe('stadtkasse@lindenfurt.example');
    expect(edited.items.find((i) => i.kind === 'receipt')?.text).toContain('Zuständig: Stadtkasse');
    // The Anliegen changed to an Auskunft: the Widerspruchsfrist goes with the Widerspruch.
    const recoded = useCases.edit(proposal, [{ item: 'anliegen:WID', code: 'BES' }]);
    expect(recoded.items.find((i) => i.kind === 'deadline')?.dropped).toBe(true);
    expect(recoded.facts.frist).toBeUndefined();
    const own = useCases.edit(edited, [{ item: 'receipt', text: 'Sehr geehrte Frau Musterfrau,\n\ndanke.' }]);
    const reply = useCases.reply('j1', { ...result, proposal: own });
    expect(reply).toMatchObject({
      messageType: 'eingangsbestaetigung',
      text: 'Sehr geehrte Frau Musterfrau,\n\ndanke.\n',
    });
    expect(reply?.xml).toBeUndefined();

    for (const bad of [
      [{ item: 'routing', drop: true }],
      [{ item: 'receipt', drop: true }],
      [{ item: 'routing', code: 'NOPE' }],
      [{ item: 'anliegen:WID', text: 'frei' }],
      [{ item: 'deadline:widerspruch', code: 'WID' }],
      [{ item: 'receipt', text: 'a\u0000b' }],
    ])
      expect(() => useCases.edit(proposal, bad)).toThrow(
        expect.objectContaining({ code: 'XGW_REVIEW_CORRECTION_INVALID' }),
      );
  });
});

describe('Posteingang files are checked at start-up', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'posteingang-'));
    await cp(FOLDER, dir, { recursive: true });
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  const broken = async (file: string, change: (v: Record<string, unknown>) => void): Promise<unknown> => {
    const path = join(dir, file);
    const value = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    change(value);
    await writeFile(path, JSON.stringify(value));
    return loadPosteingang(dir, () => undefined).then(
      () => undefined,
      (e: unknown) => e,
    );
  };

  it('the shipped folder loads', async () => {
    const loaded = await loadPosteingang(dir, () => undefined);
    expect(
      createPosteingang(loaded)
        .tasks()
        .map((t) => t.name),
    ).toEqual(['anliegen', 'angaben', 'zusammenfassung']);
  });

  it.each([
    ['rules/zustaendigkeit.json', (v: Record<string, unknown>) => Object.assign(v, { fallback: 'NOPE' }), '/fallback'],
    [
      'rules/fristen.json',
      (v: Record<string, unknown>) => Object.assign(v, { rules: [{ ...WIDERSPRUCH, from: 'kein_feld' }] }),
      '/rules/0/from',
    ],
    [
      'rules/anliegen.json',
      (v: Record<string, unknown>) => Object.assign(v, { keywords: { XYZ: ['a'] } }),
      '/keywords/XYZ',
    ],
    ['usecase.json', (v: Record<string, unknown>) => Object.assign(v, { extra: 1 }), '/'],
  ])('%s broken → XGW_CONFIG_INVALID naming the field', async (file, change, field) => {
    const error = await broken(file, change);
    expect(isAppError(error) && error.code).toBe('XGW_CONFIG_INVALID');
    expect(isAppError(error) ? error.detail : '').toContain(field === '/' ? 'invalid use case' : field);
  });
});
