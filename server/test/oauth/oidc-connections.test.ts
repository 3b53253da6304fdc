import { createHash } from 'node:crypto';
import { startTestApp, type TestApp } from '../helpers/app';
import { buildSsoSetup, CALLBACK, sessionRow } from '../helpers/sso';
import { startOidcStandIn, TestBrowser, type OidcStandIn } from '../helpers/oauth-providers';
import { ForgingIdp } from '../helpers/oidc-forge';

const PUBLIC_URL = 'http://portico.test';
const PORTICO_CALLBACK = `${PUBLIC_URL}/sso/oauth/callback`;
const OKTA = { clientId: '0oa1b2c3d4e5f6g7h8i9', clientSecret: 'okta-client-secret-value-1234' };
const FORGE = { clientId: 'forge-client', clientSecret: 'forge-secret-9876' };

let okta: OidcStandIn;
let forge: ForgingIdp;
let app: TestApp;

beforeAll(async () => {
  okta = await startOidcStandIn({
    ...OKTA, redirectUri: PORTICO_CALLBACK, tokenEndpointAuthMethod: 'client_secret_basic',
    user: { sub: '00u1okta2user3', claims: { email: 'ada@acme-oidc.com', email_verified: true, given_name: 'Ada', family_name: 'Lovelace', name: 'Ada Lovelace', groups: ['Engineering', 'Admins'] } },
  });
  forge = await new ForgingIdp(FORGE.clientId, FORGE.clientSecret).start();
  // 0: an unknown kid re-fetches the JWKS at once, so the rotation test needs no 30 s wait.
  app = await startTestApp({ PUBLIC_URL, OIDC_JWKS_REFRESH_COOLDOWN_SECONDS: '0' });
});
afterAll(async () => {
  await app?.close();
  await okta?.close();
  await forge?.close();
});

const CREATE = `mutation($input: CreateOidcConnectionInput!) { createOidcConnection(input: $input) {
  id state connectionType mappingPresetConnectionType attributeMapping { idpId email groups }
  oidc { discoveryUrl issuer authorizationEndpoint tokenEndpoint jwksUri clientId clientSecretSet scopes redirectUri } } }`;
const ORG = `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`;
const ENABLE = `mutation($id: ID!, $enabled: Boolean!) { setSsoConnectionEnabled(id: $id, enabled: $enabled) { state } }`;

/** A workspace (SDK, API key, redirect URI) with an organization acme-oidc.com whose only connection is OIDC to `idp`. */
async function oidcSetup(idp: { issuer: string }, credentials: { clientId: string; clientSecret: string }, extra: Record<string, unknown> = {}) {
  const setup = await buildSsoSetup(app);
  const org = (await setup.admin.data(ORG, { input: { environmentId: setup.environment.id, name: 'Acme OIDC', domains: ['acme-oidc.com'] } })).createOrganization as { id: string };
  const connection = (await setup.admin.data(CREATE, { input: { organizationId: org.id, discoveryUrl: idp.issuer, ...credentials, ...extra } })).createOidcConnection;
  return { ...setup, org, connection };
}

type Setup = Awaited<ReturnType<typeof oidcSetup>>;

async function signIn(setup: Setup, selector: { connection?: string; organization?: string } = { connection: setup.connection.id }, browser = new TestBrowser(PUBLIC_URL, app.url)) {
  const url = setup.workos.sso.getAuthorizationUrl({ ...selector, redirectUri: CALLBACK, state: 'app-state', clientId: setup.environment.clientId } as Parameters<typeof setup.workos.sso.getAuthorizationUrl>[0]);
  const followed = await browser.follow(url, CALLBACK);
  const [session] = await app.db.query('SELECT id FROM sso_sessions WHERE connection_id = $1 ORDER BY id DESC LIMIT 1', [setup.connection.id]);
  return { ...followed, browser, session: session ? await sessionRow(app, session.id) : null };
}

