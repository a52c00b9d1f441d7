import type { Label } from '../jobs/finding.js';
import type { CheckInput } from './completeness.check.js';
import type {
  AppraisalRule,
  AppraisalRules,
  MessageRecord,
  ProposalItem,
  ReplyProposal,
} from '../jobs/reply-proposal.js';

/** Whether an Aktenplan mark (`63.10.02`) falls under a prefix (`63`) or a range (`00.10-00.19`). */
function inAktenplan(mark: string, entry: string): boolean {
  const range = /^(.+?)-(.+)$/.exec(entry);
  if (range === null) return mark === entry || mark.startsWith(entry);
  const [, from = '', to = ''] = range;
  const head = mark.slice(0, Math.max(from.length, to.length));
  return head >= from && head <= to;
}

/**
 * The first word of `text` a keyword starts or ends, or undefined: German compounds put the
 * keyword at either end (`Reisekostenabrechnung`, `Städtepartnerschaft`, `Kassenanordnungen`).
 */
function keywordIn(text: string, keywords: readonly string[]): string | undefined {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const k of keywords) {
    const key = k.toLowerCase();
    const hit = words.find(
      (w) =>
        w.startsWith(key) || (/^(?:|e|en|n|s|es)$/.test(w.slice(w.lastIndexOf(key) + key.length)) && w.includes(key)),
    );
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** Why a rule holds for a row (its evidence), or undefined when a condition fails. */
function ruleHolds(rule: AppraisalRule, row: MessageRecord): ProposalItem['evidence'] | undefined {
  const evidence: ProposalItem['evidence'] = [];
  if (rule.objects !== undefined && !rule.objects.includes(row.element)) return undefined;
  if (rule.aktenplan !== undefined) {
    const field = row.fields.aktenplan === undefined ? 'kennzeichen' : 'aktenplan';
    const mark = row.fields[field];
    if (mark === undefined || !rule.aktenplan.some((e) => inAktenplan(mark, e))) return undefined;
    evidence.push({ rule: rule.name, field, quote: mark });
  }
  if (rule.keywords !== undefined) {
    const field = ['betreff', 'inhalt'].find((f) => {
      const text = row.fields[f];
      return text !== undefined && keywordIn(text, rule.keywords ?? []) !== undefined;
    });
    if (field === undefined) return undefined;
    evidence.push({ rule: rule.name, field, quote: row.fields[field] ?? '' });
  }
  if (rule.endedBefore !== undefined) {
    const end = row.fields.ende;
    if (end === undefined || !(end < rule.endedBefore)) return undefined;
    evidence.push({ rule: rule.name, field: 'ende', quote: end });
  }
  return evidence.length > 0 ? evidence : [{ rule: rule.name }];
}

/**
 * Bewertungsvorschlag: for each offered Schriftgutobjekt, the archive's catalog decides (first rule
 * that holds); what no rule decides, the classify task's finding (a model, where one is configured)
 * does; what remains gets the profile's `undecided` code, said as such. Archivists decide in review.
 */
export function proposeAppraisal(input: CheckInput, rules: AppraisalRules): ReplyProposal {
  const byCode = new Map(input.labels.map((l) => [l.code, l]));
  const codeOf = (code: string): NonNullable<ProposalItem['code']> => {
    const l: Label | undefined = byCode.get(code);
    return {
      code,
      ...(l?.name === undefined ? {} : { name: l.name }),
      ...(l?.listURI === undefined ? {} : { listURI: l.listURI }),
      ...(l?.listVersionID === undefined ? {} : { listVersionID: l.listVersionID }),
    };
  };
  const items: ProposalItem[] = [];
  // The proposal per row, by the row's index in the records: a nested row without a rule of its own follows its parent's.
  const byRow = new Map<number, ProposalItem>();
  for (const [index, row] of input.records.entries()) {
    if (row.record !== input.check.records) continue;
    const id = row.fields.id;
    if (id === undefined) continue;
    const base = { id: `object:${id}`, kind: 'appraisal' as const, objectId: id, objectKind: row.element };
    const title = row.fields.betreff === undefined ? row.element : `${row.element} «${row.fields.betreff}»`;
    let decided = false;
    for (const rule of rules.rules) {
      const evidence = ruleHolds(rule, row);
      if (evidence === undefined) continue;
      const item: ProposalItem = {
        ...base,
        code: codeOf(rule.code),
        text: `${title}: ${rule.basis}`,
        evidence,
        source: 'rules',
      };
      items.push(item);
      byRow.set(index, item);
      decided = true;
      break;
    }
    if (decided) continue;
    const parent = row.parent === undefined ? undefined : byRow.get(row.parent);
    if (parent?.code !== undefined && parent.source === 'rules' && parent.evidence[0]?.rule !== 'undecided') {
      const item: ProposalItem = {
        ...base,
        code: parent.code,
        text: `${title}: wie das übergeordnete Objekt (${parent.objectKind ?? ''} ${parent.objectId ?? ''}).`,
        evidence: [{ rule: `übergeordnet: ${parent.evidence[0]?.rule ?? ''}` }],
        source: 'rules',
      };
      items.push(item);
      byRow.set(index, item);
      continue;
    }
    const finding = input.findings.find(
      (f) => f.name === input.check.classification && row.partIds.includes(f.partId) && f.analyser !== 'rules',
    );
    const label = finding?.classification?.labels[0];
    if (finding !== undefined && label !== undefined && byCode.has(label.code)) {
      items.push({
        ...base,
        code: codeOf(label.code),
        text: `${title}: ${finding.classification?.rationale ?? 'vom Modell vorgeschlagen'}`,
        evidence: [{ partId: finding.partId, rule: `Modell ${finding.model}` }],
        source: `${finding.provider}/${finding.model}`,
      });
      continue;
    }
    items.push({
      ...base,
      code: codeOf(rules.undecided),
      text: `${title}: Keine Regel des Bewertungskatalogs greift; Vorschlag nach Profil, bitte prüfen.`,
      evidence: [{ rule: 'undecided' }],
      source: 'rules',
    });
  }
  const undecided = items.filter((i) => i.evidence[0]?.rule === 'undecided').length;
  return {
    check: 'appraisal',
    replyType: input.replyType,
    items,
    facts: { objekte: String(items.length), ohneRegel: String(undecided) },
  };
}
