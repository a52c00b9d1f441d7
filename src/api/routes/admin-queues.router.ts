import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Router } from 'express';

export const ADMIN_QUEUES_PATH = '/admin/queues';

/**
 * The BullMQ dashboard (bull-board) over the gateway's queues: depth, stuck and failed jobs,
 * retry and clean buttons. It can change queues, so it is admin only: the authorizer lists the path
 * for `admin`, and the app mounts it behind requireRole('admin') as well.
 */
export function adminQueuesRouter(queues: readonly Queue[]): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(ADMIN_QUEUES_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter });
  return serverAdapter.getRouter();
}
