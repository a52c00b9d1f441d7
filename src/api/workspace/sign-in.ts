import * as oidc from 'openid-client';
import { AppError } from '../../errors/app-error.js';
import { isLoopbackHost } from '../../security/auth-mode.js';
import { principalFromClaims } from '../../security/oidc-verifier.js';
import type { Principal } from '../../security/principal.js';
import { newSecret, type SessionStore } from './session-store.js';

/** The Kommune's IdP as the workspace signs people in with it (a confidential client). */
export interface SignInOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** `<PUBLIC_URL>/review/callback` (a function: with PORT=0 the port is known only once listening). */
  redirectUri: () => string;
  rolesClaim: string;
  tenantClaim: string;
}

/** Only paths of the workspace (or the queue dashboard) are places to return to after sign-in: no open redirect. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(review|admin\/queues)(\/[\w\-./?=&%]*)?$/.test(next) && !next.includes('//')
    ? next
    : '/review';
}

/**
 * OpenID Connect authorization code flow with PKCE (openid-client): discovery once (retried after a
 * failure), state and nonce per sign-in kept in Redis for ten minutes and used once, the ID token
 * checked by the library (signature, issuer, audience, nonce), roles and tenant read from the same
 * claims as the API's tokens. Plain http is allowed only for an IdP on loopback (tests, a local IdP).
 */
export class SignIn {
  private config: Promise<oidc.Configuration> | undefined;

  constructor(
    private readonly options: SignInOptions,
    private readonly sessions: SessionStore,
  ) {}

  private configuration(): Promise<oidc.Configuration> {
    if (this.config === undefined) {
      const issuer = new URL(this.options.issuer);
      const loopback = issuer.protocol === 'http:' && isLoopbackHost(issuer.hostname.replace(/^\[|\]$/g, ''));
      this.config = oidc
        .discovery(
          issuer,
          this.options.clientId,
          undefined,
          oidc.ClientSecretBasic(this.options.clientSecret),
          loopback ? { execute: [oidc.allowInsecureRequests] } : {},
        )
        .catch((cause: unknown) => {
          this.config = undefined;
          throw new AppError('XGW_AUTH_IDP_UNAVAILABLE', {
            detail: 'The identity provider cannot be reached for sign-in. Retry later.',
            retryAfterSeconds: 10,
            cause,
          });
        });
    }
    return this.config;
  }

  /** Where to send the browser to sign in; `next` is where it returns afterwards. */
  async begin(next: string): Promise<URL> {
    const config = await this.configuration();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = newSecret();
    const nonce = newSecret();
    await this.sessions.saveSignIn(state, { verifier, nonce, next: safeNext(next) });
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.options.redirectUri(),
      scope: 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
  }

  /**
   * The IdP's answer at the callback: the code exchanged (state, nonce and PKCE checked), the person
   * and where to go on. Throws XGW_AUTH_UNAUTHENTICATED for an answer that does not check out.
   */
  async complete(callbackUrl: URL): Promise<{ principal: Principal; idToken?: string; next: string }> {
    const config = await this.configuration();
    const state = callbackUrl.searchParams.get('state') ?? '';
    const pending = await this.sessions.takeSignIn(state);
    if (pending === undefined)
      throw new AppError('XGW_AUTH_UNAUTHENTICATED', {
        detail: 'The sign-in is unknown or expired (ten minutes). Start it again.',
      });
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.verifier,
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (cause) {
      throw new AppError('XGW_AUTH_UNAUTHENTICATED', {
        detail: `The identity provider's answer was not accepted: ${cause instanceof Error ? cause.message : 'invalid'}.`,
        cause,
      });
    }
    const claims = tokens.claims();
    if (claims === undefined)
      throw new AppError('XGW_AUTH_UNAUTHENTICATED', { detail: 'The identity provider sent no ID token.' });
    let principal: Principal;
    try {
      principal = principalFromClaims(claims, this.options);
    } catch (cause) {
      throw new AppError('XGW_AUTH_FORBIDDEN', {
        detail: `Signed in, but without a tenant (${this.options.tenantClaim}): ask the IdP's administrators.`,
        cause,
      });
    }
    return { principal, ...(tokens.id_token === undefined ? {} : { idToken: tokens.id_token }), next: pending.next };
  }

  /** The IdP's logout (RP-initiated) if it offers one, else undefined. */
  async logoutUrl(idToken: string | undefined, returnTo: string): Promise<URL | undefined> {
    const config = await this.configuration().catch(() => undefined);
    if (config?.serverMetadata().end_session_endpoint === undefined) return undefined;
    return oidc.buildEndSessionUrl(config, {
      post_logout_redirect_uri: returnTo,
      client_id: this.options.clientId,
      ...(idToken === undefined ? {} : { id_token_hint: idToken }),
    });
  }

  /** The IdP's origin: forms posted to the workspace may be redirected there (CSP form-action). */
  origin(): string {
    return new URL(this.options.issuer).origin;
  }
}
