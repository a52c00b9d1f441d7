import { OidcVerifier, TokenRejectedError, IdpUnavailableError } from '../../../src/security/oidc-verifier.js';
import { startLocalIdp, type LocalIdp } from './local-idp.js';

describe('OIDC verifier (local IdP, real RS256 signatures)', () => {
  let idp: LocalIdp;
  let verifier: OidcVerifier;
  beforeAll(async () => {
    idp = await startLocalIdp();
    // No OIDC_JWKS_URL: the JWKS is found through the discovery document.
    verifier = new OidcVerifier({
      issuer: idp.issuer,
      audience: 'xoev-ai-gateway',
      rolesClaim: 'realm_access.roles',
      tenantClaim: 'tenant',
      clockToleranceSeconds: 0,
    });
  });
  afterAll(async () => {
    await idp.close();
  });

  it('accepts a valid token and reads roles and tenant from the configured claims', async () => {
    const token = await idp.sign({
      realm_access: { roles: ['reviewer', 'offline_access', 'admin'] },
      tenant: 'bauamt',
      preferred_username: 'erika',
    });
    await expect(verifier.verify(token)).resolves.toEqual({
      kind: 'oidc',
      id: 'user-1',
      name: 'erika',
      roles: ['reviewer', 'admin'],
      tenant: 'bauamt',
    });
  });

  it.each([
    ['a wrong issuer', { issuer: 'https://evil.example/realms/x' }, /iss/],
    ['a wrong audience', { audience: 'another-client' }, /aud/],
    ['an expired token', { expiresInSeconds: -60 }, /expired/],
    ['a key the IdP does not publish (unknown kid)', { unpublishedKey: true }, /key/],
    ['a known kid but another key', { unpublishedKey: true, kid: 'key-1' }, /signature/],
  ])('refuses %s', async (_what, options, message) => {
    const token = await idp.sign({ realm_access: { roles: ['admin'] }, tenant: 'bauamt' }, options);
    const error: unknown = await verifier.verify(token).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRejectedError);
    expect(error instanceof Error ? error.message : '').toMatch(message);
  });

  it('refuses a token without tenant claim and garbage', async () => {
    await expect(verifier.verify(await idp.sign({ realm_access: { roles: ['admin'] } }))).rejects.toThrow(/tenant/);
    await expect(verifier.verify('not.a.jwt')).rejects.toBeInstanceOf(TokenRejectedError);
  });

  it('reads claims at other paths (client roles, a custom tenant claim)', async () => {
    const v = new OidcVerifier({
      issuer: idp.issuer,
      audience: 'xoev-ai-gateway',
      jwksUrl: idp.jwksUrl,
      rolesClaim: 'resource_access.xoev.roles',
      tenantClaim: 'org.tenant',
    });
    const principal = await v.verify(
      await idp.sign({ resource_access: { xoev: { roles: ['rpa'] } }, org: { tenant: 'kfz' } }),
    );
    expect(principal).toMatchObject({ roles: ['rpa'], tenant: 'kfz' });
  });

  it('answers IdP outages as unavailable, not as a bad token', async () => {
    const v = new OidcVerifier({
      issuer: idp.issuer,
      audience: 'xoev-ai-gateway',
      jwksUrl: 'http://127.0.0.1:9/certs',
      rolesClaim: 'realm_access.roles',
      tenantClaim: 'tenant',
    });
    await expect(v.verify(await idp.sign({ tenant: 't' }))).rejects.toBeInstanceOf(IdpUnavailableError);
  });
});
