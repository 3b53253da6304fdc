import { startTestApp, type TestApp } from '../helpers/app';
import { buildSsoSetup, CALLBACK, sessionRow } from '../helpers/sso';
import { startGitHubStandIn, startOidcStandIn, TestBrowser, type GitHubStandIn, type OidcStandIn } from '../helpers/oauth-providers';

const PUBLIC_URL = 'http://portico.test';
const PORTICO_CALLBACK = `${PUBLIC_URL}/sso/oauth/callback`;
const GOOGLE = { clientId: '1234-portico.apps.googleusercontent.com', clientSecret: 'GOCSPX-google-secret' };
const GITHUB = { clientId: 'Ov23liPorticoTest01', clientSecret: 'github-secret-0123456789' };

let google: OidcStandIn;
let github: GitHubStandIn;
let app: TestApp;

beforeAll(async () => {
  google = await startOidcStandIn({ ...GOOGLE, redirectUri: PORTICO_CALLBACK, user: { sub: '108234987654321', claims: { email: 'Ada@Gmail.com', email_verified: true, given_name: 'Ada', family_name: 'Lovelace', name: 'Ada Lovelace' } } });
  github = await startGitHubStandIn({ ...GITHUB, redirectUri: PORTICO_CALLBACK });
  app = await startTestApp({ PUBLIC_URL, PORTICO_TEST_OAUTH_PROVIDER_URLS: `GoogleOAuth=${google.base},GitHubOAuth=${github.base}` });
});
afterAll(async () => {
  await app?.close();
  await google?.close();
  await github?.close();
});

const ENABLE = `mutation($input: UpdateOAuthProviderInput!) { updateOAuthProvider(input: $input) { provider enabled } }`;

async function setupWith(providers: ('GoogleOAuth' | 'GitHubOAuth')[]) {
  const setup = await buildSsoSetup(app);
  for (const provider of providers) {
    const creds = provider === 'GoogleOAuth' ? GOOGLE : GITHUB;
    await setup.admin.data(ENABLE, { input: { environmentId: setup.environment.id, provider, enabled: true, ...creds } });
  }
  return setup;
}

const sessionIdOf = (url: URL) => /Session (sso_session_\w+)/.exec(url.searchParams.get('error_description') ?? '')?.[1];

async function latestSession(environmentId: string) {
  const [row] = await app.db.query('SELECT * FROM sso_sessions WHERE environment_id = $1 AND provider IS NOT NULL ORDER BY id DESC LIMIT 1', [environmentId]);
  return row;
}

