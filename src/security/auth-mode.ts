import { isIP } from 'node:net';
import { AppError } from '../errors/app-error.js';

/** `open`: no credentials needed (an anonymous admin of tenant `default`); `required`: every protected operation needs an API key or an OIDC token. */
export type AuthMode = 'open' | 'required';

/** Whether `host` only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/**
 * Decides the auth mode from AUTH_MODE and HOST. Unset AUTH_MODE means `open` on a loopback HOST
 * (a first local try needs no setup) and `required` otherwise. An open API on a reachable address
 * is refused, whatever AUTH_MODE says: that is how data leaks in practice.
 */
export function resolveAuthMode(configured: string | undefined, host: string): AuthMode {
  const mode: AuthMode =
    configured === 'open' || configured === 'required' ? configured : isLoopbackHost(host) ? 'open' : 'required';
  if (mode === 'open' && !isLoopbackHost(host)) {
    throw new AppError('XGW_CONFIG_INVALID', {
      detail: `AUTH_MODE=open with HOST=${host}: an API without authentication may only listen on a loopback address (127.0.0.1, ::1, localhost). Set AUTH_MODE=required and create an API key (xoev-gw keys create …) or configure OIDC_ISSUER, or bind HOST=127.0.0.1.`,
      extensions: { setting: 'authMode' },
    });
  }
  return mode;
}
