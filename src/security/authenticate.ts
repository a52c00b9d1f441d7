import type { IncomingHttpHeaders } from 'node:http';
import { AppError } from '../errors/app-error.js';
import type { ApiKeyStore } from './api-key-store.js';
import { readCredentials } from './credentials.js';
import { IdpUnavailableError, TokenRejectedError, type OidcVerifier } from './oidc-verifier.js';
import type { Principal } from './principal.js';

/** The two ways a caller can prove who it is; both are active when configured. */
export interface Authenticators {
  readonly apiKeys: ApiKeyStore;
  /** Undefined when OIDC_ISSUER is unset. */
  readonly oidc: OidcVerifier | undefined;
}

function unauthenticated(detail: string, cause?: unknown): AppError {
  return new AppError('XGW_AUTH_UNAUTHENTICATED', { detail, ...(cause === undefined ? {} : { cause }) });
}

/**
 * The principal a request proves, undefined when it carries no credentials, or a 401 AppError for
 * credentials that do not check out (unknown, revoked, bad signature, expired, wrong issuer …).
 */
export async function authenticate(headers: IncomingHttpHeaders, auth: Authenticators): Promise<Principal | undefined> {
  const credentials = readCredentials(headers);
  if (credentials === undefined) return undefined;
  switch (credentials.kind) {
    case 'malformed':
      throw unauthenticated(credentials.why);
    case 'api-key': {
      let record;
      try {
        record = await auth.apiKeys.verify(credentials.key);
      } catch (error) {
        throw new AppError('XGW_REDIS_UNAVAILABLE', {
          detail: 'API keys cannot be checked right now. Retry later.',
          retryAfterSeconds: 5,
          cause: error,
        });
      }
      if (record === undefined) throw unauthenticated('The API key is unknown or revoked.');
      return { kind: 'api-key', id: record.id, name: record.name, roles: record.roles, tenant: record.tenant };
    }
    case 'bearer': {
      if (auth.oidc === undefined)
        throw unauthenticated(
          'Bearer tokens are not accepted: OIDC is not configured on this gateway. Use an API key.',
        );
      try {
        return await auth.oidc.verify(credentials.token);
      } catch (error) {
        if (error instanceof TokenRejectedError) throw unauthenticated(error.message, error);
        if (error instanceof IdpUnavailableError)
          throw new AppError('XGW_AUTH_IDP_UNAVAILABLE', {
            detail: error.message,
            retryAfterSeconds: 10,
            cause: error,
          });
        throw error;
      }
    }
  }
}
