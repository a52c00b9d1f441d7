import { classifyByKeywords } from '../analysis/rules/keyword.classifier.js';
import type { Finding, Label } from '../jobs/finding.js';
import type { MessagePart } from '../jobs/message.js';
import { deadlineAfter, type HolidayRegion } from './deadline.js';
import type {
  CheckDeclaration,
  CompletenessRules,
  MessageRecord,
  ProposalItem,
  ReplyProposal,
  RequiredDocument,
} from '../jobs/reply-proposal.js';

/** What a check reads: the message's rows and parts, the analysis' findings, the code list, the time. */
export interface CheckInput {
  check: CheckDeclaration;
  replyType: string;
  records: readonly MessageRecord[];
  parts: readonly MessagePart[];
  findings: readonly Finding[];
  /** The labels of the code list the rows are classified into. */
  labels: readonly Label[];
  now: Date;
  /** Whose public holidays move a deadline (HOLIDAY_REGION). @defaultValue BUND */
  holidayRegion?: HolidayRegion;
}

/** Document states that mean "handed in, but nobody can read it". */
const UNREADABLE = new Set(['empty', 'unreadable', 'encrypted', 'unsupported', 'too_complex']);
const STATUS_TEXT: Record<string, string> = {
  empty: 'enthält keinen Text (leer oder nur ein Bild ohne Texterkennung)',
  unreadable: 'ist beschädigt und kann nicht geöffnet werden',
  encrypted: 'ist verschlüsselt oder kennwortgeschützt',
  unsupported: 'liegt in einem Format vor, das nicht gelesen werden kann',
  too_complex: 'überschreitet die Grenzen der Verarbeitung (Größe, Seiten, Zeit)',
};

interface Classified {
  row: MessageRecord;
  label?: Label;
  source: string;
  evidence: ProposalItem['evidence'];
}

/** A row's kind of document: its declared code, else the classify task's finding, else its name and file name. */
function classify(row: MessageRecord, input: CheckInput, byCode: ReadonlyMap<string, Label>): Classified {
  const declared = row.fields.code === undefined ? undefined : byCode.get(row.fields.code);
  if (declared !== undefined)
    return { row, label: declared, source: 'declared', evidence: [{ field: 'code', quote: declared.code }] };
  return inferred(row, input, byCode);
}

/** A row's kind as its classification or its name and file name say, whatever it declares. */
function inferred(row: MessageRecord, input: CheckInput, byCode: ReadonlyMap<string, Label>): Classified {
  const finding = input.findings.find(
    (f) => f.name === input.check.classification && row.partIds.includes(f.partId) && f.classification !== undefined,
  );
  const found = finding?.classification?.labels[0];
  if (finding !== undefined && found !== undefined)
    return {
      row,
      label: byCode.get(found.code) ?? found,
      source: finding.analyser === 'rules' ? 'rules' : `${finding.provider}/${finding.model}`,
      evidence: [{ partId: finding.partId, rule: finding.classification?.rationale ?? '' }],
    };
  const described = [row.fields.bezeichnung, row.fields.dateiname].filter((x) => x !== undefined).join(' ');
  const guess = described === '' ? undefined : classifyByKeywords(input.labels, described).labels[0];
  if (guess !== undefined)
    return {
      row,
      label: guess,
      source: 'rules',
      evidence: [{ field: 'bezeichnung', quote: described, rule: 'Bezeichnung und Dateiname' }],
    };
  return { row, source: 'rules', evidence: [{ field: 'bezeichnung', quote: described }] };
}

function codeOf(label: Label): NonNullable<ProposalItem['code']> {
  return {
    code: label.code,
    name: label.name,
    ...(label.listURI === undefined ? {} : { listURI: label.listURI }),
    ...(label.listVersionID === undefined ? {} : { listVersionID: label.listVersionID }),
  };
}

function describe(row: MessageRecord): string {
  const name = row.fields.bezeichnung ?? row.fields.dateiname ?? row.path;
  return row.fields.dateiname !== undefined && row.fields.dateiname !== name
    ? `«${name}» (${row.fields.dateiname})`
    : `«${name}»`;
}

/** The requirement set that applies: the first whose condition the context row meets, or that has none. */
function requirementSet(
  rules: CompletenessRules,
  context: MessageRecord | undefined,
): CompletenessRules['requirementSets'][number] | undefined {
  return rules.requirementSets.find(
    (s) => s.when === undefined || s.when.in.includes(context?.fields[s.when.field] ?? '\u0000'),
  );
}