describe('Sign in with Google (oidc-provider playing Google) through the official SDK', () => {
  it('authorize → Google → callback → code → getProfileAndToken: the profile, its connection_type and oauth_tokens, and a SUCCESSFUL session', async () => {
    google.deny = false;
    const setup = await setupWith(['GoogleOAuth']);
    const url = setup.workos.sso.getAuthorizationUrl({
      provider: 'GoogleOAuth', redirectUri: CALLBACK, state: 'app-state-1', clientId: setup.environment.clientId, loginHint: 'ada@gmail.com', providerQueryParams: { prompt: 'consent' },
    });
    const browser = new TestBrowser(PUBLIC_URL, app.url);
    const { landed, trail } = await browser.follow(url, CALLBACK);
    const toGoogle = new URL(trail[1]!);
    expect(`${toGoogle.origin}${toGoogle.pathname}`).toBe(`${google.issuer}/auth`);
    expect(Object.fromEntries(toGoogle.searchParams)).toMatchObject({
      client_id: GOOGLE.clientId, redirect_uri: PORTICO_CALLBACK, response_type: 'code', scope: 'openid email profile', code_challenge_method: 'S256', login_hint: 'ada@gmail.com', prompt: 'consent',
    });
    expect(toGoogle.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(toGoogle.searchParams.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(landed).not.toBeNull();
    expect(landed!.searchParams.get('state')).toBe('app-state-1');
    const code = landed!.searchParams.get('code')!;
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const { profile, accessToken, oauthTokens } = await setup.workos.sso.getProfileAndToken({ code, clientId: setup.environment.clientId });
    expect(profile).toMatchObject({ idpId: '108234987654321', email: 'ada@gmail.com', firstName: 'Ada', lastName: 'Lovelace', connectionType: 'GoogleOAuth' });
    expect(profile.connectionId).toMatch(/^conn_/);
    expect(profile.organizationId).toBeFalsy();
    expect(oauthTokens).toMatchObject({ accessToken: expect.any(String), scopes: expect.arrayContaining(['openid', 'email', 'profile']) });
    expect(oauthTokens!.expiresAt).toBeGreaterThan(Date.now() / 1000);
    expect(await setup.workos.sso.getProfile({ accessToken })).toEqual(profile);

    const session = await latestSession(setup.environment.id);
    expect(session).toMatchObject({ state: 'SUCCESSFUL', provider: 'GoogleOAuth', email: 'ada@gmail.com', idp_id: '108234987654321', connection_id: null, organization_id: null, oauth_tokens_sealed: null });
    expect(session.oauth_exchange.authorization_request.params).toMatchObject({ client_id: GOOGLE.clientId, state: '[redacted]', nonce: '[redacted]' });
    expect(session.oauth_exchange.token_response).toMatchObject({ access_token: '[redacted]', id_token: '[redacted]', token_type: 'bearer' });
    expect(session.oauth_exchange.id_token_claims).toMatchObject({ iss: google.issuer, aud: GOOGLE.clientId, sub: '108234987654321', email: 'Ada@Gmail.com' });
    expect(JSON.stringify(session.oauth_exchange)).not.toContain(oauthTokens!.accessToken);

    // The same profile's connection ID on every sign-in through this environment's Google.
    const again = await browser.follow(setup.workos.sso.getAuthorizationUrl({ provider: 'GoogleOAuth', redirectUri: CALLBACK, clientId: setup.environment.clientId }), CALLBACK);
    const second = await setup.workos.sso.getProfileAndToken({ code: again.landed!.searchParams.get('code')!, clientId: setup.environment.clientId });
    expect(second.profile.connectionId).toBe(profile.connectionId);
  });

  it('records a declined consent as a FAILED session and sends the app signin_consent_denied', async () => {
    const setup = await setupWith(['GoogleOAuth']);
    google.deny = true;
    try {
      const { landed } = await new TestBrowser(PUBLIC_URL, app.url).follow(setup.workos.sso.getAuthorizationUrl({ provider: 'GoogleOAuth', redirectUri: CALLBACK, state: 's2', clientId: setup.environment.clientId }), CALLBACK);
      expect(landed!.searchParams.get('error')).toBe('signin_consent_denied');
      expect(landed!.searchParams.get('state')).toBe('s2');
      expect(landed!.searchParams.get('code')).toBeNull();
      const session = await sessionRow(app, sessionIdOf(landed!)!);
      expect(session).toMatchObject({ state: 'FAILED', provider: 'GoogleOAuth', error_reason: 'consent_denied' });
      expect(session.error_details).toMatchObject({ providerError: 'access_denied', providerErrorDescription: 'End-User aborted interaction' });
    } finally {
      google.deny = false;
    }
  });

  it('answers an error page, not the app, for a callback with a state Portico never issued, and leaves the started session alone', async () => {
    const setup = await setupWith(['GoogleOAuth']);
    const browser = new TestBrowser(PUBLIC_URL, app.url);
    const res = await browser.request(setup.workos.sso.getAuthorizationUrl({ provider: 'GoogleOAuth', redirectUri: CALLBACK, clientId: setup.environment.clientId }));
    expect(res.status).toBe(302);
    const forged = await browser.request(`${PORTICO_CALLBACK}?code=abc&state=${'x'.repeat(43)}`);
    expect(forged.status).toBe(400);
    expect(forged.headers.get('location')).toBeNull();
    expect(await forged.text()).toContain('This sign-in link is no longer valid');
    expect((await latestSession(setup.environment.id)).state).toBe('STARTED');
  });

  it('refuses a replayed callback (same state and code): the state is one-time, so the second one finds no sign-in', async () => {
    const setup = await setupWith(['GoogleOAuth']);
    const browser = new TestBrowser(PUBLIC_URL, app.url);
    const { trail, landed } = await browser.follow(setup.workos.sso.getAuthorizationUrl({ provider: 'GoogleOAuth', redirectUri: CALLBACK, clientId: setup.environment.clientId }), CALLBACK);
    expect(landed!.searchParams.get('code')).toBeTruthy();
    const callback = trail.find((u) => u.startsWith(PORTICO_CALLBACK))!;
    const replay = await browser.request(callback);
    expect(replay.status).toBe(400);
    expect((await latestSession(setup.environment.id)).state).toBe('AUTHORIZED');
  });

  it('refuses a callback in another browser than the one that started the sign-in (state bound to the browser)', async () => {
    const setup = await setupWith(['GoogleOAuth']);
    const victim = new TestBrowser(PUBLIC_URL, app.url);
    // The attacker starts a sign-in and stops at Portico's callback; the victim's browser is sent there.
    const attacker = new TestBrowser(PUBLIC_URL, app.url);
    const { trail } = await attacker.follow(setup.workos.sso.getAuthorizationUrl({ provider: 'GoogleOAuth', redirectUri: CALLBACK, clientId: setup.environment.clientId }), PORTICO_CALLBACK);
    const { landed } = await victim.follow(trail[trail.length - 1]!, CALLBACK);
    expect(landed!.searchParams.get('error')).toBe('oauth_failed');
    expect(landed!.searchParams.get('code')).toBeNull();
    expect(await sessionRow(app, sessionIdOf(landed!)!)).toMatchObject({ state: 'FAILED', error_reason: 'state_not_bound_to_browser' });
  });

  it('answers NOT_FOUND, not an internal error, for an OAuth session read as an SsoSession (it is an OAuthSession: oauthSession(id))', async () => {
    const setup = await setupWith(['GoogleOAuth']);
    await new TestBrowser(PUBLIC_URL, app.url).follow(setup.workos.sso.getAuthorizationUrl({ provider: 'GoogleOAuth', redirectUri: CALLBACK, clientId: setup.environment.clientId }), CALLBACK);
    const session = await latestSession(setup.environment.id);
    const error = await setup.admin.error('query($id: ID!) { session(id: $id) { id state } }', { id: session.id });
    expect(error.code).toBe('NOT_FOUND');
  });

  it('sends connection_strategy_invalid, saying how to enable it, for a provider that is not enabled', async () => {
    const setup = await setupWith(['GitHubOAuth']);
    const res = await fetch(setup.workos.sso.getAuthorizationUrl({ provider: 'GoogleOAuth', redirectUri: CALLBACK, state: 's', clientId: setup.environment.clientId }), { redirect: 'manual' });
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('connection_strategy_invalid');
    expect(location.searchParams.get('error_description')).toContain('Configuration → OAuth providers → Google');
    expect(location.searchParams.get('state')).toBe('s');
  });
});

describe('Sign in with GitHub (a local server with GitHub’s endpoint shapes)', () => {
  it('signs in with the primary verified email from the emails API', async () => {
    const setup = await setupWith(['GitHubOAuth']);
    const url = setup.workos.sso.getAuthorizationUrl({ provider: 'GitHubOAuth', redirectUri: CALLBACK, state: 'gh', clientId: setup.environment.clientId, providerScopes: ['repo'] });
    const { landed, trail } = await new TestBrowser(PUBLIC_URL, app.url).follow(url, CALLBACK);
    expect(new URL(trail[1]!).searchParams.get('scope')).toBe('read:user user:email repo');
    const { profile, oauthTokens } = await setup.workos.sso.getProfileAndToken({ code: landed!.searchParams.get('code')!, clientId: setup.environment.clientId });
    expect(profile).toMatchObject({ idpId: '583231', email: 'octocat@github.com', firstName: 'Mona Lisa', lastName: 'Octocat', connectionType: 'GitHubOAuth' });
    expect(oauthTokens!.accessToken).toMatch(/^gho_/);
    expect(oauthTokens!.scopes).toEqual(['read:user', 'user:email', 'repo']);
    const session = await latestSession(setup.environment.id);
    expect(session.oauth_exchange.user_info.emails).toHaveLength(2);
  });

  it('refuses a GitHub user without a verified primary email', async () => {
    const setup = await setupWith(['GitHubOAuth']);
    const saved = github.emails;
    github.emails = [{ email: 'octocat@github.com', primary: true, verified: false, visibility: 'public' }];
    try {
      const { landed } = await new TestBrowser(PUBLIC_URL, app.url).follow(setup.workos.sso.getAuthorizationUrl({ provider: 'GitHubOAuth', redirectUri: CALLBACK, clientId: setup.environment.clientId }), CALLBACK);
      expect(landed!.searchParams.get('error')).toBe('oauth_failed');
      expect(await sessionRow(app, sessionIdOf(landed!)!)).toMatchObject({ state: 'FAILED', error_reason: 'missing_claims' });
    } finally {
      github.emails = saved;
    }
  });

  it('records GitHub’s access_denied as signin_consent_denied', async () => {
    const setup = await setupWith(['GitHubOAuth']);
    github.deny = true;
    try {
      const { landed } = await new TestBrowser(PUBLIC_URL, app.url).follow(setup.workos.sso.getAuthorizationUrl({ provider: 'GitHubOAuth', redirectUri: CALLBACK, clientId: setup.environment.clientId }), CALLBACK);
      expect(landed!.searchParams.get('error')).toBe('signin_consent_denied');
      expect((await sessionRow(app, sessionIdOf(landed!)!)).error_details.providerErrorDescription).toBe('The user has denied your application access.');
    } finally {
      github.deny = false;
    }
  });
});
