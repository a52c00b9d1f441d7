import { Router } from 'express';
import { AppError } from '../../errors/app-error.js';
import type { JobStore } from '../../pipeline/job-store.js';
import { jobBody } from './job-view.js';

/** GET /v1/jobs/{id}: state and, when finished, the structured result. */
export function jobsRouter(store: JobStore): Router {
  const router = Router();
  router.get('/v1/jobs/:id', async (req, res) => {
    const id = String(req.params.id);
    let record;
    try {
      record = await store.get(id);
    } catch (error) {
      throw new AppError('XGW_REDIS_UNAVAILABLE', { detail: 'The job store is unavailable. Retry later.', retryAfterSeconds: 5, cause: error });
    }
    if (record === undefined) throw new AppError('XGW_REQ_NOT_FOUND', { detail: `No job ${id} (unknown, or expired after the retention period).` });
    res.json(jobBody(record));
  });
  return router;
}
