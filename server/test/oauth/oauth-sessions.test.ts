import { startTestApp, type TestApp } from '../helpers/app';
import { GqlClient } from '../helpers/client';
import { buildSsoSetup, CALLBACK, postToAcs, randomIp, sessionRow } from '../helpers/sso';
import { startOidcStandIn, TestBrowser, type OidcStandIn } from '../helpers/oauth-providers';
import { FAILED_OAUTH_LIMITS } from '../../src/modules/sso-sessions/acs-limits';
import { OIDC_DASHBOARD_ERRORS, OIDC_REASONS, oidcDashboardError } from '../../src/auth/oidc';

/** OAuth sign-ins as the dashboard sees them: oauthSession(id), an environment's oauthSessions, the error kinds, the per-IP limit. */
const PUBLIC_URL = 'http://portico.test';
const PORTICO_CALLBACK = `${PUBLIC_URL}/sso/oauth/callback`;
const GOOGLE = { clientId: '1234-portico.apps.googleusercontent.com', clientSecret: 'GOCSPX-google-secret' };

let google: OidcStandIn;
let app: TestApp;

beforeAll(async () => {
  google = await startOidcStandIn({ ...GOOGLE, redirectUri: PORTICO_CALLBACK, user: { sub: '108234987654321', claims: { email: 'ada@gmail.com', email_verified: true, given_name: 'Ada', family_name: 'Lovelace', name: 'Ada Lovelace' } } });
  app = await startTestApp({ PUBLIC_URL, PORTICO_TEST_OAUTH_PROVIDER_URLS: `GoogleOAuth=${google.base}` });
});
afterAll(async () => {
  await app?.close();
  await google?.close();
});

const ENABLE = `mutation($input: UpdateOAuthProviderInput!) { updateOAuthProvider(input: $input) { provider enabled } }`;
const OAUTH_SESSION = `query($id: ID!) { oauthSession(id: $id) { id provider state timedOut email firstName lastName idpId error errorReason errorMessage errorDetails redirectUri profile oauthExchange startedAt authorizedAt succeededAt failedAt } }`;
const LIST = `query($env: ID!, $provider: String, $first: Int, $after: String, $filter: SessionFilterInput) { environment(id: $env) { oauthSessions(provider: $provider, first: $first, after: $after, filter: $filter) { totalCount edges { node { id provider state email error errorReason } } pageInfo { hasNextPage endCursor } } } }`;

async function googleSetup() {
  const setup = await buildSsoSetup(app);
  await setup.admin.data(ENABLE, { input: { environmentId: setup.environment.id, provider: 'GoogleOAuth', enabled: true, ...GOOGLE } });
  return setup;
}
type Setup = Awaited<ReturnType<typeof googleSetup>>;

const sessionIdOf = (url: URL) => /Session (sso_session_\w+)/.exec(url.searchParams.get('error_description') ?? '')?.[1];

async function signIn(setup: Setup, state = 'st') {
  return new TestBrowser(PUBLIC_URL, app.url).follow(setup.workos.sso.getAuthorizationUrl({ provider: 'GoogleOAuth', redirectUri: CALLBACK, state, clientId: setup.environment.clientId }), CALLBACK);
}

/** A started sign-in, stopped before the provider: the browser and the state Portico gave the provider. */
async function startSignIn(setup: Setup) {
  const browser = new TestBrowser(PUBLIC_URL, app.url);
  const res = await browser.request(setup.workos.sso.getAuthorizationUrl({ provider: 'GoogleOAuth', redirectUri: CALLBACK, clientId: setup.environment.clientId }));
  return { browser, state: new URL(res.headers.get('location')!).searchParams.get('state')! };
}

describe('the dashboard’s error kinds for OAuth/OIDC failures', () => {
  it('files every reason under a kind, consent and provider errors under OAUTH_PROVIDER_ERROR and the domain policy under SAML’s kind', () => {
    expect(Object.keys(OIDC_DASHBOARD_ERRORS).sort()).toEqual(Object.keys(OIDC_REASONS).sort());
    expect(oidcDashboardError('consent_denied')).toBe('OAUTH_PROVIDER_ERROR');
    expect(oidcDashboardError('invalid_id_token_audience')).toBe('INVALID_ID_TOKEN');
    expect(oidcDashboardError('email_not_verified')).toBe('INVALID_CLAIMS');
    expect(oidcDashboardError('state_not_bound_to_browser')).toBe('INVALID_STATE');
    expect(oidcDashboardError('domain_not_allowed')).toBe('PROFILE_NOT_ALLOWED_OUTSIDE_ORGANIZATION');
  });
});

