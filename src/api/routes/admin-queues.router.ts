import { isIP } from 'node:net';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { RequestHandler, Router } from 'express';
import { AppError } from '../../errors/app-error.js';

export const ADMIN_QUEUES_PATH = '/admin/queues';

/**
 * The BullMQ dashboard (bull-board) over the gateway's queues: depth, stuck and failed jobs,
 * retry and clean buttons. It can change queues, so it is admin only: the caller passes the guard.
 */
export function adminQueuesRouter(queues: readonly Queue[]): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(ADMIN_QUEUES_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter });
  return serverAdapter.getRouter();
}

/** Whether a bind address only accepts local connections. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  return isLoopbackHost(address.startsWith('::ffff:') ? address.slice(7) : address);
}

/**
 * Interim guard until the API's role check lands: only callers on the same machine. The runtime
 * mounts the dashboard with this guard only when the API itself binds to a loopback address.
 */
export const loopbackOnly: RequestHandler = (req, _res, next) => {
  if (isLoopbackAddress(req.socket.remoteAddress)) next();
  else next(new AppError('XGW_REQ_NOT_FOUND', { detail: `No route for ${req.method} ${req.path}` }));
};
