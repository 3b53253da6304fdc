import { startTestApp, type TestApp } from '../helpers/app';
import { startOidcStandIn, TestBrowser, type OidcStandIn } from '../helpers/oauth-providers';
import { buildPortalSetup } from '../helpers/portal';
import { CALLBACK } from '../helpers/sso';

const PUBLIC_URL = 'http://portico.test';
const REDIRECT_URI = `${PUBLIC_URL}/sso/oauth/callback`;
const CLIENT = { clientId: 'portal-oidc-client', clientSecret: 'portal-oidc-secret-4711' };
const ADA = { sub: 'idp-user-42', claims: { email: 'ada@acme.com', email_verified: true, given_name: 'Ada', family_name: 'Lovelace', groups: ['Engineering'] } };

let app: TestApp;
let idp: OidcStandIn;
beforeAll(async () => {
  idp = await startOidcStandIn({ ...CLIENT, redirectUri: REDIRECT_URI, tokenEndpointAuthMethod: 'client_secret_basic', user: ADA });
  app = await startTestApp({ PUBLIC_URL });
});
afterAll(async () => {
  await app?.close();
  await idp?.close();
});

/** The IT admin's browser, with every cookie it gets (portal session, OAuth browser binding, the IdP's own). */
class AdminBrowser extends TestBrowser {
  constructor() {
    super(PUBLIC_URL, app.url);
  }

  async api(method: string, path: string, body?: unknown) {
    const res = await this.request(`${PUBLIC_URL}/portal/api${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, setCookie: res.headers.getSetCookie() };
  }

  /** Portal "Test sign-in" → the IdP → /sso/oauth/callback → the portal's result URL → the result page's data. */
  async testSignIn() {
    const started = await this.api('POST', '/sso/test', {});
    if (started.status !== 200) return { started, result: null };
    const { landed, trail } = await this.follow(started.body.location, `${PUBLIC_URL}/portal/sso/test-result`);
    const landing = await this.request(landed!.toString());
    const id = decodeURIComponent(landing.headers.get('location')!.split('/').pop()!);
    return { started, trail, landed, result: await this.api('GET', `/sso/tests/${id}`) };
  }
}

async function openPortal() {
  const setup = await buildPortalSetup(app);
  const { link } = await setup.workos.adminPortal.generateLink({ intent: 'sso' as never, organization: setup.org.id });
  const admin = new AdminBrowser();
  expect((await admin.request(link)).status).toBe(303);
  return { ...setup, admin };
}

describe('the Admin Portal sets up OpenID Connect', () => {
  it('generateLink → choose OpenID Connect → configure → test sign-in succeeds and activates → getProfileAndToken works for the app', async () => {
    const { admin, workos, org, environment } = await openPortal();

    const chosen = await admin.api('POST', '/sso/idp', { idp: 'oidc' });
    expect(chosen.status).toBe(200);
    expect(chosen.body.connection).toMatchObject({
      state: 'draft', idp: 'oidc', connectionType: 'GenericOIDC', certificates: [],
      oidc: { redirectUri: REDIRECT_URI, discoveryUrl: null, issuer: null, clientId: null, clientSecretSet: false },
    });

    const configured = await admin.api('PUT', '/sso/idp-details', { discoveryUrl: idp.issuer, ...CLIENT });
    expect(configured.status).toBe(200);
    expect(configured.body.connection).toMatchObject({
      state: 'validating', oidc: { discoveryUrl: `${idp.issuer}/.well-known/openid-configuration`, issuer: idp.issuer, clientId: CLIENT.clientId, clientSecretSet: true },
    });
    // Write-only: the secret never comes back, and saving again without it keeps it.
    expect(JSON.stringify(configured.body)).not.toContain(CLIENT.clientSecret);
    const resaved = await admin.api('PUT', '/sso/idp-details', { discoveryUrl: idp.issuer, clientId: CLIENT.clientId });
    expect(resaved.body.connection).toMatchObject({ state: 'validating', oidc: { clientSecretSet: true } });
    const [{ sealed }] = await app.db.query('SELECT oidc_client_secret_sealed AS sealed FROM connections WHERE id = $1', [chosen.body.connection.id]);
    expect(sealed).not.toContain(CLIENT.clientSecret);

    const { started, trail, result } = await admin.testSignIn();
    // The binding cookie the callback checks comes with the portal's answer, scoped to /sso/oauth.
    expect(started.setCookie.find((c) => c.startsWith('portico_oauth_browser='))).toMatch(/Path=\/sso\/oauth; HttpOnly; SameSite=Lax/);
    expect(trail!.some((u) => u.startsWith(`${REDIRECT_URI}?`))).toBe(true);
    expect(result!.body).toMatchObject({
      state: 'SUCCESSFUL', connectionState: 'active',
      profile: { email: 'ada@acme.com', first_name: 'Ada', last_name: 'Lovelace', idp_id: 'idp-user-42', organization_id: org.id, connection_type: 'GenericOIDC', groups: ['Engineering'] },
    });
    // The claims received are shown beside the profile.
    expect(result!.body.profile.raw_attributes).toMatchObject({ sub: 'idp-user-42', iss: idp.issuer, aud: CLIENT.clientId, email: 'ada@acme.com' });
    const [{ unused }] = await app.db.query('SELECT count(*)::int AS unused FROM authorization_codes WHERE session_id = $1 AND used_at IS NULL', [result!.body.id]);
    expect(unused).toBe(0);

    // The application's own sign-in now goes through the connection the IT admin set up.
    const employee = new TestBrowser(PUBLIC_URL, app.url);
    const url = workos.sso.getAuthorizationUrl({ organization: org.id, redirectUri: CALLBACK, state: 'app-state', clientId: environment.clientId });
    const { landed } = await employee.follow(url.replace('https://api.workos.com', app.url), CALLBACK);
    expect(landed!.searchParams.get('state')).toBe('app-state');
    const { profile } = await workos.sso.getProfileAndToken({ code: landed!.searchParams.get('code')!, clientId: environment.clientId });
    expect(profile).toMatchObject({ email: 'ada@acme.com', idpId: 'idp-user-42', organizationId: org.id, connectionId: chosen.body.connection.id, connectionType: 'GenericOIDC' });

    expect((await admin.api('POST', '/complete', {})).body).toMatchObject({ completed: true });
    const actions = (await app.db.query('SELECT action FROM portal_actions WHERE organization_id = $1 ORDER BY id', [org.id])).map((r: { action: string }) => r.action);
    expect(actions).toEqual(['link_generated', 'link_opened', 'connection_created', 'connection_configured', 'connection_configured', 'test_sign_in_started', 'test_sign_in_succeeded', 'setup_completed']);
  });

  it('names the field in the admin’s words: missing values, a bad discovery URL, an unreachable one', async () => {
    const { admin } = await openPortal();
    await admin.api('POST', '/sso/idp', { idp: 'oidc' });
    const empty = await admin.api('PUT', '/sso/idp-details', {});
    expect(empty.status).toBe(422);
    expect(empty.body.errors.map((e: { field: string }) => e.field)).toEqual(['discoveryUrl', 'clientId', 'clientSecret']);
    expect(empty.body.errors[2].message).toMatch(/client secret/);

    const notUrl = await admin.api('PUT', '/sso/idp-details', { discoveryUrl: 'javascript:alert(1)', ...CLIENT });
    expect(notUrl.status).toBe(422);
    expect(notUrl.body.errors[0]).toMatchObject({ field: 'discoveryUrl', code: 'https_required' });
    expect(notUrl.body.message ?? '').not.toMatch(/at \w+ \(/);
    // Checked with the other fields, so the admin sees every problem at once.
    const together = await admin.api('PUT', '/sso/idp-details', { discoveryUrl: 'ftp://idp.example.com' });
    expect(together.body.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`)).toEqual(['discoveryUrl:https_required', 'clientId:required', 'clientSecret:required']);

