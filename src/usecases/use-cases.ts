import type { Label } from '../jobs/finding.js';
import type { JobResult, PreparedJob } from '../jobs/job-record.js';
import type { CodeList } from '../xoev/code-lists.js';
import type { LoadedProfile } from '../xoev/profile.js';
import { proposeAppraisal } from './appraisal.check.js';
import { type CheckInput, checkCompleteness } from './completeness.check.js';
import { buildReply } from './reply-builder.js';
import { deadlineAfter, type HolidayRegion } from './deadline.js';
import { AppError } from '../errors/app-error.js';
import type { ProposalItem, ReplyMessage, ReplyProposal } from '../jobs/reply-proposal.js';

/** A reviewer's change of one proposed item: drop it, or give it another code or text. */
export interface ProposalEdit {
  item: string;
  drop?: boolean;
  code?: string;
  text?: string;
}

/** What the use cases need from the catalog: profiles, code lists, the XSD check. */
export interface UseCaseCatalog {
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
  /** The reply for a decided result, validated; undefined when the result has no proposal. Throws XGW_REPLY_INVALID. */
  reply(jobId: string, result: JobResult, now?: Date): ReplyMessage | undefined;
}

const ANLAGEN = 'urn:xoev-de:xbau:codeliste:anlagen';
/** Limits of the XSD check of a built reply: generous, it is ours (a 0502 answers every object of an offer). */
const REPLY_LIMITS = { maxBodyBytes: 256 * 1024 * 1024, maxElements: 10_000_000 };

export function createUseCases(
  catalog: UseCaseCatalog,
  gatewayVersion: string,
  options: { holidayRegion?: HolidayRegion } = {},
): UseCases {
  const profileOf = (m: { standard?: string; version?: string; messageType?: string }): LoadedProfile | undefined =>
    m.standard === undefined || m.version === undefined || m.messageType === undefined
      ? undefined
      : catalog.profile?.(m.standard, m.version, m.messageType);
  const labels = (listURI: string): Label[] =>
    (catalog.codeList?.(listURI)?.labels() ?? []).map((l) => ({
      code: l.code,
      name: l.name,
      listURI: l.listURI,
      listVersionID: l.listVersionID,
    }));
  return {
    propose(prepared, result, now = new Date()) {
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
          item.dropped = true;
        }
        if (e.text !== undefined) {
          if (e.text.trim() === '' || e.text.length > 2000)
            throw editError('a text of 1 to 2000 characters', `${where}/text`);
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
      // A formal check with every Befund dropped is a complete application.
      if (proposal.check === 'completeness') {
        const complete = items.every((i) => i.dropped === true);
        facts.antragVollstaendig = complete;
        if (complete) delete facts.frist;
      }
      return { ...proposal, items, facts };
    },
    reply(jobId, result, now = new Date()) {
      let proposal = result.proposal;
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
