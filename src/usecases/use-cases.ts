import type { Label } from '../jobs/finding.js';
import type { JobResult, PreparedJob } from '../jobs/job-record.js';
import type { CodeList } from '../xoev/code-lists.js';
import type { Nachrichtenkopf } from '../jobs/message.js';
import type { LoadedProfile } from '../xoev/profile.js';
import { proposeAppraisal } from './appraisal.check.js';
import { type CheckInput, checkCompleteness } from './completeness.check.js';
import { buildReply } from './reply-builder.js';
import { deadlineAfter, type HolidayRegion } from './deadline.js';
import { AppError } from '../errors/app-error.js';
import type { ProposalItem, ReplyMessage, ReplyProposal } from '../jobs/reply-proposal.js';
import { randomUUID } from 'node:crypto';
import { RECEIPT_TYPE, type Posteingang } from './posteingang/posteingang.js';

/** A reviewer's change of one proposed item: drop it, or give it another code or text. */
export interface ProposalEdit {
  item: string;
  drop?: boolean;
  code?: string;
  text?: string;
}

/** What the use cases need from the catalog: profiles, code lists, the XSD check. */
export interface UseCaseCatalog {
  standards?(): { standard: string; version: string; profiles?: string[] }[];
  profile?(standard: string, version: string, messageType: string): LoadedProfile | undefined;
  codeList?(listURI: string): CodeList | undefined;
  check(body: Buffer, limits?: { maxBodyBytes?: number; maxElements?: number }): unknown;
}

/** The review reason every proposed reply carries: a person decides before the reply is final. */
export const REPLY_REVIEW_REASON = 'reply:proposal';

/** Proposes and builds replies for the message types whose profile declares a check and a reply. */
export interface UseCases {
  /** The proposal of the profile's check for an analysed message, or undefined when it has none. */
  propose(prepared: PreparedJob, result: JobResult, now?: Date): ReplyProposal | undefined;
  /** The proposal with a reviewer's edits applied (checked: known items, codes of their lists). Throws XGW_REVIEW_CORRECTION_INVALID. */
  edit(proposal: ReplyProposal, edits: readonly ProposalEdit[]): ReplyProposal;
  /**
   * Builds every declared reply once from a sample (an item of each kind, a full header) and checks
   * it against its XSD, so a broken template stops start-up (XGW_CONFIG_INVALID) instead of failing
   * the first job a person decided.
   */
  verifyTemplates(): void;
  /** The codes a proposal item's code may be changed to: its list's labels (XÖV or a request profile's). */
  codeLabels(listURI: string): Label[];
  /** The reply for a decided result, validated; undefined when the result has no proposal. Throws XGW_REPLY_INVALID. */
  reply(jobId: string, result: JobResult, now?: Date): ReplyMessage | undefined;
}

const ANLAGEN = 'urn:xoev-de:xbau:codeliste:anlagen';
/** Limits of the XSD check of a built reply: generous, it is ours (a 0502 answers every object of an offer). */
const REPLY_LIMITS = { maxBodyBytes: 256 * 1024 * 1024, maxElements: 10_000_000 };

