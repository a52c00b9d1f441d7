import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** One allow-list entry: a host name, a host:port, or an address range (CIDR). */
export type AllowEntry =
  | { kind: 'host'; host: string; port?: number }
  | { kind: 'cidr'; range: [ipaddr.IPv4 | ipaddr.IPv6, number] };

/**
 * What outbound calls (webhooks, connectors, RPA hooks) may reach.
 * Defaults are safe: https only, public addresses only, 3 redirects, 10 s, 10 MiB.
 */
export interface OutboundPolicy {
  /** Hosts (`host`, `host:port`) and ranges (`10.1.0.0/16`) that may be reached over http and on private addresses (OUTBOUND_ALLOWLIST). */
  readonly allowlist: readonly AllowEntry[];
  /** Redirects followed, each re-checked. @defaultValue 3 */
  readonly maxRedirects?: number;
  /** Whole call including redirects and body, in ms. @defaultValue 10000 */
  readonly timeoutMs?: number;
  /** Largest response body read, in bytes; beyond it the call fails. @defaultValue 10485760 */
  readonly maxResponseBytes?: number;
}

function normaliseHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
}

/** Parses OUTBOUND_ALLOWLIST (`host`, `host:port`, `[v6]:port`, CIDR; comma-separated). Throws on a bad entry. */
export function parseAllowlist(value: string | undefined): AllowEntry[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((entry): AllowEntry => {
      if (entry.includes('/')) {
        try {
          return { kind: 'cidr', range: ipaddr.parseCIDR(entry) };
        } catch {
          throw new Error(`OUTBOUND_ALLOWLIST: "${entry}" is not a CIDR range`);
        }
      }
      const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
      if (v6?.[1] !== undefined)
        return { kind: 'host', host: normaliseHost(v6[1]), ...(v6[2] ? { port: Number(v6[2]) } : {}) };
      if (isIP(entry) === 6) return { kind: 'host', host: normaliseHost(entry) };
      const m = /^([^:]+)(?::(\d+))?$/.exec(entry);
      if (m?.[1] === undefined) throw new Error(`OUTBOUND_ALLOWLIST: "${entry}" is not host, host:port or CIDR`);
      return { kind: 'host', host: normaliseHost(m[1]), ...(m[2] ? { port: Number(m[2]) } : {}) };
    });
}

/** Whether the URL's host (and port) is named on the allow-list. */
export function hostAllowed(policy: OutboundPolicy, host: string, port: number): boolean {
  const h = normaliseHost(host);
  return policy.allowlist.some((e) => e.kind === 'host' && e.host === h && (e.port === undefined || e.port === port));
}

/** Whether an address lies in an allow-listed range. */
export function addressAllowed(policy: OutboundPolicy, address: string): boolean {
  const ip = toComparable(address);
  return policy.allowlist.some((e) => e.kind === 'cidr' && e.range[0].kind() === ip.kind() && ip.match(e.range));
}

/** IPv4-mapped IPv6 (::ffff:10.0.0.1) is compared as the IPv4 address it is. */
function toComparable(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const ip = ipaddr.parse(normaliseHost(address));
  return ip.kind() === 'ipv6' && ip instanceof ipaddr.IPv6 && ip.isIPv4MappedAddress() ? ip.toIPv4Address() : ip;
}

/** IPv4-compatible IPv6 (`::7f00:1`, i.e. `::127.0.0.1`; deprecated by RFC 4291): ipaddr.js files it under unicast. */
function isIPv4Compatible(ip: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  return ip instanceof ipaddr.IPv6 && ip.parts.slice(0, 6).every((p) => p === 0);
}

/**
 * Whether an address is public unicast. Everything else is refused: loopback, link-local (incl.
 * cloud metadata 169.254.169.254), RFC 1918, CGNAT 100.64/10, unique-local fc00::/7, 0.0.0.0, ::,
 * multicast, reserved and documentation ranges, and IPv4 hidden in IPv6 (mapped, 6to4, Teredo, NAT64).
 */
export function isPublicAddress(address: string): boolean {
  if (isIP(normaliseHost(address)) === 0) return false;
  const ip = toComparable(address);
  return !isIPv4Compatible(ip) && ip.range() === 'unicast';
}

/**
 * Why a URL cannot be an outbound target, judged from the URL alone (no DNS lookup), or undefined
 * when it may be one. Used where a caller hands us a URL to call later (a job's `callbackUrl`), so a
 * `file:` or plain-http URL is refused at once instead of failing at delivery; the full check with
 * DNS (assertSafeUrl) still runs on every call.
 */
export function urlShapeRefusal(url: string, policy: OutboundPolicy): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'not a valid URL';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return `scheme ${u.protocol} is not allowed; use https`;
  if (u.username !== '' || u.password !== '') return 'credentials in the URL are not allowed';
  const host = normaliseHost(u.hostname);
  const port = u.port !== '' ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  const literal = isIP(host) !== 0;
  const allowed = hostAllowed(policy, host, port) || (literal && addressAllowed(policy, host));
  if (u.protocol === 'http:' && !allowed) return 'plain http is allowed only to hosts on OUTBOUND_ALLOWLIST; use https';
  if (literal && !allowed && !isPublicAddress(host))
    return `${host} is a loopback, link-local, private or reserved address`;
  return undefined;
}