describe('OAuth sessions in the dashboard', () => {
  it('shows a successful Google sign-in: provider, user, profile and the raw exchange with its tokens redacted', async () => {
    const setup = await googleSetup();
    const { landed } = await signIn(setup);
    const { accessToken } = (await setup.workos.sso.getProfileAndToken({ code: landed!.searchParams.get('code')!, clientId: setup.environment.clientId })).oauthTokens!;
    const { edges } = (await setup.admin.data(LIST, { env: setup.environment.id, provider: 'GoogleOAuth' })).environment.oauthSessions;
    expect(edges).toHaveLength(1);
    const { oauthSession: s } = await setup.admin.data(OAUTH_SESSION, { id: edges[0].node.id });
    expect(s).toMatchObject({ provider: 'GoogleOAuth', state: 'SUCCESSFUL', email: 'ada@gmail.com', firstName: 'Ada', idpId: '108234987654321', error: null, redirectUri: CALLBACK });
    expect(s.profile).toMatchObject({ email: 'ada@gmail.com', connection_type: 'GoogleOAuth' });
    expect(s.oauthExchange.authorization_request).toMatchObject({ url: `${google.issuer}/auth`, params: { client_id: GOOGLE.clientId, state: '[redacted]', nonce: '[redacted]' } });
    expect(s.oauthExchange.token_response).toMatchObject({ access_token: '[redacted]', id_token: '[redacted]', token_type: 'bearer' });
    expect(s.oauthExchange.id_token_claims).toMatchObject({ sub: '108234987654321', email: 'ada@gmail.com', aud: GOOGLE.clientId });
    expect(JSON.stringify(s.oauthExchange)).not.toContain(accessToken);
  });

  it('shows a declined consent as an OAuth Provider Error with the provider’s error and description', async () => {
    const setup = await googleSetup();
    google.deny = true;
    try {
      const { landed } = await signIn(setup);
      expect(landed!.searchParams.get('error')).toBe('signin_consent_denied');
      const { oauthSession: s } = await setup.admin.data(OAUTH_SESSION, { id: sessionIdOf(landed!) });
      expect(s).toMatchObject({ state: 'FAILED', error: 'OAUTH_PROVIDER_ERROR', errorReason: 'consent_denied', errorDetails: { providerError: 'access_denied' } });
      expect(s.failedAt).toBeTruthy();
      // The kind filters the environment's list as it filters a connection's.
      const failed = await setup.admin.data(LIST, { env: setup.environment.id, filter: { errors: ['OAUTH_PROVIDER_ERROR'] } });
      expect(failed.environment.oauthSessions.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([s.id]);
      expect((await setup.admin.data(LIST, { env: setup.environment.id, filter: { errors: ['INVALID_ID_TOKEN'] } })).environment.oauthSessions.totalCount).toBe(0);
    } finally {
      google.deny = false;
    }
  });

  it('diagnoses a callback in another browser as Invalid State', async () => {
    const setup = await googleSetup();
    const attacker = new TestBrowser(PUBLIC_URL, app.url);
    const { trail } = await attacker.follow(setup.workos.sso.getAuthorizationUrl({ provider: 'GoogleOAuth', redirectUri: CALLBACK, clientId: setup.environment.clientId }), PORTICO_CALLBACK);
    const { landed } = await new TestBrowser(PUBLIC_URL, app.url).follow(trail.at(-1)!, CALLBACK);
    const { oauthSession: s } = await setup.admin.data(OAUTH_SESSION, { id: sessionIdOf(landed!) });
    expect(s).toMatchObject({ error: 'INVALID_STATE', errorReason: 'state_not_bound_to_browser', errorDetails: { expected: 'the browser that started the sign-in', received: 'no binding cookie' } });
  });

  it('pages an environment’s OAuth sessions newest first, without its SAML sessions', async () => {
    const setup = await googleSetup();
    for (let i = 0; i < 3; i += 1) await startSignIn(setup);
    await postToAcs(app, setup.connection.id, '%%%junk%%%');
    const first = (await setup.admin.data(LIST, { env: setup.environment.id, first: 2 })).environment.oauthSessions;
    expect(first.totalCount).toBe(3);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await setup.admin.data(LIST, { env: setup.environment.id, first: 2, after: first.pageInfo.endCursor })).environment.oauthSessions;
    const ids = [...first.edges, ...second.edges].map((e: { node: { id: string } }) => e.node.id);
    expect(ids).toEqual([...ids].sort().reverse());
    expect(new Set(ids).size).toBe(3);
    expect(second.edges.every((e: { node: { provider: string; state: string } }) => e.node.provider === 'GoogleOAuth' && e.node.state === 'STARTED')).toBe(true);
  });

  it('keeps OAuth sessions to their tenant: NOT_FOUND for another workspace and another environment’s API key', async () => {
    const [mine, theirs] = [await googleSetup(), await googleSetup()];
    await startSignIn(mine);
    const [{ id }] = await app.db.query('SELECT id FROM sso_sessions WHERE environment_id = $1 AND provider IS NOT NULL', [mine.environment.id]);
    expect((await mine.team.as.SUPPORT.data(OAUTH_SESSION, { id })).oauthSession.id).toBe(id);
    expect((await new GqlClient(app.url, { bearer: mine.apiKey }).data(OAUTH_SESSION, { id })).oauthSession.id).toBe(id);
    expect((await theirs.admin.error(OAUTH_SESSION, { id })).code).toBe('NOT_FOUND');
    expect((await new GqlClient(app.url, { bearer: theirs.apiKey }).error(OAUTH_SESSION, { id })).code).toBe('NOT_FOUND');
    // An OAuth session is not an SsoSession (v1 requires its connection), and a SAML session is not an OAuthSession.
    expect((await mine.admin.error('query($id: ID!) { session(id: $id) { id } }', { id })).code).toBe('NOT_FOUND');
    await postToAcs(app, mine.connection.id, '%%%junk%%%');
    const [saml] = await app.db.query('SELECT id FROM sso_sessions WHERE connection_id = $1', [mine.connection.id]);
    expect((await mine.admin.error(OAUTH_SESSION, { id: saml.id })).code).toBe('NOT_FOUND');
  });
});