/**
 * Vollständigkeitsprüfung: which required documents the application lacks, which attachments cannot
 * be read or cannot be assigned a kind. Proposes the Befunde of a formal-check reply (XBau 0201):
 * one per missing, unreadable or unclassifiable document, with a deadline; none means complete.
 */
export function checkCompleteness(input: CheckInput, rules: CompletenessRules): ReplyProposal {
  const byCode = new Map(input.labels.map((l) => [l.code, l]));
  const rows = input.records.filter((r) => r.record === input.check.records);
  const context = input.records.find((r) => r.record === input.check.context);
  const set = requirementSet(rules, context);
  const parts = new Map(input.parts.map((p) => [p.id, p]));
  const items: ProposalItem[] = [];
  const present = new Set<string>();
  let notChecked = 0;
  const required = new Set((set?.documents ?? []).flatMap((d) => d.codes));
  const classified = rows.map((row) => classify(row, input, byCode));
  for (const [i, c] of classified.entries()) {
    // A declared kind that no requirement asks for, on a document whose name or text says it is a
    // required one (a Lageplan declared as Schriftverkehr): taken as what it is, said in its evidence,
    // rather than asking the applicant for a document they handed in.
    if (c.source !== 'declared' || c.label === undefined || required.has(c.label.code)) continue;
    const other = inferred(c.row, input, byCode);
    if (other.label !== undefined && required.has(other.label.code))
      classified[i] = {
        ...other,
        evidence: [
          ...other.evidence,
          { field: 'code', quote: c.label.code, rule: `angegeben ${c.label.code}, gelesen als ${other.label.code}` },
        ],
      };
  }
  for (const c of classified) {
    const attachment = c.row.partIds.map((id) => parts.get(id)).find((p) => p?.kind === 'attachment');
    const status = attachment?.extraction?.status;
    if (attachment === undefined || status === undefined) notChecked++;
    if (status !== undefined && UNREADABLE.has(status) && attachment !== undefined) {
      items.push({
        id: `unreadable:${attachment.id}`,
        kind: 'unreadable',
        ...(c.label === undefined ? {} : { code: codeOf(c.label) }),
        text: `Die Anlage ${describe(c.row)} ${STATUS_TEXT[status] ?? 'kann nicht gelesen werden'}. Bitte reichen Sie sie lesbar erneut ein.`,
        evidence: [
          {
            partId: attachment.id,
            rule: `Lesbarkeit: ${status}`,
            ...(attachment.extraction?.detail === undefined ? {} : { quote: attachment.extraction.detail }),
          },
        ],
        source: 'rules',
      });
      // Its kind is handed in, if unreadably: one Befund (read it again), not a second (missing).
      if (c.label !== undefined) present.add(c.label.code);
      continue;
    }
    if (c.label === undefined) {
      items.push({
        id: `unclassified:${c.row.partIds[0] ?? c.row.path}`,
        kind: 'unclassified',
        text: `Die Anlage ${describe(c.row)} lässt sich keiner Art von Bauvorlage zuordnen. Bitte geben Sie die Art der Anlage an.`,
        evidence: c.evidence,
        source: c.source,
      });
      continue;
    }
    present.add(c.label.code);
  }
  for (const doc of set?.documents ?? []) {
    if (doc.codes.some((code) => present.has(code))) continue;
    items.push(missing(doc, byCode, set?.name ?? ''));
  }
  const complete = items.length === 0;
  return {
    check: 'completeness',
    replyType: input.replyType,
    items,
    facts: {
      antragVollstaendig: complete,
      anforderungen: set?.name ?? 'keine',
      ...(complete ? {} : { frist: deadlineAfter(input.now, rules.deadlineDays, input.holidayRegion) }),
      ...(notChecked > 0 ? { nichtGeprueft: String(notChecked) } : {}),
    },
  };
}

function missing(doc: RequiredDocument, byCode: ReadonlyMap<string, Label>, setName: string): ProposalItem {
  const label = byCode.get(doc.codes[0] ?? '');
  return {
    id: `missing:${doc.codes[0] ?? doc.name}`,
    kind: 'missing',
    ...(label === undefined ? {} : { code: codeOf(label) }),
    text: `Es fehlt: ${doc.name} (${doc.basis}). Bitte reichen Sie die Unterlage nach.`,
    evidence: [{ rule: `${setName}: ${doc.name}`, quote: doc.codes.join(', ') }],
    source: 'rules',
  };
}
