import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { isRole, type Principal } from './principal.js';

/** OIDC settings (from OIDC_* in the settings table). */
export interface OidcOptions {
  /** Expected `iss`, e.g. https://idp.example.de/realms/bauamt. */
  readonly issuer: string;
  /** Expected `aud` (Keycloak: the client id, via an audience mapper). */
  readonly audience: string;
  /** JWKS URL; unset: `jwks_uri` from the issuer's discovery document, else Keycloak's `<issuer>/protocol/openid-connect/certs`. */
  readonly jwksUrl?: string | undefined;
  /** Dotted path of the roles claim. @defaultValue realm_access.roles */
  readonly rolesClaim: string;
  /** Dotted path of the tenant claim. @defaultValue tenant */
  readonly tenantClaim: string;
  /** Allowed clock skew in seconds. @defaultValue 30 */
  readonly clockToleranceSeconds?: number;
}

/** Why a token was refused; the message is safe to show the caller (no token content). */
export class TokenRejectedError extends Error {
  override readonly name = 'TokenRejectedError';
}

/** The IdP (discovery or JWKS) could not be reached: not the caller's fault, answer 503. */
export class IdpUnavailableError extends Error {
  override readonly name = 'IdpUnavailableError';
}

/** Reads a claim by dotted path (`realm_access.roles`). */
export function claimAt(payload: JWTPayload, path: string): unknown {
  let current: unknown = payload;
  for (const step of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = Reflect.get(current, step);
  }
  return current;
}

function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value === 'string') return value.split(/[\s,]+/).filter((v) => v !== '');
  return [];
}

/**
 * Verifies OIDC access tokens (JWT) against the IdP's JWKS: signature, `iss`, `aud`, `exp`/`nbf`.
 * Roles and tenant come from configurable claims; roles the gateway does not know are ignored.
 * The JWKS is fetched lazily and cached by jose (refetched on an unknown `kid`, rate-limited).
 */
export class OidcVerifier {
  private jwks: Promise<JWTVerifyGetKey> | undefined;

  constructor(private readonly options: OidcOptions) {}

  private keySet(): Promise<JWTVerifyGetKey> {
    this.jwks ??= this.resolveJwksUrl().then((url) =>
      createRemoteJWKSet(new URL(url), { timeoutDuration: 5000, cooldownDuration: 30_000 }),
    );
    // A failed discovery must not stick: the next request tries again.
    this.jwks.catch(() => (this.jwks = undefined));
    return this.jwks;
  }

  private async resolveJwksUrl(): Promise<string> {
    if (this.options.jwksUrl !== undefined) return this.options.jwksUrl;
    const issuer = this.options.issuer.replace(/\/$/, '');
    try {
      const res = await fetch(`${issuer}/.well-known/openid-configuration`, {
        signal: AbortSignal.timeout(5000),
        redirect: 'error',
      });
      if (res.ok) {
        const doc: unknown = await res.json();
        const uri: unknown = typeof doc === 'object' && doc !== null ? Reflect.get(doc, 'jwks_uri') : undefined;
        if (typeof uri === 'string') return uri;
      }
    } catch {
      // fall through to the Keycloak convention
    }
    return `${issuer}/protocol/openid-connect/certs`;
  }

  /** The principal of a valid token; throws TokenRejectedError otherwise. */
  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await this.keySet(), {
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTolerance: this.options.clockToleranceSeconds ?? 30,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWKSTimeout || !(error instanceof joseErrors.JOSEError))
        throw new IdpUnavailableError('The identity provider could not be reached to verify the token.', {
          cause: error,
        });
      throw new TokenRejectedError(describeJoseError(error), { cause: error });
    }
    return principalFromClaims(payload, this.options);
  }
}

/**
 * The principal of verified claims (an access token's, or the ID token of a person signing in to
 * the review workspace): the same roles and tenant claims for both. Throws TokenRejectedError
 * without a tenant.
 */
export function principalFromClaims(
  payload: JWTPayload,
  claims: { rolesClaim: string; tenantClaim: string },
): Principal {
  const roles = stringList(claimAt(payload, claims.rolesClaim)).filter(isRole);
  const tenant = claimAt(payload, claims.tenantClaim);
  if (typeof tenant !== 'string' || tenant === '')
    throw new TokenRejectedError(`The token carries no tenant claim (${claims.tenantClaim}).`);
  const sub = payload.sub ?? '';
  const username: unknown = payload['preferred_username'];
  return {
    kind: 'oidc',
    id: sub,
    name: typeof username === 'string' ? username : sub,
    roles: [...new Set(roles)],
    tenant,
  };
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The token has expired.';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `The token's ${error.claim} claim is not accepted.`;
  if (error instanceof joseErrors.JWKSNoMatchingKey)
    return 'The token was signed with a key the identity provider does not publish.';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'The token signature is invalid.';
  return 'The token is not a valid signed JWT.';
}