export function createUseCases(
  catalog: UseCaseCatalog,
  gatewayVersion: string,
  options: { holidayRegion?: HolidayRegion; requestProfiles?: ReadonlyMap<string, Posteingang> } = {},
): UseCases {
  const requestProfile = (name: string | undefined): Posteingang | undefined =>
    name === undefined ? undefined : options.requestProfiles?.get(name);
  const requestLists = [...(options.requestProfiles?.values() ?? [])];
  const profileOf = (m: { standard?: string; version?: string; messageType?: string }): LoadedProfile | undefined =>
    m.standard === undefined || m.version === undefined || m.messageType === undefined
      ? undefined
      : catalog.profile?.(m.standard, m.version, m.messageType);
  // A code list's labels carry their listURI and listVersionID already (code-lists.ts).
  const labels = (listURI: string): Label[] =>
    (
      catalog.codeList?.(listURI) ?? requestLists.map((p) => p.codeList(listURI)).find((l) => l !== undefined)
    )?.labels() ?? [];
  return {
    propose(prepared, result, now = new Date()) {
      const request = requestProfile(prepared.useCase?.name);
      if (prepared.useCase !== undefined && request !== undefined)
        return request.propose(result, { jobId: prepared.useCase.jobId, eingang: prepared.useCase.eingang });
      const message = prepared.message;
      const profile = message === undefined ? undefined : profileOf(message);
      const check = profile?.check;
      const reply = profile?.reply;
      if (message === undefined || check === undefined || reply === undefined) return undefined;
      const base = {
        check,
        replyType: reply.messageType,
        records: message.records ?? [],
        parts: result.parts,
        findings: result.findings,
        now,
      };
      if (check.kind === 'completeness') {
        const input: CheckInput = {
          ...base,
          labels: labels(ANLAGEN),
          ...(options.holidayRegion === undefined ? {} : { holidayRegion: options.holidayRegion }),
        };
        return checkCompleteness(input, check.loaded);
      }
      return proposeAppraisal({ ...base, labels: labels(check.loaded.codeList) }, check.loaded);
    },
    edit(proposal, edits) {
      const items = proposal.items.map((i): ProposalItem => ({ ...i }));
      for (const [n, e] of edits.entries()) {
        const where = `/proposal/${n}`;
        const item = items.find((i) => i.id === e.item);
        if (item === undefined) throw editError(`no proposed item ${e.item}`, where);
        if (e.drop === true) {
          // An archive decides every object it was offered: an appraisal is changed, not dropped.
          if (item.kind === 'appraisal')
            throw editError('an appraisal is changed by its code (A or V), not dropped', `${where}/drop`);
          // A request always goes somewhere and is always acknowledged: changed, not dropped.
          if (item.kind === 'routing' || item.kind === 'receipt')
            throw editError(`the ${item.kind} item is changed, not dropped`, `${where}/drop`);
          item.dropped = true;
        }
        if (proposal.check === 'posteingang') {
          // The letter is the one text a reviewer writes; Anliegen and unit are codes of their lists.
          if (e.text !== undefined && item.kind !== 'receipt')
            throw editError('only the receipt letter takes a text; change Anliegen and unit by code', `${where}/text`);
          if (e.code !== undefined && item.kind !== 'anliegen' && item.kind !== 'routing')
            throw editError(`a ${item.kind} item has no code to change`, `${where}/code`);
        }
        if (e.text !== undefined) {
          // A letter is longer than a Befund: the receipt of a request takes up to 8000 characters.
          const max = item.kind === 'receipt' ? 8000 : 2000;
          if (e.text.trim() === '' || e.text.length > max)
            throw editError(`a text of 1 to ${max} characters`, `${where}/text`);
          // The text goes into an XML reply: characters XML 1.0 forbids (controls pasted from a PDF) cannot.
          if (/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(e.text))
            throw editError('characters that XML cannot carry (control characters)', `${where}/text`);
          item.text = e.text;
          item.edited = true;
        }
        if (e.code !== undefined) {
          const listURI = item.code?.listURI;
          const label = listURI === undefined ? undefined : labels(listURI).find((l) => l.code === e.code);
          if (label === undefined || listURI === undefined)
            throw editError(`${e.code} is not a code of the item's list ${listURI ?? '(none)'}`, `${where}/code`);
          item.code = {
            code: label.code,
            name: label.name,
            listURI,
            ...(label.listVersionID === undefined ? {} : { listVersionID: label.listVersionID }),
          };
          item.edited = true;
        }
      }
      const facts = { ...proposal.facts };
      const posteingang = requestProfile(proposal.useCase);
      if (proposal.check === 'posteingang') {
        const codes = items.flatMap((i) =>
          i.kind === 'anliegen' && i.dropped !== true && i.code ? [i.code.code] : [],
        );
        // A deadline whose Anliegen the reviewer took away goes with it (no Auskunft promised for a dropped AUS).
        for (const i of items) {
          const rule = posteingang?.loaded.deadlines.find((r) => r.name === i.deadline?.rule);
          if (i.kind === 'deadline' && rule !== undefined && !rule.anliegen.some((a) => codes.includes(a)))
            i.dropped = true;
        }
        const kept = items.filter((i) => i.dropped !== true);
        facts.anliegen = codes.join(' ');
        if (kept.some((i) => i.deadline?.unknown !== undefined)) facts.fristUnbekannt = true;
        else delete facts.fristUnbekannt;
        const unit = kept.find((i) => i.kind === 'routing');
        if (unit?.code !== undefined) {
          facts.zustaendig = unit.code.code;
          const postfach = posteingang?.loaded.routing.postfaecher?.[unit.code.code];
          if (postfach === undefined) delete unit.postfach;
          else unit.postfach = postfach;
        }
        // Without a period of its own the letter must not name one: the earliest kept end is the Frist.
        const ends = kept.flatMap((i) => (i.deadline?.end === undefined ? [] : [i.deadline.end])).sort();
        if (ends[0] === undefined) delete facts.frist;
        else facts.frist = ends[0];
        // The draft shown follows the edits, unless the reviewer wrote the letter themselves.
        const receipt = items.find((i) => i.kind === 'receipt');
        const edited = { ...proposal, items, facts };
        if (receipt !== undefined && receipt.edited !== true && posteingang !== undefined)
          receipt.text = posteingang.letter(edited);
        return edited;
      }
      // A formal check with every Befund dropped is a complete application.
      if (proposal.check === 'completeness') {
        const complete = items.every((i) => i.dropped === true);
        facts.antragVollstaendig = complete;
        if (complete) delete facts.frist;
      }
      return { ...proposal, items, facts };
    },
    verifyTemplates() {
      const party = (name: string): Nachrichtenkopf['author'] => ({
        behoerdenkennung: `bab:${name}`,
        verzeichnisdienst: 'DVDV',
        name,
      });
      for (const s of catalog.standards?.() ?? []) {
        for (const messageType of s.profiles ?? []) {
          const profile = catalog.profile?.(s.standard, s.version, messageType);
          const declared = profile?.reply;
          const check = profile?.check;
          if (declared === undefined || check === undefined) continue;
          const listURI = check.kind === 'completeness' ? ANLAGEN : check.loaded.codeList;
          const code = labels(listURI)[0];
          const sample: ReplyProposal = {
            check: check.kind,
            replyType: declared.messageType,
            items: [
              {
                id: 'sample',
                kind: check.kind === 'completeness' ? 'missing' : 'appraisal',
                ...(code === undefined
                  ? {}
                  : { code: { code: check.kind === 'completeness' ? code.code : check.loaded.undecided, listURI } }),
                text: 'Beispiel',
                objectId: '00000000-0000-4000-8000-000000000000',
                objectKind: 'Vorgang',
                evidence: [],
                source: 'rules',
              },
            ],
            facts: check.kind === 'completeness' ? { antragVollstaendig: false, frist: '2026-01-02' } : {},
          };
          const header: Nachrichtenkopf = {
            messageId: '00000000-0000-4000-8000-000000000001',
            createdAt: '2026-01-01T00:00:00Z',
            author: party('Absender'),
            reader: party('Empfaenger'),
          };
          try {
            buildReply({
              template: declared.templateText,
              messageType: declared.messageType,
              proposal: sample,
              header,
              jobId: 'start-up',
              gatewayVersion,
              now: new Date(),
              validate: (xml) => {
                catalog.check(Buffer.from(xml, 'utf8'), REPLY_LIMITS);
              },
            });
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
            throw new AppError('XGW_CONFIG_INVALID', {
              detail: `${s.standard} ${s.version} ${messageType}: reply template ${declared.template} does not make a valid ${declared.messageType}: ${error.detail ?? error.message}`,
              errors: error.errors,
            });
          }
        }
      }
    },
    codeLabels: labels,
    reply(jobId, result, now = new Date()) {
      let proposal = result.proposal;
      const posteingang = requestProfile(result.useCase?.name);
      if (proposal !== undefined && posteingang !== undefined)
        return {
          messageType: RECEIPT_TYPE,
          messageId: randomUUID(),
          createdAt: `${now.toISOString().slice(0, 19)}Z`,
          text: posteingang.letter(proposal),
        };
      // The Frist runs from the reply, not from the analysis: a review that took days must not eat it.
      const check = profileOf(result)?.check;
      if (proposal !== undefined && check?.kind === 'completeness' && proposal.facts.frist !== undefined)
        proposal = {
          ...proposal,
          facts: { ...proposal.facts, frist: deadlineAfter(now, check.loaded.deadlineDays, options.holidayRegion) },
        };
      const header = result.header;
      const declared = profileOf(result)?.reply;
      if (proposal === undefined || header === undefined || declared === undefined) return undefined;
      return buildReply({
        template: declared.templateText,
        messageType: declared.messageType,
        proposal,
        header,
        jobId,
        gatewayVersion,
        now,
        validate: (xml) => {
          // The gateway's own reply, not input: a 0502 for many objects may outgrow the inbound limits.
          catalog.check(Buffer.from(xml, 'utf8'), REPLY_LIMITS);
        },
      });
    },
  };
}

function editError(message: string, path: string): AppError {
  return new AppError('XGW_REVIEW_CORRECTION_INVALID', {
    detail: 'A change of the proposed reply does not fit it.',
    errors: [{ message, path }],
  });
}
