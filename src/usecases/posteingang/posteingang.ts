import type { Finding, Label } from '../../jobs/finding.js';
import type { JobResult, PlannedTask } from '../../jobs/job-record.js';
import type { ProposalEvidence, ProposalItem, ReplyProposal } from '../../jobs/reply-proposal.js';
import type { CodeList } from '../../xoev/code-lists.js';
import type { HolidayRegion } from '../deadline.js';
import { computeDeadlines, describeDeadline, germanDate } from './deadlines.js';
import { loadPosteingang, type LoadedPosteingang } from './posteingang-rules.js';
import { findDescriptorFolders } from '../../xoev/catalog-loader.js';
import { AppError } from '../../errors/app-error.js';
import { renderLetter } from './receipt.js';
import { route } from './routing.js';

/** The use case's name: `POST /v1/jobs` `{"profile": "posteingang"}`, and what every e-mail gets. */
export const POSTEINGANG = 'posteingang';

/** The names of the use case's tasks, as findings and deliveries carry them. */
export const POSTEINGANG_TASKS = {
  anliegen: 'anliegen',
  angaben: 'angaben',
  zusammenfassung: 'zusammenfassung',
} as const;

/** The message type of the use case's reply: a letter, not an XÖV message. */
export const RECEIPT_TYPE = 'eingangsbestaetigung';

/** Where and when a request arrived: what the deadlines and the letter need besides the findings. */
export interface RequestContext {
  jobId: string;
  /** ISO date of receipt (the authority's calendar). */
  eingang: string;
}

/** The Posteingang use case over its loaded files. */
export interface Posteingang {
  readonly loaded: LoadedPosteingang;
  /** Its code lists (Anliegen, units), for labels and reviewers' code changes. */
  codeList(listURI: string): CodeList | undefined;
  /** The three tasks of a request: Anliegen (several possible), the extraction, the cited summary. */
  tasks(): { name: string; task: PlannedTask['task'] }[];
  /** Anliegen, deadlines, routing and the draft Eingangsbestätigung, from the findings. */
  propose(result: JobResult, context: RequestContext): ReplyProposal;
  /** The letter for a decided proposal: a reviewer's own text if they wrote one, else the template filled anew. */
  letter(proposal: ReplyProposal): string;
}

