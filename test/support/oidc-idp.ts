import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** A person the test IdP knows: the gateway reads roles and tenant from the same claims as the API's tokens. */
export interface IdpUser {
  id: string;
  roles: string[];
  tenant?: string;
}

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

/**
 * A real OpenID Provider (oidc-provider, the certified Node.js implementation) on loopback, with
 * the gateway's review workspace as its one confidential client and users holding roles and
 * tenants. Its development login form takes any password: the test signs in as a user by name.
 */
export async function startTestIdp(options: { gatewayUrl: string; users: readonly IdpUser[] }): Promise<TestIdp> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'xgw-review';
  const clientSecret = 'review-client-secret-for-tests-only';
  const users = new Map(options.users.map((u) => [u.id, u]));
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${options.gatewayUrl}/review/callback`],
        post_logout_redirect_uris: [`${options.gatewayUrl}/review/signed-out`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    // The claims in the ID token itself: the workspace reads roles and tenant from it.
    conformIdTokenClaims: false,
    claims: { openid: ['sub'], profile: ['preferred_username', 'tenant', 'realm_access'] },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    cookies: { keys: ['test-idp-cookie-key'] },
    async findAccount(_ctx, id) {
      const user = users.get(id);
      if (user === undefined) return undefined;
      return {
        accountId: id,
        async claims() {
          return {
            sub: id,
            preferred_username: id,
            ...(user.tenant === undefined ? {} : { tenant: user.tenant }),
            realm_access: { roles: user.roles },
          };
        },
      };
    },
  });
  // Plain http on loopback: the provider is told not to insist on https for its cookies.
  provider.proxy = false;
  server.on('request', provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
