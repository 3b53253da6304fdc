import type { Request } from 'express';
import { formTokenRefusal } from '../../src/http/test-idp/test-idp-form-token';
import { startTestApp, type TestApp } from '../helpers/app';
import { buildTeam } from '../helpers/factories';
import { CALLBACK, postToAcs, sessionRow } from '../helpers/sso';

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

const Q = {
  testIdp: `query { viewer { workspace { environments { id kind testIdentityProvider { available setUp enabled organizationId connectionId metadataUrl loginUrl } } } } }`,
  start: `mutation($id: ID!) { startTestSignIn(connectionId: $id) { sessionId url } }`,
  session: `query($id: ID!) { session(id: $id) { id state testSignIn error errorReason email profile } }`,
  enable: `mutation($env: ID!, $on: Boolean!) { setTestIdentityProviderEnabled(environmentId: $env, enabled: $on) { enabled } }`,
  redirect: `mutation($input: AddRedirectUriInput!) { addRedirectUri(input: $input) { id } }`,
};

const hidden = (html: string, name: string) => {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  return match ? match[1]!.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&') : null;
};

/** The app's public URL (what it puts in links) as the address the test server listens on. */
const local = (url: string) => url.replace(app.config.publicUrl, app.url);

async function readTestIdps(team: Awaited<ReturnType<typeof buildTeam>>, role: 'ADMIN' | 'SUPPORT' = 'ADMIN') {
  const { environments } = (await team.as[role].data(Q.testIdp)).viewer.workspace;
  const staging = environments.find((e: { kind: string }) => e.kind === 'STAGING');
  const production = environments.find((e: { kind: string }) => e.kind === 'PRODUCTION');
  return { staging, production };
}

/** A workspace whose Staging test IdP is set up the way sign-up and the dashboard's "Set up" do it: by the mutation. */
async function stagingTestIdp() {
  const team = await buildTeam(app.db, app.url);
  const { staging: before } = await readTestIdps(team);
  await team.as.DEVELOPER.data(Q.enable, { env: before.id, on: true });
  const { staging, production } = await readTestIdps(team);
  return { team, staging, production, idp: staging.testIdentityProvider };
}

/** The browser's part: open the test IdP's login page, keeping its cookie and its form's fields. */
async function openLoginPage(url: string, cookie?: string) {
  const login = await fetch(local(url), { headers: cookie ? { cookie } : {} });
  const page = await login.text();
  expect(login.status).toBe(200);
  const fields: Record<string, string> = {};
  for (const name of ['SAMLRequest', 'RelayState', 'form_token']) if (hidden(page, name) !== null) fields[name] = hidden(page, name)!;
  const setCookie = login.headers.getSetCookie().find((c) => c.startsWith('portico_test_idp='));
  return { fields, cookie: setCookie!.split(';')[0]!, setCookie: setCookie!, action: new URL(/<form method="post" action="([^"]+)"/.exec(page)![1]!, app.url) };
}

async function post(action: URL, form: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(action, { method: 'POST', body: new URLSearchParams(form), headers });
  const html = await res.text();
  return { status: res.status, html, samlResponse: hidden(html, 'SAMLResponse'), relayState: hidden(html, 'RelayState') };
}

/** Open the test IdP with the AuthnRequest, press a scenario's button (as a browser does: same origin), get the auto-posting form. */
async function pressScenario(url: string, scenario: string, user = 'ada@example.com', email = '') {
  const page = await openLoginPage(url);
  return post(page.action, { ...page.fields, scenario, user, email }, { cookie: page.cookie, origin: app.config.publicUrl, 'sec-fetch-site': 'same-origin' });
}