    const nothingThere = await admin.api('PUT', '/sso/idp-details', { discoveryUrl: `${idp.issuer}/nothing-here`, ...CLIENT });
    expect(nothingThere.body.errors[0]).toMatchObject({ field: 'discoveryUrl', code: 'fetch_failed' });
    // Nothing was saved: the connection is still a draft, and a test sign-in is refused with what to finish.
    expect((await admin.api('GET', '/sso')).body.connection).toMatchObject({ state: 'draft', oidc: { clientSecretSet: false } });
    expect((await admin.api('POST', '/sso/test', {})).body).toMatchObject({ errors: [{ field: 'connection', code: 'not_configured' }] });
  });

  it('shows a failed test with its diagnosis and leaves the connection validating', async () => {
    const { admin } = await openPortal();
    await admin.api('POST', '/sso/idp', { idp: 'oidc' });
    await admin.api('PUT', '/sso/idp-details', { discoveryUrl: idp.issuer, ...CLIENT });
    idp.user = { sub: 'idp-user-43', claims: { ...ADA.claims, email: 'grace@elsewhere.example' } };
    try {
      const { result } = await admin.testSignIn();
      expect(result!.body).toMatchObject({ state: 'FAILED', connectionState: 'validating', errorReason: 'domain_not_allowed', profile: null });
      expect(result!.body.errorDetails).toMatchObject({ domain: 'elsewhere.example', allowlist: ['acme.com'] });
    } finally {
      idp.user = ADA;
    }
  });

  it('switches an unproven SAML draft to OpenID Connect (and back) without leaving a second connection', async () => {
    const { admin, org } = await openPortal();
    const saml = (await admin.api('POST', '/sso/idp', { idp: 'okta' })).body.connection;
    const oidc = (await admin.api('POST', '/sso/idp', { idp: 'oidc' })).body.connection;
    expect(oidc).toMatchObject({ idp: 'oidc', connectionType: 'GenericOIDC' });
    expect(oidc.id).not.toBe(saml.id);
    const back = (await admin.api('POST', '/sso/idp', { idp: 'entra' })).body.connection;
    expect(back).toMatchObject({ idp: 'entra', connectionType: 'AzureSAML', oidc: null });
    const rows = await app.db.query('SELECT id, connection_type FROM connections WHERE organization_id = $1', [org.id]);
    expect(rows).toEqual([{ id: back.id, connection_type: 'AzureSAML' }]);
  });

  it('sets up Okta and Entra ID over OpenID Connect with their claim presets (Entra ID: oid, then preferred_username)', async () => {
    const { admin, org } = await openPortal();
    const okta = (await admin.api('POST', '/sso/idp', { idp: 'okta_oidc' })).body.connection;
    expect(okta).toMatchObject({ idp: 'okta_oidc', connectionType: 'OktaOIDC', oidc: { clientSecretSet: false } });
    const entra = (await admin.api('POST', '/sso/idp', { idp: 'entra_oidc' })).body.connection;
    expect(entra).toMatchObject({ id: okta.id, idp: 'entra_oidc', connectionType: 'EntraIdOIDC' });
    const [row] = await app.db.query('SELECT connection_type, attribute_mapping FROM connections WHERE organization_id = $1', [org.id]);
    expect(row).toMatchObject({ connection_type: 'EntraIdOIDC', attribute_mapping: { idpId: ['oid', 'sub'], email: ['email', 'preferred_username', 'upn'] } });
  });
});
