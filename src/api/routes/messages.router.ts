import { Router } from 'express';
import { AppError } from '../../errors/app-error.js';
import { actorOf, principalOf, type Principal } from '../../security/principal.js';
import type { Intake } from '../../pipeline/intake.js';
import { acceptedBody } from '../../jobs/job-view.js';
import { DEFAULT_ENTITY_SCHEMA } from '../../analysis/rules/entity-schema.js';
import { POSTEINGANG } from '../../usecases/posteingang/posteingang.js';

/** What POST /v1/messages answers: 202 for a new job, 200 for a message seen before. */
export interface SubmissionAnswer {
  status: 202 | 200;
  location: string;
  body: ReturnType<typeof acceptedBody>;
}

/** The operation itself, for the router below and the fast path (same code, two servers). */
export async function submitMessage(
  intake: Intake,
  body: Buffer,
  principal: Principal,
  idempotencyKey: string | undefined,
  beside: readonly BesideFile[] = [],
): Promise<SubmissionAnswer> {
  if (body.length === 0)
    throw new AppError('XGW_REQ_VALIDATION', { detail: 'The request body must be an XÖV message (application/xml).' });
  const outcome = await intake.submitMessage(
    body,
    {
      tenant: principal.tenant,
      actor: actorOf(principal),
      ...(idempotencyKey ? { idempotencyKey } : {}),
    },
    beside,
  );
  const view = acceptedBody(outcome.record, !outcome.created);
  return { status: outcome.created ? 202 : 200, location: view.location, body: view };
}

/**
 * An e-mail (message/rfc822) on POST /v1/messages: a citizen's request, not an XÖV message. It
 * becomes a job whose one part is the mail (read by the worker, like every document), run through
 * the Posteingang profile (Anliegen, extraction, cited summary, deadlines, routing, draft
 * Eingangsbestätigung for review); without that profile in the catalog, the default entity
 * extraction. Its Message-ID makes it once-only.
 */
export async function submitMail(
  intake: Intake,
  body: Buffer,
  principal: Principal,
  idempotencyKey: string | undefined,
): Promise<SubmissionAnswer> {
  if (body.length === 0) throw new AppError('XGW_REQ_VALIDATION', { detail: 'The e-mail is empty.' });
  const outcome = await intake.submitTask(
    {
      ...(intake.hasProfile(POSTEINGANG)
        ? { useCase: { name: POSTEINGANG } }
        : { task: { kind: 'extract', schema: { ...DEFAULT_ENTITY_SCHEMA } } }),
      document: { contentBase64: body.toString('base64'), mimeType: 'message/rfc822', fileName: 'message.eml' },
    },
    { tenant: principal.tenant, actor: actorOf(principal), ...(idempotencyKey ? { idempotencyKey } : {}) },
  );
  const view = acceptedBody(outcome.record, !outcome.created);
  return { status: outcome.created ? 202 : 200, location: view.location, body: view };
}

/** A file beside a message, as multer hands it over. */
export interface BesideFile {
  fileName: string;
  mimeType?: string;
  bytes: Buffer;
}

/** The files of a multipart request (multer, run by the OpenAPI validator): the message and those beside it. */
function multipartFiles(files: unknown): { message: Buffer; beside: BesideFile[] } | undefined {
  if (!Array.isArray(files)) return undefined;
  let message: Buffer | undefined;
  const beside: BesideFile[] = [];
  for (const f of files) {
    if (typeof f !== 'object' || f === null) continue;
    const field = Reflect.get(f, 'fieldname');
    const buffer = Reflect.get(f, 'buffer');
    const name = Reflect.get(f, 'originalname');
    const type = Reflect.get(f, 'mimetype');
    if (!Buffer.isBuffer(buffer)) continue;
    if (field === 'message') message = buffer;
    else if (field === 'attachments' && typeof name === 'string' && name !== '')
      beside.push({
        fileName: name,
        bytes: buffer,
        ...(typeof type === 'string' && type !== 'application/octet-stream' ? { mimeType: type } : {}),
      });
  }
  return message === undefined ? undefined : { message, beside };
}

/** POST /v1/messages: XÖV message in, 202 + job location out (200 for a message seen before). */
export function messagesRouter(intake: Intake): Router {
  const router = Router();
  router.post('/v1/messages', async (req, res) => {
    const multipart = multipartFiles(Reflect.get(req, 'files'));
    if (multipart !== undefined) {
      const answer = await submitMessage(
        intake,
        multipart.message,
        principalOf(res),
        req.get('Idempotency-Key'),
        multipart.beside,
      );
      res.status(answer.status).location(answer.location).json(answer.body);
      return;
    }
    const body: unknown = req.body;
    if (Buffer.isBuffer(body) && typeof req.is('message/rfc822') === 'string') {
      const answer = await submitMail(intake, body, principalOf(res), req.get('Idempotency-Key'));
      res.status(answer.status).location(answer.location).json(answer.body);
      return;
    }
    if (!Buffer.isBuffer(body))
      throw new AppError('XGW_REQ_VALIDATION', {
        detail: 'The request body must be an XÖV message (application/xml).',
      });
    const answer = await submitMessage(intake, body, principalOf(res), req.get('Idempotency-Key'));
    res.status(answer.status).location(answer.location).json(answer.body);
  });
  return router;
}