describe('failed OAuth callbacks per IP', () => {
  it('records failures from one IP up to the limit; past it the app still gets the error, and the attempt is not kept', async () => {
    const setup = await googleSetup();
    const ip = randomIp();
    const extra = 3;
    const answers: URL[] = [];
    for (let i = 0; i < FAILED_OAUTH_LIMITS.perIp.limit + extra; i += 1) {
      const { browser, state } = await startSignIn(setup);
      const res = await browser.request(`${PORTICO_CALLBACK}?error=access_denied&error_description=${'x'.repeat(2000)}&state=${state}`, { headers: { 'x-forwarded-for': ip } });
      answers.push(new URL(res.headers.get('location')!));
    }
    expect(answers.every((a) => a.searchParams.get('error') === 'signin_consent_denied')).toBe(true);
    expect(answers.at(-1)!.searchParams.get('error_description')).toMatch(/not recorded/);
    const rows = await app.db.query(`SELECT state FROM sso_sessions WHERE environment_id = $1 AND provider IS NOT NULL`, [setup.environment.id]);
    expect(rows).toHaveLength(FAILED_OAUTH_LIMITS.perIp.limit);
    expect(rows.every((r: { state: string }) => r.state === 'FAILED')).toBe(true);

    // Another IP's failure is still recorded, and a successful sign-in from the limited IP is never refused.
    const { browser, state } = await startSignIn(setup);
    const other = new URL((await browser.request(`${PORTICO_CALLBACK}?error=access_denied&state=${state}`, { headers: { 'x-forwarded-for': randomIp() } })).headers.get('location')!);
    expect((await sessionRow(app, sessionIdOf(other)!)).state).toBe('FAILED');
    const ok = await signIn(setup);
    expect(ok.landed!.searchParams.get('code')).toBeTruthy();
  });
});

describe('contract errors at the callback', () => {
  it('sends connection_strategy_invalid, saying how to enable it, when the provider is disabled while the user is at Google', async () => {
    const setup = await googleSetup();
    const browser = new TestBrowser(PUBLIC_URL, app.url);
    const { trail } = await browser.follow(setup.workos.sso.getAuthorizationUrl({ provider: 'GoogleOAuth', redirectUri: CALLBACK, state: 'app', clientId: setup.environment.clientId }), PORTICO_CALLBACK);
    await setup.admin.data(ENABLE, { input: { environmentId: setup.environment.id, provider: 'GoogleOAuth', enabled: false } });
    const { landed } = await browser.follow(trail.at(-1)!, CALLBACK);
    expect(landed!.searchParams.get('error')).toBe('connection_strategy_invalid');
    expect(landed!.searchParams.get('error_description')).toContain('Enable it in the Portico dashboard: Configuration → OAuth providers → Google');
    expect(landed!.searchParams.get('state')).toBe('app');
    expect(landed!.searchParams.get('code')).toBeNull();
    expect(await sessionRow(app, sessionIdOf(landed!)!)).toMatchObject({ state: 'FAILED', error: 'OAUTH_PROVIDER_ERROR', error_reason: 'provider_error' });
  });
});
