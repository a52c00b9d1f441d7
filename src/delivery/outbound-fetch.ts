import type { HttpFetch } from '../../connectors/connector.js';
import { safeFetch, type OutboundPolicy } from '../security/ssrf-guard.js';

/**
 * The one function every connector's outbound HTTP goes through: `safeFetch`, the SSRF guard, so
 * webhooks, callback URLs, registers and RPA hooks reach only https on public addresses, or what
 * OUTBOUND_ALLOWLIST allows. The whole call is bounded by the policy's timeout; a connector's own,
 * shorter timeout (its `signal`) ends the wait earlier.
 */
export function createOutboundFetch(policy: OutboundPolicy): HttpFetch {
  return (url, init) => {
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const body = typeof init.body === 'string' ? init.body : undefined;
    const call = safeFetch(
      url,
      { method: init.method ?? 'GET', headers, ...(body === undefined ? {} : { body }) },
      policy,
    );
    const signal = init.signal;
    if (signal === undefined || signal === null) return call;
    return new Promise<Response>((resolve, reject) => {
      const onAbort = (): void =>
        reject(signal.reason instanceof Error ? signal.reason : new DOMException('timed out', 'TimeoutError'));
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      call.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  };
}
