import { randomUUID } from 'node:crypto';
import { AppError } from '../errors/app-error.js';
import type { Nachrichtenkopf } from '../jobs/message.js';
import { renderTemplate } from './reply-template.js';
import type { ReplyMessage, ReplyProposal } from '../jobs/reply-proposal.js';

/** What a reply is built from: the decided proposal, the original's header, the template. */
export interface ReplyInput {
  template: string;
  messageType: string;
  proposal: ReplyProposal;
  header: Nachrichtenkopf;
  jobId: string;
  gatewayVersion: string;
  now: Date;
  /** The standard's XSD check (the catalog's); throws XGW_XOEV_INVALID with the violations. */
  validate: (xml: string) => void;
}

/** An ISO date-time without milliseconds, as XÖV headers write it. */
function isoSeconds(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

/**
 * Builds the reply message from its template and checks it against the standard's XSD before it is
 * offered. A reply that does not validate is the gateway's bug (a template and a proposal that do
 * not fit): XGW_REPLY_INVALID with the violations, never a silent send.
 */
export function buildReply(input: ReplyInput): ReplyMessage {
  const messageId = randomUUID();
  const createdAt = isoSeconds(input.now);
  const items = input.proposal.items.filter((i) => i.dropped !== true);
  const context = {
    reply: { messageId, createdAt, date: createdAt.slice(0, 10) },
    original: input.header,
    facts: input.proposal.facts,
    items,
    job: { id: input.jobId },
    gateway: { version: input.gatewayVersion },
  };
  const xml = renderTemplate(input.template, context);
  try {
    input.validate(xml);
  } catch (error) {
    if (error instanceof AppError)
      throw new AppError('XGW_REPLY_INVALID', {
        detail: `The ${input.messageType} reply built for job ${input.jobId} does not validate: ${error.detail ?? error.message}`,
        errors: error.errors,
      });
    throw error;
  }
  return { messageType: input.messageType, messageId, createdAt, xml };
}