function labelsWithKeywords(list: CodeList | undefined, keywords: Readonly<Record<string, string[]>>): Label[] {
  return (list?.labels() ?? []).map((l) => {
    const words = keywords[l.code];
    return {
      code: l.code,
      name: l.name,
      listURI: l.listURI,
      listVersionID: l.listVersionID,
      ...(words ? { keywords: words } : {}),
    };
  });
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The first value of a field over the findings of a task, with where it was found. */
function fieldValue(findings: readonly Finding[], field: string): { value: unknown; evidence?: ProposalEvidence } {
  for (const f of findings) {
    const value = f.extraction?.data[field];
    if (value === undefined) continue;
    const v = f.extraction?.values.find((x) => x.field === field);
    const quote = v?.evidence?.quote;
    return { value, ...(quote === undefined ? {} : { evidence: { partId: f.partId, field, quote } }) };
  }
  return { value: undefined };
}

/** The `Betreff:` line of a mail or form, if the request has one: the letter answers under it. */
function subjectOf(text: string): string | undefined {
  const m = /^(?:Betreff|Subject|Anliegen)\s*:[ \t]*([^\n]{1,200})$/im.exec(text.slice(0, 5000));
  const subject = m?.[1]?.trim();
  return subject === undefined || subject === '' ? undefined : subject;
}

const source = (f: Finding | undefined): string =>
  f === undefined ? 'rules' : f.provider === 'rules' ? 'rules' : `${f.provider}/${f.model}`;

export function createPosteingang(loaded: LoadedPosteingang, region: HolidayRegion = 'BUND'): Posteingang {
  const lists = new Map(loaded.codeLists.map((c) => [c.listURI, c]));
  const anliegenList = lists.get(loaded.anliegen.codeList);
  const unitList = lists.get(loaded.routing.codeList);
  const anliegenLabels = labelsWithKeywords(anliegenList, loaded.anliegen.keywords);
  const nameIn = (list: CodeList | undefined, code: string): string | undefined =>
    list?.entries.find((e) => e.code === code)?.name;
  const codeOf = (list: CodeList | undefined, code: string): NonNullable<ProposalItem['code']> => ({
    code,
    ...(nameIn(list, code) === undefined ? {} : { name: nameIn(list, code) }),
    ...(list === undefined ? {} : { listURI: list.listURI, listVersionID: list.listVersionID }),
  });

  const letter = (proposal: ReplyProposal): string => {
    const kept = proposal.items.filter((i) => i.dropped !== true);
    const own = kept.find((i) => i.kind === 'receipt' && i.edited === true);
    if (own !== undefined) return own.text.endsWith('\n') ? own.text : `${own.text}\n`;
    const f = proposal.facts;
    const fact = (k: string): string => (typeof f[k] === 'string' ? String(f[k]) : '');
    const unit = kept.find((i) => i.kind === 'routing')?.code;
    const anliegen = kept.filter((i) => i.kind === 'anliegen').map((i) => i.code?.name ?? i.text);
    const fristen = kept
      .flatMap((i) => {
        const d = i.deadline;
        const rule = loaded.deadlines.find((r) => r.name === d?.rule);
        return d?.end === undefined || rule?.receiptText === undefined
          ? []
          : [rule.receiptText.replaceAll('{{ende}}', germanDate(d.end))];
      })
      .join('\n');
    return renderLetter(loaded.receiptTemplate, {
      betreff: fact('betreff') || anliegen.join(', '),
      anrede: fact('absender') === '' ? 'Sehr geehrte Damen und Herren,' : `Guten Tag ${fact('absender')},`,
      eingang: fact('eingang') === '' ? '' : germanDate(fact('eingang')),
      vorgang: fact('vorgang'),
      anliegen: anliegen.join(', '),
      aktenzeichen: fact('aktenzeichen'),
      kassenzeichen: fact('kassenzeichen'),
      zustaendig: unit?.name ?? unit?.code ?? '',
      fristen,
      absenderBehoerde: loaded.descriptor.receipt.authority,
    });
  };

  return {
    loaded,
    codeList: (uri) => lists.get(uri),
    tasks() {
      const classify: PlannedTask['task'] = { kind: 'classify', labels: anliegenLabels, multi: true };
      const extract: PlannedTask['task'] = { kind: 'extract', schema: loaded.schema };
      const summarise: PlannedTask['task'] = {
        kind: 'summarise',
        maxSentences: loaded.descriptor.summary?.maxSentences ?? 3,
      };
      return [
        { task: classify, name: POSTEINGANG_TASKS.anliegen },
        { task: extract, name: POSTEINGANG_TASKS.angaben },
        { task: summarise, name: POSTEINGANG_TASKS.zusammenfassung },
      ];
    },
    propose(result, context) {
      const named = (name: string): Finding[] => result.findings.filter((f) => f.name === name);
      const classified = named(POSTEINGANG_TASKS.anliegen);
      const extracted = named(POSTEINGANG_TASKS.angaben);
      const items: ProposalItem[] = [];
      const codes: string[] = [];
      for (const f of classified)
        for (const l of f.classification?.labels ?? []) {
          if (codes.includes(l.code)) continue;
          codes.push(l.code);
          items.push({
            id: `anliegen:${l.code}`,
            kind: 'anliegen',
            code: codeOf(anliegenList, l.code),
            text: nameIn(anliegenList, l.code) ?? l.name,
            evidence: [{ partId: f.partId, rule: f.classification?.rationale ?? '' }],
            source: source(f),
          });
        }
      // A mention is not an Anliegen: what a stronger Anliegen outranks is dropped, with the reason kept.
      const outranks = loaded.anliegen.outranks ?? {};
      for (const code of [...codes]) {
        const by = codes.find((c) => c !== code && (outranks[c] ?? []).includes(code));
        if (by === undefined) continue;
        codes.splice(codes.indexOf(code), 1);
        const item = items.find((i) => i.id === `anliegen:${code}`);
        if (item !== undefined) items.splice(items.indexOf(item), 1);
      }
      if (codes.length === 0) {
        // Nothing the keywords or the model recognised: Sonstiges, for a person to look at.
        const fallback = loaded.anliegen.fallback;
        codes.push(fallback);
        items.push({
          id: `anliegen:${fallback}`,
          kind: 'anliegen',
          code: codeOf(anliegenList, fallback),
          text: nameIn(anliegenList, fallback) ?? fallback,
          evidence: [{ rule: 'fallback' }],
          source: source(classified[0]),
        });
      }
      const dates: Record<string, unknown> = {};
      const evidenceOf: Record<string, ProposalEvidence | undefined> = {};
      for (const rule of loaded.deadlines) {
        if (rule.from === 'eingang') continue;
        const found = fieldValue(extracted, rule.from);
        dates[rule.from] = found.value;
        evidenceOf[rule.from] = found.evidence;
      }
      for (const d of computeDeadlines(
        loaded.deadlines,
        { anliegen: codes, eingang: context.eingang, dates },
        region,
      )) {
        const evidence = evidenceOf[d.from];
        items.push({
          id: `deadline:${d.rule}`,
          kind: 'deadline',
          text: describeDeadline(d),
          deadline: d,
          evidence: [evidence ?? { rule: d.rule }],
          source: 'rules',
        });
      }
      const kassenzeichen = strings(fieldValue(extracted, 'kassenzeichen').value);
      // A Kassenzeichen is often read as an Aktenzeichen too: named once, as what it is.
      const aktenzeichen = strings(fieldValue(extracted, 'aktenzeichen').value).filter(
        (a) => !kassenzeichen.includes(a),
      );
      const text = result.parts.map((p) => p.text ?? '').join('\n');
      const routing = route(
        loaded.routing,
        { text, anliegen: codes, references: [...aktenzeichen, ...kassenzeichen] },
        (code) => nameIn(unitList, code),
      );
      items.push({
        id: 'routing',
        kind: 'routing',
        code: codeOf(unitList, routing.unit),
        text:
          routing.rule === 'fallback'
            ? `${nameIn(unitList, routing.unit) ?? routing.unit}: keine Regel der Zuständigkeitstabelle trifft zu`
            : `${nameIn(unitList, routing.unit) ?? routing.unit}: Regel „${routing.rule}“ (${routing.matched.join(', ')})`,
        ...(routing.postfach === undefined ? {} : { postfach: routing.postfach }),
        evidence: [
          { rule: routing.rule, ...(routing.matched.length > 0 ? { quote: routing.matched.join(', ') } : {}) },
        ],
        source: 'rules',
      });
      const absender = fieldValue(extracted, 'absender').value;
      const betreff = subjectOf(text);
      const facts: ReplyProposal['facts'] = {
        anliegen: codes.join(' '),
        zustaendig: routing.unit,
        eingang: context.eingang,
        vorgang: context.jobId,
        ...(typeof absender === 'string' ? { absender } : {}),
        ...(betreff === undefined ? {} : { betreff }),
        ...(aktenzeichen.length > 0 ? { aktenzeichen: aktenzeichen.join(', ') } : {}),
        ...(kassenzeichen.length > 0 ? { kassenzeichen: kassenzeichen.join(', ') } : {}),
      };
      const ends = items.flatMap((i) => (i.deadline?.end === undefined ? [] : [i.deadline.end])).sort();
      if (ends[0] !== undefined) facts.frist = ends[0];
      if (items.some((i) => i.deadline?.unknown !== undefined)) facts.fristUnbekannt = true;
      const proposal: ReplyProposal = {
        check: 'posteingang',
        useCase: loaded.descriptor.useCase,
        replyType: RECEIPT_TYPE,
        items,
        facts,
      };
      // The draft the reviewer reads: AI-generated until a person accepts it (EU AI Act Art. 50).
      items.push({
        id: 'receipt',
        kind: 'receipt',
        text: letter(proposal),
        evidence: [],
        source: 'template',
        aiGenerated: true,
      });
      return proposal;
    },
    letter,
  };
}

/** Every request profile of the catalog folder (`<name>/<version>/usecase.json`), by name. */
export async function loadRequestProfiles(
  root: string,
  catalogList: (listURI: string) => CodeList | undefined,
  region: HolidayRegion = 'BUND',
): Promise<Map<string, Posteingang>> {
  const out = new Map<string, Posteingang>();
  for (const folder of await findDescriptorFolders(root, 'usecase.json')) {
    const loaded = await loadPosteingang(folder, catalogList);
    if (out.has(loaded.descriptor.useCase))
      throw new AppError('XGW_CONFIG_INVALID', {
        detail: `${folder}/usecase.json: field /useCase: ${loaded.descriptor.useCase} is declared twice`,
        extensions: { file: `${folder}/usecase.json`, field: '/useCase' },
      });
    out.set(loaded.descriptor.useCase, createPosteingang(loaded, region));
  }
  return out;
}
