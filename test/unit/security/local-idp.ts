import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';

/**
 * A local OIDC identity provider for tests: real RSA keys generated with jose, a discovery
 * document and a JWKS served over node:http, and real signatures. Nothing is mocked.
 */
export interface LocalIdp {
  /** The issuer URL (also the base of discovery and JWKS). */
  readonly issuer: string;
  readonly jwksUrl: string;
  /** Number of JWKS fetches so far. */
  readonly jwksFetches: number;
  /**
   * A signed access token. Defaults: issuer, audience `xoev-ai-gateway`, sub `user-1`, 5 min
   * validity, signed with the published key. `unpublishedKey` signs with a key the JWKS lacks.
   */
  sign(
    claims: JWTPayload,
    options?: { issuer?: string; audience?: string; expiresInSeconds?: number; unpublishedKey?: boolean; kid?: string },
  ): Promise<string>;
  close(): Promise<void>;
}

export async function startLocalIdp(): Promise<LocalIdp> {
  const published = await generateKeyPair('RS256', { extractable: true });
  const other = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(published.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
  let jwksFetches = 0;
  let issuer = '';
  const server: Server = createServer((req, res) => {
    if (req.url === '/.well-known/openid-configuration') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ issuer, jwks_uri: `${issuer}/certs` }));
      return;
    }
    if (req.url === '/certs') {
      jwksFetches++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address: AddressInfo | string | null = server.address();
  issuer = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  return {
    issuer,
    jwksUrl: `${issuer}/certs`,
    get jwksFetches() {
      return jwksFetches;
    },
    async sign(claims, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const key = options.unpublishedKey ? other.privateKey : published.privateKey;
      return new SignJWT({ sub: 'user-1', ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? (options.unpublishedKey ? 'key-unknown' : 'key-1') })
        .setIssuer(options.issuer ?? issuer)
        .setAudience(options.audience ?? 'xoev-ai-gateway')
        .setIssuedAt(now - 10)
        .setExpirationTime(now + (options.expiresInSeconds ?? 300))
        .sign(key);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
