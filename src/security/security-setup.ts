import type { RedisClient } from '../jobs/redis-connection.js';
import type { Config } from '../config/config.js';
import { AppError } from '../errors/app-error.js';
import type { Logger } from '../observability/logger.js';
import { ApiKeyStore } from './api-key-store.js';
import { resolveAuthMode, type AuthMode } from './auth-mode.js';
import type { Authenticators } from './authenticate.js';
import { OidcVerifier } from './oidc-verifier.js';
import { parseAllowlist, type OutboundPolicy } from './outbound-policy.js';
import { RateLimiter } from './rate-limiter.js';

/** Everything the API needs to decide who may do what, built once per process from the config. */
export interface Security {
  readonly mode: AuthMode;
  readonly auth: Authenticators;
  readonly limiter: RateLimiter;
  /** Policy for safeFetch (webhooks, connectors), from OUTBOUND_*. */
  readonly outbound: OutboundPolicy;
}

/** The outbound policy from OUTBOUND_* settings; throws XGW_CONFIG_INVALID on a bad allow-list. */
export function outboundPolicyFrom(config: Config): OutboundPolicy {
  try {
    return {
      allowlist: parseAllowlist(config.outboundAllowlist),
      maxRedirects: config.outboundMaxRedirects,
      timeoutMs: config.outboundTimeoutMs,
      maxResponseBytes: config.outboundMaxResponseBytes,
    };
  } catch (error) {
    throw new AppError('XGW_CONFIG_INVALID', {
      detail: error instanceof Error ? error.message : 'OUTBOUND_ALLOWLIST is invalid',
      extensions: { setting: 'outboundAllowlist' },
    });
  }
}

/**
 * Resolves the auth mode (refusing an open API on a non-loopback HOST), and builds the API key
 * store, the OIDC verifier (when OIDC_ISSUER is set) and the rate limiter. Warns loudly when open.
 */
export function createSecurity(config: Config, redis: RedisClient, logger: Logger): Security {
  const mode = resolveAuthMode(config.authMode, config.host);
  let oidc: OidcVerifier | undefined;
  if (config.oidcIssuer !== undefined) {
    try {
      new URL(config.oidcIssuer);
    } catch {
      throw new AppError('XGW_CONFIG_INVALID', {
        detail: `OIDC_ISSUER=${JSON.stringify(config.oidcIssuer)}: expected a URL`,
        extensions: { setting: 'oidcIssuer' },
      });
    }
    oidc = new OidcVerifier({
      issuer: config.oidcIssuer,
      audience: config.oidcAudience,
      jwksUrl: config.oidcJwksUrl,
      rolesClaim: config.oidcRolesClaim,
      tenantClaim: config.oidcTenantClaim,
    });
  }
  if (mode === 'open') {
    logger.warn(
      { authMode: mode, host: config.host },
      'AUTH: the API is OPEN — requests without credentials act as an anonymous admin of tenant "default". Fine for a first try on this machine; set AUTH_MODE=required and create API keys (xoev-gw keys create) before anyone else uses it.',
    );
  } else {
    logger.info(
      { authMode: mode, apiKeys: true, oidc: oidc === undefined ? false : config.oidcIssuer },
      'AUTH: credentials required (API keys, OIDC when configured)',
    );
  }
  return {
    mode,
    auth: { apiKeys: new ApiKeyStore(redis, config.queuePrefix), oidc },
    limiter: new RateLimiter(redis, config.queuePrefix, config.rateLimitPerMinute),
    outbound: outboundPolicyFrom(config),
  };
}
