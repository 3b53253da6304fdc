import { generateKeyPairSync } from 'node:crypto';
import { startTestApp, type TestApp } from '../helpers/app';
import { buildSsoSetup, CALLBACK } from '../helpers/sso';
import { startOidcStandIn, TestBrowser, type OidcStandIn } from '../helpers/oauth-providers';

const PUBLIC_URL = 'http://portico.test';
const PORTICO_CALLBACK = `${PUBLIC_URL}/sso/oauth/callback`;
const TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';
const MICROSOFT = { clientId: '6731de76-14a6-49ae-97bc-6eba6914391e', clientSecret: 'microsoft-secret-value' };
const APPLE = { clientId: 'com.example.portico.signin', teamId: 'ABCDE12345', keyId: 'KEY1234567' };
const appleKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const APPLE_P8 = appleKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

let microsoft: OidcStandIn;
let apple: OidcStandIn;
let app: TestApp;
const appleSecrets: Record<string, unknown>[] = [];

beforeAll(async () => {
  microsoft = await startOidcStandIn({
    ...MICROSOFT, redirectUri: PORTICO_CALLBACK, path: `/${TENANT}/v2.0`,
    user: { sub: 'pairwise-sub-1', claims: { oid: '00000000-0000-0000-66f3-3332eca7ea81', tid: TENANT, email: 'grace@contoso.com', name: 'Grace Hopper', given_name: 'Grace', family_name: 'Hopper' } },
  });
  apple = await startOidcStandIn({
    clientId: APPLE.clientId, clientSecret: 'what-oidc-provider-compares', redirectUri: PORTICO_CALLBACK, alg: 'ES256',
    user: { sub: '001234.abcdef.1234', claims: { email: 'katherine@privaterelay.appleid.com', email_verified: 'true' } },
    // Apple's token endpoint verifies the client secret: an ES256 JWT by the .p8 key, iss = team, sub = client, aud = Apple.
    checkClientSecret: async (secret, issuer) => {
      const jose = await import('jose');
      try {
        const { payload, protectedHeader } = await jose.jwtVerify(secret, appleKey.publicKey, { algorithms: ['ES256'], issuer: APPLE.teamId, subject: APPLE.clientId, audience: issuer });
        appleSecrets.push({ ...protectedHeader, ...payload });
        return protectedHeader.kid === APPLE.keyId;
      } catch {
        return false;
      }
    },
  });
  app = await startTestApp({ PUBLIC_URL, PORTICO_TEST_OAUTH_PROVIDER_URLS: `MicrosoftOAuth=${microsoft.base},AppleOAuth=${apple.base}` });
});
afterAll(async () => {
  await app?.close();
  await microsoft?.close();
  await apple?.close();
});

const ENABLE = `mutation($input: UpdateOAuthProviderInput!) { updateOAuthProvider(input: $input) { provider enabled microsoftTenant } }`;

describe('Sign in with Microsoft (oidc-provider playing a specific Entra tenant)', () => {
  it('uses the tenant setting, and signs in with the object ID as idp_id', async () => {
    const setup = await buildSsoSetup(app);
    const saved = (await setup.admin.data(ENABLE, { input: { environmentId: setup.environment.id, provider: 'MicrosoftOAuth', enabled: true, microsoftTenant: TENANT, ...MICROSOFT } })).updateOAuthProvider;
    expect(saved).toEqual({ provider: 'MicrosoftOAuth', enabled: true, microsoftTenant: TENANT });
    const url = setup.workos.sso.getAuthorizationUrl({ provider: 'MicrosoftOAuth', redirectUri: CALLBACK, state: 'ms', clientId: setup.environment.clientId, domainHint: 'contoso.com' });
    const { landed, trail } = await new TestBrowser(PUBLIC_URL, app.url).follow(url, CALLBACK);
    const toMicrosoft = new URL(trail[1]!);
    expect(`${toMicrosoft.origin}${toMicrosoft.pathname}`).toBe(`${microsoft.base}/${TENANT}/v2.0/auth`);
    expect(toMicrosoft.searchParams.get('domain_hint')).toBe('contoso.com');
    const { profile } = await setup.workos.sso.getProfileAndToken({ code: landed!.searchParams.get('code')!, clientId: setup.environment.clientId });
    expect(profile).toMatchObject({ idpId: '00000000-0000-0000-66f3-3332eca7ea81', email: 'grace@contoso.com', firstName: 'Grace', lastName: 'Hopper', connectionType: 'MicrosoftOAuth' });
  });

  it('refuses a tenant setting that is not common, organizations, consumers, a GUID or a domain, naming the field', async () => {
    const setup = await buildSsoSetup(app);
    const error = await setup.admin.error(ENABLE, { input: { environmentId: setup.environment.id, provider: 'MicrosoftOAuth', microsoftTenant: 'not a tenant!' } });
    expect(JSON.stringify(error.details)).toContain('microsoftTenant');
    expect(JSON.stringify(error.details)).toContain('invalid_tenant');
  });
});

describe('Sign in with Apple (oidc-provider playing Apple: ES256 ID tokens, form_post)', () => {
  it('signs the client secret with the .p8 key, receives the answer by form_post, and takes the name from the first sign-in’s user field', async () => {
    const setup = await buildSsoSetup(app);
    await setup.admin.data(ENABLE, { input: { environmentId: setup.environment.id, provider: 'AppleOAuth', enabled: true, clientId: APPLE.clientId, appleTeamId: APPLE.teamId, appleKeyId: APPLE.keyId, applePrivateKey: APPLE_P8 } });
    const browser = new TestBrowser(PUBLIC_URL, app.url);
    browser.formExtras = { user: JSON.stringify({ name: { firstName: 'Katherine', lastName: 'Johnson' }, email: 'katherine@privaterelay.appleid.com' }) };
    const url = setup.workos.sso.getAuthorizationUrl({ provider: 'AppleOAuth', redirectUri: CALLBACK, state: 'apple', clientId: setup.environment.clientId });
    const { landed, trail, last } = await browser.follow(url, CALLBACK);
    if (!landed) throw new Error(`stopped at ${trail.at(-1)}: ${last.status} ${await last.text()}`);
    expect(new URL(trail[1]!).searchParams.get('response_mode')).toBe('form_post');
    expect(trail).toContain(`POST ${PORTICO_CALLBACK}`);
    expect(landed!.searchParams.get('state')).toBe('apple');
    const { profile } = await setup.workos.sso.getProfileAndToken({ code: landed!.searchParams.get('code')!, clientId: setup.environment.clientId });
    expect(profile).toMatchObject({ idpId: '001234.abcdef.1234', email: 'katherine@privaterelay.appleid.com', firstName: 'Katherine', lastName: 'Johnson', connectionType: 'AppleOAuth' });
    const secret = appleSecrets.at(-1)!;
    expect(secret).toMatchObject({ alg: 'ES256', kid: APPLE.keyId, iss: APPLE.teamId, sub: APPLE.clientId });
    expect((secret.exp as number) - (secret.iat as number)).toBeLessThanOrEqual(300);

    // Later sign-ins carry no user field: the name is then empty, not an error.
    browser.formExtras = {};
    const later = await browser.follow(url, CALLBACK);
    const second = await setup.workos.sso.getProfileAndToken({ code: later.landed!.searchParams.get('code')!, clientId: setup.environment.clientId });
    expect(second.profile).toMatchObject({ email: 'katherine@privaterelay.appleid.com', idpId: '001234.abcdef.1234' });
    expect(second.profile.firstName).toBeFalsy();
  });
});
