/**
 * The use cases that answer a message in its standard's own message type (issue #15): a check over
 * the message's records and the analysis' findings proposes a reply; a person decides; the reply is
 * built from a template the profile declares. These shapes are stored in job results.
 */

/** Elements of a message read as rows of named fields (profile `records`), e.g. every `anlage` of an XBau 0200. */
export interface RecordDeclaration {
  name: string;
  /** Path suffixes (local names joined by `/`) of the elements that are rows. */
  match: string[];
  /** Field name → path relative to the row element (`anlageart/code`, `@id`, `.`). */
  fields: Record<string, string>;
}

/** One row of a record: the element's local name and path, its fields, and the parts found inside it. */
export interface MessageRecord {
  record: string;
  element: string;
  path: string;
  fields: Record<string, string>;
  /** Parts (text or attachment) inside this element and no nested row: the text a model may classify. */
  partIds: string[];
  /** Index (in the message's records) of the row this one is nested in (a Vorgang's Akte). */
  parent?: number;
}

/** Which check a profile runs and on what: its rows, the classify task whose findings it reads, its rules. */
export interface CheckDeclaration {
  kind: 'completeness' | 'appraisal';
  /** The record whose rows are checked (attachments, Schriftgutobjekte). */
  records: string;
  /** A one-row record whose fields select the rules (Verfahrensart, Vorhaben), where the rules ask. */
  context?: string;
  /** The profile's classify task whose findings (rules or model) stand in where a row declares no code. */
  classification?: string;
  /** The rules file, relative to the profile. */
  rules: string;
}

/** What a profile's reply is: the message type and its template (relative to the profile). */
export interface ReplyDeclaration {
  messageType: string;
  template: string;
}

/** A document an application must carry: one of the codes suffices. */
export interface RequiredDocument {
  name: string;
  codes: string[];
  /** Legal basis as text (`§ 7 MBauVorlV`), quoted in the Befund. */
  basis: string;
}

/** Completeness rules: per kind of procedure or Vorhaben, the documents required; the deadline. */
export interface CompletenessRules {
  /** Days from the check to the deadline for handing in what is missing (moved off weekends). */
  deadlineDays: number;
  /** The first set whose `when` holds (or that has none) applies. */
  requirementSets: Array<{
    name: string;
    when?: { field: string; in: string[] };
    documents: RequiredDocument[];
  }>;
}

/** One rule of an archive's Bewertungskatalog: every condition given must hold; the first rule that holds decides. */
export interface AppraisalRule {
  name: string;
  /** Code of the Bewertungsvorschlag list (`A` archivwürdig, `V` vernichten). */
  code: string;
  /** Why, as the archivist reads it. */
  basis: string;
  /** Aktenplan prefixes (`63`) or ranges (`00.10-00.19`) matched against the row's `aktenplan` (else `kennzeichen`). */
  aktenplan?: string[];
  /** Words of which one must start a word of the row's `betreff` or `inhalt` (case-insensitive). */
  keywords?: string[];
  /** The row's Laufzeit ended before this date (ISO). */
  endedBefore?: string;
  /** Only rows of these element names (`Akte`, `Vorgang`, `Dokument`). */
  objects?: string[];
}

export interface AppraisalRules {
  /** The code list the proposals come from (a catalog list, e.g. urn:xoev-de:xdomea:codeliste:bewertungsvorschlag). */
  codeList: string;
  rules: AppraisalRule[];
  /** What a row gets that no rule decides and no model classified; the reviewer sees it as such. */
  undecided: string;
}

/** Evidence of a proposal item: which attachment or object, which rule, which text. */
export interface ProposalEvidence {
  partId?: string;
  rule?: string;
  field?: string;
  quote?: string;
}

export const PROPOSAL_ITEM_KINDS = [
  'missing',
  'unreadable',
  'unclassified',
  'appraisal',
  'anliegen',
  'deadline',
  'routing',
  'receipt',
] as const;
export type ProposalItemKind = (typeof PROPOSAL_ITEM_KINDS)[number];

/**
 * A period computed from a request (Posteingang): from what, to when, on what legal basis, every
 * step shown; or, without a start date in the request, why there is no end (never a guessed date).
 */
export interface ComputedDeadline {
  rule: string;
  title: string;
  basis: string;
  /** `eingang` or the extracted field the period starts from. */
  from: string;
  fromLabel: string;
  /** The start date as given (ISO), when known. */
  fromDate?: string;
  /** The end of the period (ISO), when the start is known. */
  end?: string;
  steps: string[];
  /** Why no end was computed (the start date is not in the request). */
  unknown?: string;
  /** For a period that runs before the request (Widerspruchsfrist): did the request arrive in time? */
  timely?: boolean;
}

/** One proposed entry of the reply: a Befund of the formal check, or an appraisal of one Schriftgutobjekt. */
export interface ProposalItem {
  /** Stable within the job: `missing:Lageplan`, `unreadable:p3`, `object:<uuid>`. */
  id: string;
  kind: ProposalItemKind;
  /** The code the reply carries (Anlagen code of a missing document, A/V of an appraisal). */
  code?: { code: string; name?: string; listURI?: string; listVersionID?: string };
  /** What the reply says (Befund text, appraisal reasons), in German. */
  text: string;
  /** The object a row stands for (xdomea ID) and its element name. */
  objectId?: string;
  objectKind?: string;
  evidence: ProposalEvidence[];
  /** `rules`, or the provider and model that classified it. */
  source: string;
  /** A deadline item's computation (Posteingang). */
  deadline?: ComputedDeadline;
  /** A routing item's mailbox (Posteingang). */
  postfach?: string;
  /** EU AI Act Art. 50: a draft the machine wrote (the Eingangsbestätigung) is marked until a person decided. */
  aiGenerated?: boolean;
  /** A reviewer dropped it: it stays visible, it is not in the reply. */
  dropped?: boolean;
  /** A reviewer changed it. */
  edited?: boolean;
}

/** What a check proposes: the items, and the facts of the reply (antragVollstaendig, frist). */
export interface ReplyProposal {
  /** The check that proposed it; `posteingang` for a citizen's request (its reply is an Eingangsbestätigung). */
  check: CheckDeclaration['kind'] | 'posteingang';
  /** The request profile that proposed it (Posteingang), so edits and the letter use its lists and template. */
  useCase?: string;
  /** The reply's message type. */
  replyType: string;
  items: ProposalItem[];
  facts: Record<string, string | boolean>;
}

/**
 * The reply once a person decided: the XML (validated against the standard's XSD) and its id; for
 * a citizen's request (Posteingang) a letter as plain text instead.
 */
export interface ReplyMessage {
  messageType: string;
  messageId: string;
  createdAt: string;
  xml?: string;
  text?: string;
}
