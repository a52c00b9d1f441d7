import { ConnectorError, type HttpFetch } from '../connector.js';

export interface JsonRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  /** Sent as is (already serialised, so a signature can cover the exact bytes). */
  body?: string;
  /** @defaultValue application/json (when there is a body) */
  contentType?: string;
  timeoutMs: number;
}

/** Statuses a retry can fix: timeouts, conflicts in flight, rate limits, server errors. */
function retryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/**
 * One HTTP exchange with JSON, as every HTTP connector needs it: a timeout, and failures mapped to
 * `ConnectorError` so the deliver worker knows whether retrying can help. Returns the response for
 * 2xx and, when `accept404`, for 404 (a lookup that found nothing).
 */
export async function sendJson(
  fetch: HttpFetch,
  request: JsonRequest,
  options: { accept404?: boolean } = {},
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: {
        accept: 'application/json',
        ...(request.body === undefined ? {} : { 'content-type': request.contentType ?? 'application/json' }),
        ...request.headers,
      },
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: AbortSignal.timeout(request.timeoutMs),
      redirect: 'manual',
    });
  } catch (error) {
    // The gateway's fetch refuses unsafe targets (SSRF guard) with a non-retryable error: no retry helps.
    const refused = typeof error === 'object' && error !== null && 'retryable' in error && error.retryable === false;
    const why = refused
      ? 'refused by the outbound policy'
      : error instanceof Error && error.name === 'TimeoutError'
        ? 'timed out'
        : 'not reachable';
    throw new ConnectorError(`${request.method} ${new URL(request.url).host}: ${why}`, !refused, { cause: error });
  }
  if (response.ok || (options.accept404 === true && response.status === 404)) return response;
  // The body may echo personal data back; only the status goes into errors and logs.
  await response.body?.cancel().catch(() => undefined);
  throw new ConnectorError(
    `${request.method} ${new URL(request.url).host}: HTTP ${response.status}`,
    retryableStatus(response.status),
  );
}

/** Fills `{name}` placeholders with URL-encoded values. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    values[name] === undefined ? whole : encodeURIComponent(values[name]),
  );
}

/** Parses a JSON body into a plain object, or undefined when it is none. */
export async function readObject(response: Response): Promise<Record<string, unknown> | undefined> {
  const text = await response.text();
  if (text.trim() === '') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value))
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A register's answer to a write as a receipt: 201 stored now, 200 a key it already had (RFC 9110),
 * and its own id of the record when the JSON answer names one.
 */
export async function receiptOf(
  response: Response,
): Promise<{ outcome: 'delivered' | 'duplicate'; reference?: string }> {
  const answer = await readObject(response);
  const reference = typeof answer?.id === 'string' ? answer.id : undefined;
  return {
    outcome: response.status === 200 ? 'duplicate' : 'delivered',
    ...(reference === undefined ? {} : { reference }),
  };
}
