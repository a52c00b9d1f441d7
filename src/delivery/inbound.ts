import { InboundRefusal, type InboundMessage, type InboundReceipt } from '../../connectors/connector.js';
import { AppError } from '../errors/app-error.js';
import type { Logger } from '../observability/logger.js';
import type { ConnectorSet } from './connector-set.js';
import type { InboundLog } from './inbound-log.js';

/** Who submits an inbound message, and from where. */
interface InboundContext {
  tenant: string;
  actor: { kind: 'client'; id: string };
  idempotencyKey?: string;
  source?: { channel: string; ids: Record<string, string> };
}

/** What intake answers: the job (new or the one the idempotency key already names). */
interface Submitted {
  record: { id: string; state: string };
}

/** What inbound connectors need of intake (pipeline/intake.ts), by shape. */
export interface InboundIntake {
  submitMessage(
    body: Buffer,
    ctx: InboundContext,
    beside: readonly { fileName: string; mimeType?: string; bytes: Buffer }[],
  ): Promise<Submitted>;
  submitTask(input: { useCase: { name: string }; text: string }, ctx: InboundContext): Promise<Submitted>;
  hasProfile(name: string): boolean;
}

/** What the gateway refuses for what a message is: the source is told (a rejected submission). */
const REFUSALS = new Set([
  'XGW_XML_MALFORMED',
  'XGW_XML_UNSAFE',
  'XGW_XML_LIMIT',
  'XGW_XOEV_INVALID',
  'XGW_XOEV_UNKNOWN_STANDARD',
  'XGW_XOEV_HEADER',
  'XGW_ATTACHMENT_LIMIT',
  'XGW_PART_TOO_LONG',
  'XGW_REQ_VALIDATION',
]);

/**
 * The gateway's side of an inbound connector: XML Fachdaten go the way of `POST /v1/messages`
 * (catalog check, XSD, nachrichtenkopf, profile; attachments beside the message), JSON Fachdaten
 * the way of a request (the Posteingang profile). Refused for what it is → InboundRefusal with the
 * gateway's reason; anything else (Redis away) → the error, and the source is asked again later.
 */
export function inboundSubmitter(
  intake: InboundIntake,
  connector: string,
): (m: InboundMessage) => Promise<InboundReceipt> {
  const actor = { kind: 'client' as const, id: `connector:${connector}` };
  return async (m) => {
    const ctx = {
      tenant: m.tenant ?? 'default',
      actor,
      ...(m.idempotencyKey === undefined ? {} : { idempotencyKey: m.idempotencyKey }),
      ...(m.source === undefined ? {} : { source: m.source }),
    };
    try {
      if (/^application\/(?:[\w.+-]+\+)?xml\b|^text\/xml\b/.test(m.contentType))
        return receipt(await intake.submitMessage(m.body, ctx, m.attachments ?? []));
      if (/^application\/json\b/.test(m.contentType) && intake.hasProfile('posteingang')) {
        // A request job carries one part: attachments beside JSON would be lost, and an accept
        // would tell the sender they arrived. Such a submission waits (and is logged) instead.
        if ((m.attachments ?? []).length > 0)
          throw new AppError('XGW_CONFIG_INVALID', {
            detail: 'JSON Fachdaten with attachments cannot be taken yet; the submission stays with its source.',
          });
        return receipt(await intake.submitTask({ useCase: { name: 'posteingang' }, text: jsonAsForm(m.body) }, ctx));
      }
      throw new AppError('XGW_CONFIG_INVALID', {
        detail: `No way to take ${m.contentType} Fachdaten (the posteingang profile is not loaded).`,
      });
    } catch (error) {
      if (error instanceof AppError && REFUSALS.has(error.code)) {
        const first = error.errors?.[0];
        const where = first === undefined ? undefined : first.line !== undefined ? `line ${first.line}` : first.path;
        throw new InboundRefusal(`${error.code}: ${error.detail ?? error.message}`, where);
      }
      throw error;
    }
  };
}

/** Deepest nesting of JSON Fachdaten read, and most fields (an online service's form has dozens). */
const MAX_JSON_DEPTH = 32;
const MAX_JSON_FIELDS = 5000;

/**
 * JSON Fachdaten (an online service's form, FIM-shaped: nested objects and lists) as the lines
 * `path: value` a request is read from, as `POST /v1/jobs` reads a `form`. Iterative (no recursion
 * on hostile nesting), bounded in depth and fields; not JSON, or nothing to read → refused.
 */
export function jsonAsForm(body: Buffer): string {
  let data: unknown;
  try {
    data = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AppError('XGW_REQ_VALIDATION', { detail: 'The JSON Fachdaten are not well-formed JSON.' });
  }
  const lines: string[] = [];
  const stack: { path: string; value: unknown; depth: number }[] = [{ path: '', value: data, depth: 0 }];
  while (stack.length > 0) {
    const { path, value, depth } = stack.pop() ?? { path: '', value: undefined, depth: 0 };
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      if (lines.length >= MAX_JSON_FIELDS)
        throw new AppError('XGW_REQ_VALIDATION', {
          detail: `The JSON Fachdaten have more than ${MAX_JSON_FIELDS} fields.`,
        });
      lines.push(`${path.replace(/[\r\n]+/g, ' ')}: ${String(value)}`);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_JSON_DEPTH)
      throw new AppError('XGW_REQ_VALIDATION', { detail: `The JSON Fachdaten nest deeper than ${MAX_JSON_DEPTH}.` });
    const entries = Array.isArray(value)
      ? value.map((v, i): [string, unknown] => [String(i + 1), v])
      : Object.entries(value);
    // Pushed in reverse so that the fields come out in their order.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, v] = entries[i] ?? ['', undefined];
      stack.push({ path: path === '' ? key : `${path} ${key}`, value: v, depth: depth + 1 });
    }
  }
  if (lines.length === 0) throw new AppError('XGW_REQ_VALIDATION', { detail: 'The JSON Fachdaten hold no values.' });
  return lines.join('\n');
}

/** How far a job has come, as an inbound connector needs to know it (accept on receipt or after analysis). */
function receipt(submitted: Submitted): InboundReceipt {
  const state = submitted.record.state;
  const stage = state === 'failed' ? 'failed' : state === 'queued' || state === 'analysing' ? 'received' : 'analysed';
  return { jobId: submitted.record.id, stage };
}

/** Starts every inbound connector of the set with the intake (API processes: where intake is). */
export async function startInbound(
  connectors: ConnectorSet,
  intake: InboundIntake,
  log: InboundLog,
  logger: Logger,
): Promise<void> {
  for (const { name, connector } of connectors.inbound()) {
    if (connector.receive === undefined) continue;
    await connector.receive(inboundSubmitter(intake, name), log.reporter(name, connector.manifest.id));
    logger.info({ connector: name }, 'inbound connector receiving');
  }
}