describe('OIDC connections: oidc-provider plays Okta, the official SDK plays the app', () => {
  it('signs in by connection and by organization, maps the claims, and activates the connection on its first success', async () => {
    const setup = await oidcSetup(okta, OKTA, { connectionType: 'OktaOIDC' });
    expect(setup.connection).toMatchObject({
      state: 'VALIDATING', connectionType: 'OktaOIDC', mappingPresetConnectionType: 'OktaOIDC',
      oidc: { discoveryUrl: `${okta.issuer}/.well-known/openid-configuration`, issuer: okta.issuer, authorizationEndpoint: `${okta.issuer}/auth`, tokenEndpoint: `${okta.issuer}/token`, clientId: OKTA.clientId, clientSecretSet: true, scopes: ['openid', 'profile', 'email'], redirectUri: PORTICO_CALLBACK },
    });

    const first = await signIn(setup);
    expect(first.landed?.searchParams.get('state')).toBe('app-state');
    const toIdp = new URL(first.trail[1]!);
    expect(`${toIdp.origin}${toIdp.pathname}`).toBe(`${okta.issuer}/auth`);
    expect(toIdp.searchParams.get('code_challenge_method')).toBe('S256');
    expect(toIdp.searchParams.get('nonce')).toMatch(/^[\w-]{43}$/);
    const { profile } = await setup.workos.sso.getProfileAndToken({ code: first.landed!.searchParams.get('code')!, clientId: setup.environment.clientId });
    expect(profile).toMatchObject({
      idpId: '00u1okta2user3', email: 'ada@acme-oidc.com', firstName: 'Ada', lastName: 'Lovelace', connectionId: setup.connection.id, connectionType: 'OktaOIDC', organizationId: setup.org.id,
      groups: ['Engineering', 'Admins'],
    });
    expect(profile.rawAttributes).toMatchObject({ sub: '00u1okta2user3', iss: okta.issuer, aud: OKTA.clientId });
    expect(await sessionRow(app, first.session.id)).toMatchObject({ state: 'SUCCESSFUL', organization_id: setup.org.id, provider: null, email: 'ada@acme-oidc.com' });
    expect(first.session.oauth_exchange.authorization_request.params).toMatchObject({ state: '[redacted]', nonce: '[redacted]', code_challenge_method: 'S256', client_id: OKTA.clientId });
    expect(first.session.oauth_exchange.token_response).toMatchObject({ access_token: '[redacted]', id_token: '[redacted]' });
    expect(first.session.oauth_exchange.id_token_claims).toMatchObject({ sub: '00u1okta2user3' });
    const [{ state }] = await app.db.query('SELECT state FROM connections WHERE id = $1', [setup.connection.id]);
    expect(state).toBe('active');
    const [activated] = await app.db.query(`SELECT count(*)::int AS n FROM events WHERE event = 'connection.activated' AND data->>'id' = $1`, [setup.connection.id]);
    expect(activated.n).toBe(1);

    const byOrg = await signIn(setup, { organization: setup.org.id });
    const second = await setup.workos.sso.getProfileAndToken({ code: byOrg.landed!.searchParams.get('code')!, clientId: setup.environment.clientId });
    expect(second.profile).toMatchObject({ email: 'ada@acme-oidc.com', connectionType: 'OktaOIDC' });

    const listed = await setup.workos.sso.listConnections({ organizationId: setup.org.id });
    expect(listed.data.map((c) => [c.id, c.type, c.state])).toEqual([[setup.connection.id, 'OktaOIDC', 'active']]);
  });

  it('runs the dashboard’s Test sign-in for an OIDC connection: it ends on the result page, the session SUCCESSFUL', async () => {
    const setup = await oidcSetup(okta, OKTA);
    const started = (await setup.admin.data(`mutation($id: ID!) { startTestSignIn(connectionId: $id) { sessionId url } }`, { id: setup.connection.id })).startTestSignIn;
    expect(started.url.startsWith(`${okta.issuer}/auth?`)).toBe(true);
    const cookie = setup.admin.lastSetCookie.find((c: string) => c.startsWith('portico_oauth_browser='))!;
    expect(cookie).toContain('Path=/sso/oauth');
    const browser = new TestBrowser(PUBLIC_URL, app.url);
    browser.setCookie(PUBLIC_URL, 'portico_oauth_browser', cookie.split(';')[0]!.split('=')[1]!);
    const result = `${PUBLIC_URL}/dashboard/test-sign-in/${started.sessionId}`;
    const { landed } = await browser.follow(started.url, result);
    expect(landed?.pathname).toBe(`/dashboard/test-sign-in/${started.sessionId}`);
    expect(await sessionRow(app, started.sessionId)).toMatchObject({ state: 'SUCCESSFUL', test_sign_in: true, email: 'ada@acme-oidc.com' });
  });
});

