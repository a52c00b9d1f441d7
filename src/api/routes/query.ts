import type { Request } from 'express';

/**
 * A query parameter as the OpenAPI validator leaves it: it coerces declared integers to numbers,
 * so `typeof … === 'string'` alone missed every `limit` (the default was always used).
 */
export function queryInt(req: Request, name: string, fallback: number): number {
  const raw: unknown = req.query[name];
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : Number.NaN;
  return Number.isFinite(value) ? value : fallback;
}

/** A string query parameter, or undefined. */
export function queryString(req: Request, name: string): string | undefined {
  const raw: unknown = req.query[name];
  return typeof raw === 'string' ? raw : undefined;
}
