import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying `v1=<hex HMAC-SHA256 over "<timestamp>.<body>">`. */
export const SIGNATURE_HEADER = 'x-xgw-signature';
/** Header carrying the Unix time in seconds the signature was made at. */
export const TIMESTAMP_HEADER = 'x-xgw-timestamp';
/** Receivers reject signatures older (or newer) than this, so a captured call cannot be replayed later. */
export const SIGNATURE_TOLERANCE_S = 300;

/** `v1=<hex>`: HMAC-SHA256 with `secret` over `timestamp + "." + body`. */
export function sign(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Checks a signature the way a receiver must: recompute, compare in constant time, and reject a
 * timestamp outside the tolerance window.
 */
export function verify(
  secret: string,
  header: string | undefined,
  timestamp: string | undefined,
  body: string,
  nowS = Math.floor(Date.now() / 1000),
): boolean {
  if (header === undefined || timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) return false;
  const ts = Number(timestamp);
  if (Math.abs(nowS - ts) > SIGNATURE_TOLERANCE_S) return false;
  const expected = Buffer.from(sign(secret, ts, body));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