describe('OIDC connections refuse, each attempt recorded with its reason', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await oidcSetup(forge, FORGE, { connectionType: 'GenericOIDC' });
  });

  const refused = async (forgery: ForgingIdp['next'], reason: string, error = 'oauth_failed') => {
    forge.next = forgery;
    const attempt = await signIn(setup);
    expect(attempt.landed?.searchParams.get('error')).toBe(error);
    expect(attempt.landed?.searchParams.get('state')).toBe('app-state');
    expect(attempt.session).toMatchObject({ state: 'FAILED', error_reason: reason, error_message: expect.any(String) });
    return attempt;
  };

  it('signs in with honest tokens from the forging IdP (the control for the refusals below)', async () => {
    const ok = await signIn(setup);
    expect(ok.landed?.searchParams.get('code')).toBeTruthy();
    expect(ok.session).toMatchObject({ state: 'AUTHORIZED', idp_id: 'forge-user-1' });
  });

  it('refuses an ID token for another audience', async () => {
    const { session } = await refused({ claims: { aud: 'another-client' } }, 'invalid_id_token_audience');
    expect(session.error_details).toMatchObject({ expected: FORGE.clientId, received: 'another-client' });
  });

  it('refuses an ID token from another issuer', async () => {
    await refused({ claims: { iss: 'https://evil.example.com' } }, 'invalid_id_token_issuer');
  });

  it('refuses an expired ID token (beyond the clock skew)', async () => {
    const now = Math.floor(Date.now() / 1000);
    await refused({ claims: { iat: now - 3600, exp: now - 600 } }, 'id_token_expired');
  });

  it('refuses an ID token whose signature does not verify with the JWKS', async () => {
    await refused({ sign: 'unpublished' }, 'invalid_id_token_signature');
  });

  it('refuses an unsigned ID token (alg none)', async () => {
    const { session } = await refused({ sign: 'none' }, 'unsupported_id_token_alg');
    expect(session.error_details.received).toBe('none');
  });

  it('refuses an ID token with another azp among several audiences', async () => {
    await refused({ claims: { aud: [FORGE.clientId, 'other'], azp: 'other' } }, 'invalid_id_token_azp');
  });

  it('picks up a rotated signing key: an unknown kid re-fetches the JWKS', async () => {
    expect((await signIn(setup)).session.state).toBe('AUTHORIZED');
    const fetches = forge.jwksFetches;
    const rotated = await forge.rotate();
    const after = await signIn(setup);
    expect(after.session).toMatchObject({ state: 'AUTHORIZED' });
    expect(after.session.oauth_exchange.id_token_header).toMatchObject({ kid: rotated.kid });
    expect(forge.jwksFetches).toBe(fetches + 1);
  });

  it('refuses a user whose email domain is outside the organization', async () => {
    forge.user = { ...forge.user, email: 'eve@elsewhere.example' };
    try {
      const { session } = await refused({}, 'domain_not_allowed', 'profile_not_allowed_outside_organization');
      expect(session.error_details).toMatchObject({ expected: ['acme-oidc.com'], received: 'elsewhere.example' });
      expect(session.email).toBe('eve@elsewhere.example');
    } finally {
      forge.user = { ...forge.user, email: 'ada@acme-oidc.com' };
    }
  });

  it('refuses a callback with a state it never issued, and one that comes back to another browser', async () => {
    const url = setup.workos.sso.getAuthorizationUrl({ connection: setup.connection.id, redirectUri: CALLBACK, state: 'app-state', clientId: setup.environment.clientId });
    const browser = new TestBrowser(PUBLIC_URL, app.url);
    const atIdp = await browser.follow(url, forge.base);
    const toIdp = atIdp.landed!;
    const back = await fetch(`${forge.base}${toIdp.pathname}${toIdp.search}`, { redirect: 'manual' });
    const callback = new URL(back.headers.get('location')!);
    const forged = new URL(callback);
    forged.searchParams.set('state', 'x'.repeat(43));
    const wrong = await browser.request(forged.toString());
    expect(wrong.status).toBe(400);
    const [{ id }] = await app.db.query('SELECT id FROM sso_sessions WHERE connection_id = $1 ORDER BY id DESC LIMIT 1', [setup.connection.id]);
    expect((await sessionRow(app, id)).state).toBe('STARTED');

    const elsewhere = await new TestBrowser(PUBLIC_URL, app.url).request(callback.toString());
    expect(new URL(elsewhere.headers.get('location')!).searchParams.get('error')).toBe('oauth_failed');
    expect(await sessionRow(app, id)).toMatchObject({ state: 'FAILED', error_reason: 'state_not_bound_to_browser' });
  });

  it('refuses a replayed callback, and an IdP code replayed into a new sign-in', async () => {
    const first = await signIn(setup);
    const callback = first.trail.find((u) => u.startsWith(PORTICO_CALLBACK))!;
    const replay = await first.browser.request(callback);
    expect(replay.status).toBe(400);
    expect(first.session.state).toBe('AUTHORIZED');

    // The old code under a fresh sign-in's state: the IdP refuses the used code at its token endpoint.
    const url = setup.workos.sso.getAuthorizationUrl({ connection: setup.connection.id, redirectUri: CALLBACK, state: 'app-state', clientId: setup.environment.clientId });
    const atIdp = (await first.browser.follow(url, forge.base)).landed!;
    const fresh = new URL(PORTICO_CALLBACK);
    fresh.search = new URLSearchParams({ code: new URL(callback).searchParams.get('code')!, state: atIdp.searchParams.get('state')! }).toString();
    const res = await first.browser.request(fresh.toString());
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('oauth_failed');
    const [{ id }] = await app.db.query('SELECT id FROM sso_sessions WHERE connection_id = $1 ORDER BY id DESC LIMIT 1', [setup.connection.id]);
    expect(await sessionRow(app, id)).toMatchObject({ state: 'FAILED', error_reason: 'token_exchange_failed' });
  });

  it('refuses an ID token already used to sign in (the replay cache: issuer, subject, audience, nonce, iat, jti)', async () => {
    // A nonce is new for every sign-in, so an IdP can only hand the same token twice within one: the cache is what
    // refuses it. The token is recorded as used the moment it is issued, as a first sign-in with it would have.
    forge.beforeIssue = async (claims) => {
      const tokenId = createHash('sha256').update(JSON.stringify([claims.iss, claims.sub, claims.aud, claims.nonce, claims.iat, claims.jti ?? null])).digest('base64url');
      await app.db.query('INSERT INTO saml_assertion_ids (connection_id, assertion_id, expires_at) VALUES ($1, $2, now() + interval \'10 minutes\')', [setup.connection.id, `oidc:${tokenId}`]);
    };
    try {
      const { session } = await refused({}, 'replayed_id_token');
      expect(session).toMatchObject({ error: 'INVALID_ID_TOKEN', profile: null });
      expect(await app.db.query('SELECT 1 FROM authorization_codes WHERE session_id = $1', [session.id])).toHaveLength(0);
    } finally {
      forge.beforeIssue = null;
    }
    expect((await signIn(setup)).session).toMatchObject({ state: 'AUTHORIZED' }); // the next token signs in
  });

  it('refuses to start through an inactive or draft connection, and fails a sign-in whose connection was turned off meanwhile', async () => {
    const draft = (await setup.admin.data(CREATE, { input: { organizationId: setup.org.id, discoveryUrl: forge.issuer } })).createOidcConnection;
    expect(draft).toMatchObject({ state: 'DRAFT', oidc: { clientSecretSet: false, clientId: null } });
    const url = (connection: string) => setup.workos.sso.getAuthorizationUrl({ connection, redirectUri: CALLBACK, state: 's', clientId: setup.environment.clientId });
    const toDraft = await fetch(url(draft.id).replace(PUBLIC_URL, app.url), { redirect: 'manual' });
    expect(new URL(toDraft.headers.get('location')!).searchParams.get('error')).toBe('connection_invalid');

    const browser = new TestBrowser(PUBLIC_URL, app.url);
    const atIdp = (await browser.follow(url(setup.connection.id), forge.base)).landed!;
    await setup.admin.data(ENABLE, { id: setup.connection.id, enabled: false });
    const back = await fetch(`${forge.base}${atIdp.pathname}${atIdp.search}`, { redirect: 'manual' });
    const res = await browser.request(back.headers.get('location')!);
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('connection_invalid');
    const [{ id }] = await app.db.query('SELECT id FROM sso_sessions WHERE connection_id = $1 ORDER BY id DESC LIMIT 1', [setup.connection.id]);
    expect(await sessionRow(app, id)).toMatchObject({ state: 'FAILED', error_reason: 'connection_inactive' });

    const toInactive = await fetch(url(setup.connection.id).replace(PUBLIC_URL, app.url), { redirect: 'manual' });
    expect(new URL(toInactive.headers.get('location')!).searchParams.get('error')).toBe('connection_invalid');
    await setup.admin.data(ENABLE, { id: setup.connection.id, enabled: true });
  });
});
