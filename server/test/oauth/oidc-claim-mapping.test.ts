import { discoveryLocation, mapOidcProfile, OIDC_CLAIM_PRESETS, OidcError, readDiscoveryDocument } from '../../src/auth/oidc';

describe('OIDC claim mapping', () => {
  it('maps an Entra ID token by its preset: oid as the user ID, preferred_username as the email, roles as groups', () => {
    const claims = { sub: 'pairwise-sub', oid: '00000000-0000-0000-66f3-3332eca7ea81', preferred_username: 'Grace@Contoso.com', name: 'Grace Brewster Hopper', roles: ['Admins'] };
    expect(mapOidcProfile(claims, OIDC_CLAIM_PRESETS.ENTRA_ID)).toEqual({
      idpId: '00000000-0000-0000-66f3-3332eca7ea81', email: 'grace@contoso.com', firstName: 'Grace Brewster', lastName: 'Hopper', groups: ['Admins'],
    });
  });

  it('refuses a token without the mapped email claim as missing_claims, naming the claims received', () => {
    let error: OidcError | undefined;
    try {
      mapOidcProfile({ sub: 'x', name: 'No Mail' }, OIDC_CLAIM_PRESETS.GENERIC);
    } catch (err) {
      error = err as OidcError;
    }
    expect(error).toBeInstanceOf(OidcError);
    expect(error).toMatchObject({ reason: 'missing_claims', received: ['sub', 'name'] });
  });
});

describe('OIDC discovery documents', () => {
  it('derives the discovery URL and the issuer it must state from either form', () => {
    expect(discoveryLocation('https://acme.okta.com/')).toEqual({ url: 'https://acme.okta.com/.well-known/openid-configuration', issuer: 'https://acme.okta.com' });
    expect(discoveryLocation('https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration')).toEqual({ url: 'https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration', issuer: 'https://login.microsoftonline.com/t/v2.0' });
  });

  it('refuses a document stating another issuer, or lacking an endpoint', () => {
    const doc = { issuer: 'https://acme.okta.com', authorization_endpoint: 'https://a', token_endpoint: 'https://t', jwks_uri: 'https://j' };
    expect(readDiscoveryDocument(doc, 'https://acme.okta.com')).toMatchObject({ jwksUri: 'https://j' });
    expect(() => readDiscoveryDocument(doc, 'https://login.microsoftonline.com/{tenantid}/v2.0')).toThrow(/Discovery §4.3/);
    expect(() => readDiscoveryDocument({ ...doc, jwks_uri: undefined }, 'https://acme.okta.com')).toThrow(/lacks jwks_uri/);
    expect(() => readDiscoveryDocument([], 'https://acme.okta.com')).toThrow(/JSON object/);
  });
});
