import express, { Router } from 'express';
import { AppError } from '../../errors/app-error.js';
import type { ConnectorSet } from '../../delivery/connector-set.js';
import type { InboundLog } from '../../delivery/inbound-log.js';
import { queryInt } from './query.js';

/** Largest callback body read: a notice of new submissions, not the submissions themselves. */
const MAX_CALLBACK_BYTES = 256 * 1024;

/**
 * `POST /v1/inbound/{connector}/callback`: a source's notice of new messages (FIT-Connect's
 * Zustelldienst). No API credentials: the connector checks the source's own signature over the raw
 * body (so the body is read raw, before the JSON parser) and answers at once; the messages are
 * fetched after the answer.
 */
export function inboundRouter(connectors: ConnectorSet, log: InboundLog): Router {
  const router = Router();
  // GET /v1/inbound/{connector}/held: what the connector could not handle and left with its
  // source (admins only, by the contract): why, since when, how often tried.
  router.get('/v1/inbound/:connector/held', async (req, res) => {
    const name = String(req.params.connector);
    if (connectors.get(name)?.receive === undefined)
      throw new AppError('XGW_REQ_NOT_FOUND', { detail: `No inbound connector ${name}.` });
    res.json({ held: await log.held(name, queryInt(req, 'limit', 100)) });
  });
  router.post(
    '/v1/inbound/:connector/callback',
    express.raw({ type: () => true, limit: MAX_CALLBACK_BYTES }),
    async (req, res) => {
      const connector = connectors.get(String(req.params.connector));
      if (connector?.notify === undefined)
        throw new AppError('XGW_REQ_NOT_FOUND', {
          detail: `No inbound connector ${String(req.params.connector)} takes callbacks.`,
        });
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(',') : v;
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const answer = await connector.notify({ headers, body });
      if (answer.status === 401)
        throw new AppError('XGW_AUTH_UNAUTHENTICATED', { detail: answer.detail ?? 'The callback does not check out.' });
      if (answer.status === 400) throw new AppError('XGW_REQ_VALIDATION', { detail: answer.detail ?? 'Bad callback.' });
      res.status(200).json({ status: 'received' });
    },
  );
  return router;
}
