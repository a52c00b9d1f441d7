import { Router } from 'express';

export interface StandardSummary {
  standard: string;
  version: string;
  namespaces: string[];
  messageTypes: string[];
}

/** GET /v1/standards: what the catalog accepts. */
export function standardsRouter(list: () => StandardSummary[]): Router {
  const router = Router();
  router.get('/v1/standards', (_req, res) => {
    res.json({ standards: list() });
  });
  return router;
}
