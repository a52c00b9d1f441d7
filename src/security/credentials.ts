import type { IncomingHttpHeaders } from 'node:http';

/** What a request presents as proof of identity, before it is checked. */
export type Credentials =
  | { kind: 'api-key'; key: string }
  | { kind: 'bearer'; token: string }
  | { kind: 'malformed'; why: string };

/**
 * Reads `Authorization: ApiKey <key>`, `Authorization: Bearer <jwt>` or `X-API-Key: <key>`.
 * A Bearer value in API key format is taken as an API key, for clients that can only send Bearer.
 * Returns undefined when the request carries no credentials at all.
 */
export function readCredentials(headers: IncomingHttpHeaders): Credentials | undefined {
  const header = headers.authorization;
  const given = headers['x-api-key'];
  // node joins repeated headers; x-api-key is not among them, so it may come as an array.
  const apiKeyHeader = Array.isArray(given) ? given[0] : given;
  if (header !== undefined) {
    const m = /^(\S+)\s+(\S+)\s*$/.exec(header);
    const scheme = m?.[1]?.toLowerCase();
    const value = m?.[2];
    if (value === undefined)
      return { kind: 'malformed', why: 'The Authorization header must be "ApiKey <key>" or "Bearer <token>".' };
    if (scheme === 'apikey') return { kind: 'api-key', key: value };
    if (scheme === 'bearer')
      return value.startsWith('xgw_') ? { kind: 'api-key', key: value } : { kind: 'bearer', token: value };
    return { kind: 'malformed', why: 'Unsupported Authorization scheme; use "ApiKey <key>" or "Bearer <token>".' };
  }
  if (apiKeyHeader !== undefined) return { kind: 'api-key', key: apiKeyHeader.trim() };
  return undefined;
}
