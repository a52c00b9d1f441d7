import { Router } from 'express';
import { AppError } from '../../errors/app-error.js';
import { principalOf } from '../../security/principal.js';
import type { OutboundPolicy } from '../../security/outbound-policy.js';
import type { Intake } from '../../pipeline/intake.js';
import type { JobStore } from '../../jobs/job-store.js';
import { jobBody } from '../../jobs/job-view.js';
import { readJob as readStoredJob, submitTask } from './operations.js';
import { jobXml } from './job-xml.js';

/** POST /v1/jobs (machine clients, RPA bots) and GET /v1/jobs/{id}. */
export function jobsRouter(store: JobStore, intake: Intake, outbound: OutboundPolicy): Router {
  const router = Router();
  router.post('/v1/jobs', async (req, res) => {
    const { created, view } = await submitTask(
      intake,
      outbound,
      req.body,
      principalOf(res),
      req.get('Idempotency-Key'),
    );
    res
      .status(created ? 202 : 200)
      .location(view.location)
      .json(view);
  });
  const readJob = (id: string, principal: ReturnType<typeof principalOf>) => readStoredJob(store, id, principal);
  router.get('/v1/jobs/:id', async (req, res) => {
    const record = await readJob(String(req.params.id), principalOf(res));
    // Fachverfahren that speak XML only get the gateway's result format; JSON stays the default.
    if (req.accepts(['application/json', 'application/xml']) === 'application/xml')
      res.type('application/xml').send(jobXml(record));
    else res.json(jobBody(record));
  });
  // The reply in the standard's own message type (XBau 0201, xdomea 0502), once a person decided.
  router.get('/v1/jobs/:id/reply', async (req, res) => {
    const record = await readJob(String(req.params.id), principalOf(res));
    const reply = record.result?.reply;
    if (reply !== undefined && (record.state === 'done' || record.state === 'delivering')) {
      // An XÖV reply is XML; a citizen's Eingangsbestätigung (Posteingang) is a letter in plain text.
      if (reply.xml !== undefined)
        res
          .type('application/xml')
          .set('Content-Disposition', `inline; filename="${reply.messageType}.xml"`)
          .send(reply.xml);
      else
        res
          .type('text/plain; charset=utf-8')
          .set('Content-Disposition', `inline; filename="${reply.messageType}.txt"`)
          .send(reply.text ?? '');
      return;
    }
    if (record.state === 'failed')
      throw new AppError('XGW_REQ_NOT_FOUND', {
        detail: `Job ${record.id} failed (${record.failedReason?.code ?? 'no reason'}): it has no reply.`,
      });
    if (record.result?.proposal === undefined && record.state !== 'queued' && record.state !== 'analysing')
      throw new AppError('XGW_REQ_NOT_FOUND', {
        detail: `Job ${record.id} has no reply: its message type's profile declares none.`,
      });
    throw new AppError('XGW_REPLY_NOT_READY', {
      detail: `Job ${record.id} is ${record.state}: the reply is final once a person decided the proposal.`,
      extensions: { state: record.state },
    });
  });
  return router;
}
