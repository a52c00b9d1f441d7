import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { AppError } from '../errors/app-error.js';
import { withTraceContext } from '../observability/tracing.js';
import { addressAllowed, hostAllowed, isPublicAddress, type OutboundPolicy } from './outbound-policy.js';

export { parseAllowlist, type AllowEntry, type OutboundPolicy } from './outbound-policy.js';

const DEFAULTS = { maxRedirects: 3, timeoutMs: 10_000, maxResponseBytes: 10 * 1024 * 1024 } as const;

function blocked(detail: string): AppError {
  return new AppError('XGW_OUTBOUND_BLOCKED', { detail });
}

function defaultPort(url: URL): number {
  return url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );
}

/** Checks one resolved address against the policy; throws XGW_OUTBOUND_BLOCKED. */
function checkAddress(url: URL, address: string, policy: OutboundPolicy): void {
  if (hostAllowed(policy, url.hostname, defaultPort(url)) || addressAllowed(policy, address)) return;
  if (!isPublicAddress(address))
    throw blocked(
      `${url.host} resolves to ${address}, a loopback, link-local, private or reserved address. Add it to OUTBOUND_ALLOWLIST if it is an internal system you trust.`,
    );
}

/**
 * Checks a URL before any connection: http(s) only, no credentials in the URL, https unless the
 * host (or all its addresses) is allow-listed, and every address the name resolves to public
 * unless allow-listed. Returns the checked addresses.
 *
 * @throws AppError XGW_OUTBOUND_BLOCKED with a detail safe to log.
 */
export async function assertSafeUrl(url: string | URL, policy: OutboundPolicy): Promise<LookupAddress[]> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw blocked('Not a valid URL.');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw blocked(`Scheme ${u.protocol} is not allowed; use https.`);
  if (u.username !== '' || u.password !== '')
    throw blocked('Credentials in the URL are not allowed; configure them as connector credentials.');
  const host = u.hostname.replace(/^\[|\]$/g, '');
  let addresses: LookupAddress[];
  if (isIP(host) !== 0) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await resolveAll(host);
    } catch {
      throw blocked(`${u.hostname} does not resolve.`);
    }
  }
  if (addresses.length === 0) throw blocked(`${u.hostname} does not resolve.`);
  for (const a of addresses) checkAddress(u, a.address, policy);
  const allowListed =
    hostAllowed(policy, u.hostname, defaultPort(u)) || addresses.every((a) => addressAllowed(policy, a.address));
  if (u.protocol === 'http:' && !allowListed)
    throw blocked(`Plain http to ${u.host} is not allowed; use https or add the host to OUTBOUND_ALLOWLIST.`);
  return addresses;
}

/**
 * A DNS lookup for the socket that re-checks what it resolves. Connecting re-resolves the name, so
 * a rebinding DNS server could answer a public address to assertSafeUrl and a private one here;
 * checking at connect time closes that gap (the checked address is the one connected to).
 */
function guardedLookup(url: URL, policy: OutboundPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true, verbatim: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      try {
        for (const a of addresses) checkAddress(url, a.address, policy);
      } catch (refused) {
        return callback(
          refused instanceof Error ? Object.assign(refused, { code: 'EXGWBLOCKED' }) : new Error('blocked'),
          '',
          0,
        );
      }
      const first = addresses[0];
      if (first === undefined)
        return callback(Object.assign(new Error(`${hostname} does not resolve`), { code: 'ENOTFOUND' }), '', 0);
      // Node asks for all addresses (autoSelectFamily) or for one; answer in the shape it asked for.
      if (options.all === true) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function once(
  url: URL,
  init: SafeFetchInit,
  policy: OutboundPolicy,
  signal: AbortSignal,
  maxBytes: number,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        method: init.method ?? 'GET',
        // W3C trace context of the connector call (tracing on): the receiver can join the trace.
        headers: withTraceContext(init.headers ?? {}),
        lookup: guardedLookup(url, policy),
        signal,
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            res.destroy();
            reject(blocked(`The answer of ${url.host} exceeds ${maxBytes} bytes.`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', (error: Error & { code?: string }) =>
      reject(error.code === 'EXGWBLOCKED' ? blocked(error.message) : error),
    );
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

/** What safeFetch sends. A small subset of fetch's RequestInit: what webhooks and connectors need. */
export interface SafeFetchInit {
  /** @defaultValue GET */
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

/**
 * fetch for outbound calls to addresses that come from configuration or callers (webhooks,
 * callback URLs, connectors): the URL and every redirect target are checked with assertSafeUrl,
 * and the connection is made only to an address that passed the check (DNS answers are checked
 * again at connect time, against DNS rebinding).
 *
 * - Redirects (301, 302, 303, 307, 308) are followed up to `policy.maxRedirects`, each re-checked;
 *   303 (and 301/302 after POST) continue as GET without body, like browsers.
 *   Redirects to another origin drop the Authorization header.
 * - The whole call (all hops, body included) is bounded by `policy.timeoutMs`; the body by
 *   `policy.maxResponseBytes`.
 * - Any status is returned as a Response (check `ok` yourself); only refused targets, timeouts and
 *   network errors throw.
 *
 * @returns a WHATWG Response with the buffered body, so `res.json()`, `res.text()` work as usual.
 * @throws AppError XGW_OUTBOUND_BLOCKED when the URL or a redirect is refused or the body is too
 *   large; a DOMException `TimeoutError` on timeout; the network error otherwise.
 *
 * @example
 *   const res = await safeFetch(callbackUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body }, policy);
 */
export async function safeFetch(
  url: string | URL,
  init: SafeFetchInit = {},
  policy: OutboundPolicy,
): Promise<Response> {
  const maxRedirects = policy.maxRedirects ?? DEFAULTS.maxRedirects;
  const signal = AbortSignal.timeout(policy.timeoutMs ?? DEFAULTS.timeoutMs);
  const maxBytes = policy.maxResponseBytes ?? DEFAULTS.maxResponseBytes;
  let current = new URL(url);
  let request: SafeFetchInit = init;
  for (let hop = 0; ; hop++) {
    await assertSafeUrl(current, policy);
    const answer = await once(current, request, policy, signal, maxBytes);
    const location = answer.headers.location;
    if ([301, 302, 303, 307, 308].includes(answer.status) && typeof location === 'string') {
      if (hop >= maxRedirects) throw blocked(`More than ${maxRedirects} redirects.`);
      const next = new URL(location, current);
      const method = (request.method ?? 'GET').toUpperCase();
      if (answer.status === 303 || ((answer.status === 301 || answer.status === 302) && method === 'POST')) {
        const { body: _body, ...rest } = request;
        request = { ...rest, method: 'GET' };
      }
      if (next.origin !== current.origin && request.headers !== undefined) {
        request = {
          ...request,
          headers: Object.fromEntries(
            Object.entries(request.headers).filter(([k]) => k.toLowerCase() !== 'authorization'),
          ),
        };
      }
      current = next;
      continue;
    }
    const nullBody = answer.status === 204 || answer.status === 304 || answer.status < 200;
    return new Response(nullBody ? null : answer.body, {
      status: Math.max(answer.status, 200),
      headers: toHeaders(answer.headers),
    });
  }
}
