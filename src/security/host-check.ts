import { isLoopbackHost } from './auth-mode.js';

/** Whether a request's Host header names this gateway. */
export type HostCheck = (host: string | undefined) => boolean;

/** The host name of a Host header (`name`, `name:port`, `[v6]:port`), lower case, without brackets. */
function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') < 0 ? undefined : h.indexOf(']'));
  const colon = h.indexOf(':');
  // More than one colon without brackets: a bare IPv6 address.
  return colon < 0 || h.indexOf(':', colon + 1) >= 0 ? h : h.slice(0, colon);
}

/**
 * DNS rebinding protection for an open gateway (no credentials, loopback only): a web page in a
 * user's browser must not reach it under a name the page's site controls and that resolves to
 * 127.0.0.1. Such a request carries that name as Host; only loopback names (localhost, 127.x, ::1)
 * and PUBLIC_URL's host (a reverse proxy on the same machine) are answered. Any port: port
 * forwarding (ssh -L, kubectl port-forward) keeps the name.
 */
export function openModeHostCheck(publicUrl: string | undefined): HostCheck {
  const publicHost = publicUrl === undefined ? undefined : hostName(new URL(publicUrl).host);
  return (host) => {
    if (host === undefined || host.trim() === '') return false;
    const name = hostName(host);
    return isLoopbackHost(name) || name === publicHost;
  };
}

/** The problem detail of a refused Host. */
export function hostRefusal(host: string | undefined): string {
  return `Host ${JSON.stringify(host ?? '')} is not a name of this gateway: running open (without credentials), it answers only to localhost, 127.0.0.1, [::1] and PUBLIC_URL's host (protection against DNS rebinding). Use one of them, or set PUBLIC_URL.`;
}