describe('the built-in test identity provider', () => {
  it('is not made by reading it: the GraphQL field and the login and metadata pages create nothing until a mutation sets it up', async () => {
    const team = await buildTeam(app.db, app.url);
    const counts = () => app.db.query(`SELECT (SELECT count(*)::int FROM test_identity_providers WHERE environment_id = ANY($1)) AS idps,
      (SELECT count(*)::int FROM organizations WHERE environment_id = ANY($1)) AS orgs, (SELECT count(*)::int FROM connections c JOIN organizations o ON o.id = c.organization_id WHERE o.environment_id = ANY($1)) AS conns`, [team.environments.map((e) => e.id)]);
    const before = await counts();
    const { staging, production } = await readTestIdps(team, 'SUPPORT');
    await readTestIdps(team, 'ADMIN');
    expect(staging.testIdentityProvider).toEqual({ available: true, setUp: false, enabled: false, organizationId: null, connectionId: null, metadataUrl: null, loginUrl: null });
    expect(production.testIdentityProvider).toMatchObject({ available: false, setUp: false });
    for (const path of ['sso', 'metadata']) {
      const page = await fetch(`${app.url}/test-idp/${staging.id}/${path}`);
      expect(page.status).toBe(409);
      expect(await page.text()).toContain('Set up');
    }
    expect(await counts()).toEqual(before);
    // A Support member may read it but not set it up; a Developer sets it up.
    expect((await team.as.SUPPORT.request(Q.enable, { env: staging.id, on: true })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
    expect((await team.as.DEVELOPER.data(Q.enable, { env: staging.id, on: true })).setTestIdentityProviderEnabled.enabled).toBe(true);
    expect(await counts()).toEqual([{ idps: before[0].idps + 1, orgs: before[0].orgs + 1, conns: before[0].conns + 1 }]);
    expect((await readTestIdps(team, 'SUPPORT')).staging.testIdentityProvider).toMatchObject({ setUp: true, enabled: true });
  });

  it('sets up the Test Organization again after it was deleted, when the dashboard asks', async () => {
    const { team, staging, idp } = await stagingTestIdp();
    await app.db.query('DELETE FROM organizations WHERE id = $1', [idp.organizationId]);
    expect((await readTestIdps(team)).staging.testIdentityProvider).toMatchObject({ setUp: false, connectionId: null });
    expect((await fetch(`${app.url}/test-idp/${staging.id}/sso`)).status).toBe(409);
    await team.as.ADMIN.data(Q.enable, { env: staging.id, on: true });
    const again = (await readTestIdps(team)).staging.testIdentityProvider;
    expect(again).toMatchObject({ setUp: true, enabled: true });
    expect(again.connectionId).not.toBe(idp.connectionId);
    expect((await fetch(`${app.url}/test-idp/${staging.id}/sso`)).status).toBe(200);
  });

  it('set up, gives the Staging environment a Test Organization with an active connection to it, and none in Production', async () => {
    const { team, idp, production, staging } = await stagingTestIdp();
    expect(idp).toMatchObject({ available: true, setUp: true, enabled: true, metadataUrl: `${app.config.publicUrl}/test-idp/${staging.id}/metadata` });
    expect(production.testIdentityProvider).toMatchObject({ available: false, setUp: false, enabled: false, connectionId: null });
    const [org] = await app.db.query('SELECT o.name, c.state, c.idp_sso_url FROM organizations o JOIN connections c ON c.organization_id = o.id WHERE c.id = $1', [idp.connectionId]);
    expect(org).toEqual({ name: 'Test Organization', state: 'active', idp_sso_url: `${app.config.publicUrl}/test-idp/${staging.id}/sso` });
    // The key is made once, sealed at rest.
    const [row] = await app.db.query('SELECT private_key_encrypted FROM test_identity_providers WHERE environment_id = $1', [staging.id]);
    expect(row.private_key_encrypted).toMatch(/^v1\./);
    await team.as.ADMIN.data(Q.testIdp);
    expect(await app.db.query('SELECT count(*)::int AS n FROM organizations WHERE environment_id = $1', [staging.id])).toEqual([{ n: 1 }]);
    const metadata = await fetch(local(idp.metadataUrl));
    expect(await metadata.text()).toContain(`entityID="${idp.metadataUrl}"`);
  });

  it('Test sign-in: SP-initiated through the real ACS, ends on the result page with no code for the app, session SUCCESSFUL', async () => {
    const { team, idp } = await stagingTestIdp();
    const { sessionId, url } = (await team.as.ADMIN.data(Q.start, { id: idp.connectionId })).startTestSignIn;
    expect(url).toContain(`${idp.loginUrl}?SAMLRequest=`);
    const pressed = await pressScenario(url, 'sign_in');
    expect(pressed.relayState).toBe(sessionId);
    const acs = await postToAcs(app, idp.connectionId, pressed.samlResponse!, pressed.relayState);
    expect(acs.status).toBe(302);
    expect(acs.location!.toString()).toBe(`${app.config.publicUrl}/dashboard/test-sign-in/${sessionId}`);
    expect(acs.location!.searchParams.has('code')).toBe(false);
    const { session } = await team.as.ADMIN.data(Q.session, { id: sessionId });
    expect(session).toMatchObject({ state: 'SUCCESSFUL', testSignIn: true, email: 'ada@example.com', error: null });
    expect(session.profile).toMatchObject({ email: 'ada@example.com', first_name: 'Ada', last_name: 'Lovelace', connection_id: idp.connectionId });
    expect(await app.db.query('SELECT count(*)::int AS n FROM authorization_codes WHERE session_id = $1 AND used_at IS NULL', [sessionId])).toEqual([{ n: 0 }]);
  });

  it('IdP-initiated sign-in goes to the app’s default redirect URI with a code, as a real IdP-initiated sign-in does', async () => {
    const { team, idp, staging } = await stagingTestIdp();
    await team.as.ADMIN.data(Q.redirect, { input: { environmentId: staging.id, uri: CALLBACK } });
    const pressed = await pressScenario(idp.loginUrl, 'idp_initiated');
    expect(pressed.relayState).toBeNull();
    const acs = await postToAcs(app, idp.connectionId, pressed.samlResponse!, null);
    expect(`${acs.location!.origin}${acs.location!.pathname}`).toBe(CALLBACK);
    expect(acs.location!.searchParams.get('code')).toMatch(/^[\w-]{43}$/);
    const [row] = await app.db.query('SELECT origin, state, test_sign_in FROM sso_sessions WHERE connection_id = $1', [idp.connectionId]);
    expect(row).toEqual({ origin: 'IDP', state: 'AUTHORIZED', test_sign_in: false });
  });

  it.each([
    ['outside_domain', 'PROFILE_NOT_ALLOWED_OUTSIDE_ORGANIZATION', 'domain_not_allowed'],
    ['missing_attributes', 'INVALID_ATTRIBUTES', 'missing_attributes'],
    ['wrong_certificate', 'INVALID_X509_CERTIFICATE', 'certificate_mismatch'],
    ['expired', 'MALFORMED_SAML_RESPONSE', 'expired'],
    ['malformed', 'MALFORMED_SAML_RESPONSE', 'not_xml'],
    ['wrong_encryption', 'DECRYPTION_FAILED', 'decryption_failed'],
  ])('the %s scenario is refused by the real ACS as %s (%s), and the test sign-in ends on the result page', async (scenario, error, reason) => {
    const { team, idp } = await stagingTestIdp();
    const { sessionId, url } = (await team.as.ADMIN.data(Q.start, { id: idp.connectionId })).startTestSignIn;
    const pressed = await pressScenario(url, scenario);
    const acs = await postToAcs(app, idp.connectionId, pressed.samlResponse!, pressed.relayState);
    expect(acs.status).toBe(302);
    expect(`${acs.location!.origin}${acs.location!.pathname}`).toBe(`${app.config.publicUrl}/dashboard/test-sign-in/${sessionId}`);
    expect(acs.location!.searchParams.has('code')).toBe(false);
    expect(await sessionRow(app, sessionId)).toMatchObject({ state: 'FAILED', error, error_reason: reason, test_sign_in: true });
  });

  it('signs in a typed address, and refuses a typed value that is not an email with the field named', async () => {
    const { team, idp } = await stagingTestIdp();
    const { url } = (await team.as.ADMIN.data(Q.start, { id: idp.connectionId })).startTestSignIn;
    const bad = await pressScenario(url, 'sign_in', 'ada@example.com', 'not-an-email');
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('id="email-error"');
    expect(bad.html).toContain('is not an email address');
    const { sessionId, url: url2 } = (await team.as.ADMIN.data(Q.start, { id: idp.connectionId })).startTestSignIn;
    const typed = await pressScenario(url2, 'sign_in', 'ada@example.com', 'Dana.Scully@Example.com');
    await postToAcs(app, idp.connectionId, typed.samlResponse!, typed.relayState);
    expect(await sessionRow(app, sessionId)).toMatchObject({ state: 'SUCCESSFUL', email: 'dana.scully@example.com', first_name: 'Dana scully' });
  });

  it('is refused in Production with a page that says so', async () => {
    const { production } = await stagingTestIdp();
    for (const path of ['sso', 'metadata']) {
      const res = await fetch(`${app.url}/test-idp/${production.id}/${path}`);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('Not available in Production');
    }
  });

  it('turned off in the dashboard, its pages refuse to sign anything; turned on again, they work', async () => {
    const { team, idp, staging } = await stagingTestIdp();
    const { url } = (await team.as.ADMIN.data(Q.start, { id: idp.connectionId })).startTestSignIn;
    expect((await team.as.SUPPORT.request(Q.enable, { env: staging.id, on: false })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await team.as.DEVELOPER.data(Q.enable, { env: staging.id, on: false })).setTestIdentityProviderEnabled.enabled).toBe(false);
    const page = await fetch(local(url));
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('Test identity provider turned off');
    const post = await fetch(`${app.url}/test-idp/${staging.id}/respond`, { method: 'POST', body: new URLSearchParams({ scenario: 'idp_initiated', user: 'ada@example.com' }) });
    expect(post.status).toBe(403);
    expect(await post.text()).not.toContain('SAMLResponse');
    await team.as.ADMIN.data(Q.enable, { env: staging.id, on: true });
    expect((await fetch(local(url))).status).toBe(200);
  });

  it('another tenant can neither use your test IdP nor start or see your test sign-in', async () => {
    const a = await stagingTestIdp();
    const b = await stagingTestIdp();
    const { sessionId } = (await a.team.as.ADMIN.data(Q.start, { id: a.idp.connectionId })).startTestSignIn;
    // B's AuthnRequest, sent to A's test IdP: refused, nothing signed.
    const { url: bUrl } = (await b.team.as.ADMIN.data(Q.start, { id: b.idp.connectionId })).startTestSignIn;
    const crossed = await fetch(local(bUrl.replace(b.staging.id, a.staging.id)));
    expect(crossed.status).toBe(400);
    expect(await crossed.text()).toContain('Request from another connection');
    // Nor posted with a token of A's own login page: the token is bound to the request that page showed.
    const bRequest = new URL(bUrl).searchParams;
    const aPage = await openLoginPage(a.idp.loginUrl);
    const posted = await post(aPage.action, { ...aPage.fields, scenario: 'sign_in', user: 'ada@example.com', SAMLRequest: bRequest.get('SAMLRequest')!, RelayState: bRequest.get('RelayState')! }, { cookie: aPage.cookie });
    expect(posted.status).toBe(403);
    expect(posted.samlResponse).toBeNull();
    expect((await b.team.as.ADMIN.request(Q.start, { id: a.idp.connectionId })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await b.team.as.ADMIN.request(Q.session, { id: sessionId })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  describe('its login form (CSRF: a cross-site page must not sign a browser in)', () => {
    async function startedPage() {
      const { team, idp, staging } = await stagingTestIdp();
      const { url } = (await team.as.ADMIN.data(Q.start, { id: idp.connectionId })).startTestSignIn;
      return { page: await openLoginPage(url), staging };
    }
    const press = { scenario: 'sign_in', user: 'ada@example.com' };

    it('sets its browser cookie HttpOnly, SameSite=Strict, only for this environment’s test IdP, and keeps it across pages', async () => {
      const { page, staging } = await startedPage();
      expect(page.setCookie).toMatch(new RegExp(`^portico_test_idp=[\\w-]{43}; Max-Age=1800; Path=/test-idp/${staging.id}; HttpOnly; SameSite=Strict$`));
      const again = await openLoginPage(`${app.url}/test-idp/${staging.id}/sso`, page.cookie);
      expect(again.cookie).toBe(page.cookie);
      expect(again.fields.form_token).not.toBe(page.fields.form_token);
    });

    it('refuses a post without the form token, or with the token but without this browser’s cookie, or another browser’s', async () => {
      const { page } = await startedPage();
      const other = await openLoginPage(page.action.toString().replace('/respond', '/sso'));
      const { form_token: token, ...withoutToken } = page.fields;
      for (const [form, cookie] of [[withoutToken, page.cookie], [page.fields, undefined], [page.fields, other.cookie]] as const) {
        const res = await post(page.action, { ...form, ...press }, cookie ? { cookie } : {});
        expect(res.status).toBe(403);
        expect(res.html).toContain('Open the login page again');
        expect(res.samlResponse).toBeNull();
      }
      expect(token).toBeTruthy();
    });

    it('refuses a token issued for another RelayState, another environment, or a forged one', async () => {
      const { page } = await startedPage();
      const elsewhere = await startedPage();
      const cases = [
        { ...page.fields, RelayState: 'attacker-state' },
        { ...page.fields, form_token: elsewhere.page.fields.form_token! },
        { ...page.fields, form_token: page.fields.form_token!.slice(0, -4) + 'AAAA' },
      ];
      for (const form of cases) {
        const res = await post(page.action, { ...form, ...press }, { cookie: page.cookie });
        expect(res.status).toBe(403);
        expect(res.samlResponse).toBeNull();
      }
    });

    it('refuses a post from another site even with a valid token and cookie (Sec-Fetch-Site, Origin)', async () => {
      const { page } = await startedPage();
      for (const headers of [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'https://attacker.example' }, { origin: 'null' }] as Record<string, string>[]) {
        const res = await post(page.action, { ...page.fields, ...press }, { cookie: page.cookie, ...headers });
        expect(res.status).toBe(403);
        expect(res.html).toContain('Cross-site request refused');
        expect(res.samlResponse).toBeNull();
      }
      // What Chromium sends from a same-origin page under a no-referrer policy: Sec-Fetch-Site decides.
      const ok = await post(page.action, { ...page.fields, ...press }, { cookie: page.cookie, origin: 'null', 'sec-fetch-site': 'same-origin' });
      expect(ok.status).toBe(200);
      expect(ok.samlResponse).toBeTruthy();
    });

    it('refuses a token past its 30 minutes', async () => {
      const { page, staging } = await startedPage();
      const req = { headers: { cookie: page.cookie } } as unknown as Request;
      const bound = { environmentId: staging.id, samlRequest: page.fields.SAMLRequest!, relayState: page.fields.RelayState! };
      expect(formTokenRefusal(req, app.deps.secrets, page.fields.form_token, bound, Date.now() + 29 * 60_000)).toBeNull();
      expect(formTokenRefusal(req, app.deps.secrets, page.fields.form_token, bound, Date.now() + 31 * 60_000)).toBe('form_token has expired');
    });
  });
});
