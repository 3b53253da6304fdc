import { purgeExpiredPortalRecords, revokePortalLink } from '../../src/modules/admin-portal/portal-links.service';
import { keys } from '../saml/forge';
import { startTestApp, type TestApp } from '../helpers/app';
import { buildPortalSetup, PortalBrowser } from '../helpers/portal';
import { CALLBACK, postToAcs, startSignIn, TestIdp } from '../helpers/sso';

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

describe('the Admin Portal through the official SDK', () => {
  it('generateLink → open the link → set up SAML → test sign-in succeeds and activates → getProfileAndToken works for the app', async () => {
    const { workos, org, environment } = await buildPortalSetup(app);
    const { link } = await workos.adminPortal.generateLink({ intent: 'sso' as never, organization: org.id, returnUrl: 'https://app.example.com/settings', successUrl: 'https://app.example.com/sso-done' });
    expect(link).toMatch(/^http:\/\/portico\.test\/portal\/launch\?token=[\w-]{43}$/);

    const admin = new PortalBrowser(app);
    const opened = await admin.open(link);
    expect(opened).toMatchObject({ status: 303, location: '/portal/sso' });
    expect(opened.setCookie).toMatch(/^portico_portal=[\w-]+; Path=\/portal; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    const expires = new Date(/Expires=([^;]+)/.exec(opened.setCookie!)![1]!).getTime();
    expect(expires - Date.now()).toBeGreaterThan(11.9 * 3600_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(12 * 3600_000);

    const context = await admin.api('GET', '/session');
    expect(context.body).toMatchObject({ intent: 'sso', organization: { id: org.id, name: 'Acme' }, returnUrl: 'https://app.example.com/settings', successUrl: 'https://app.example.com/sso-done' });

    const chosen = await admin.api('POST', '/sso/idp', { idp: 'okta' });
    expect(chosen.status).toBe(200);
    expect(chosen.body.connection).toMatchObject({ state: 'draft', idp: 'okta', connectionType: 'OktaSAML' });
    expect(chosen.body.connection.sp.acsUrl).toBe(`http://portico.test/sso/saml/acs/${chosen.body.connection.id}`);
    expect(chosen.body.connection.attributeStatements).toEqual(expect.arrayContaining([{ field: 'email', names: ['email'], nameId: false }]));

    const idp = new TestIdp();
    const configured = await admin.api('PUT', '/sso/idp-details', { metadataXml: idp.metadataXml() });
    expect(configured.body.connection).toMatchObject({ state: 'validating', idpEntityId: idp.entityId, idpSsoUrl: idp.ssoUrl });

    const { result, posted } = await admin.testSignIn(idp);
    expect(posted!.location!.pathname).toBe('/portal/sso/test-result');
    expect(result!.body).toMatchObject({ state: 'SUCCESSFUL', connectionState: 'active', profile: { email: 'ada@acme.com', first_name: 'Ada', last_name: 'Lovelace', organization_id: org.id } });
    // The result page shows the attributes as received beside the profile; the app's profile keeps `{}` (below).
    expect(result!.body.profile.raw_attributes).toMatchObject({ id: 'okta-user-1', email: 'ada@acme.com', firstName: 'Ada', groups: ['Engineering', 'Admins'] });
    // The test's code was burnt by the portal: nothing else can redeem it.
    const [{ unused }] = await app.db.query('SELECT count(*)::int AS unused FROM authorization_codes WHERE session_id = $1 AND used_at IS NULL', [result!.body.id]);
    expect(unused).toBe(0);

    // The application's own sign-in now works through the connection the IT admin set up.
    const url = workos.sso.getAuthorizationUrl({ organization: org.id, redirectUri: CALLBACK, state: 's1', clientId: environment.clientId });
    const started = await startSignIn(url.replace('https://api.workos.com', app.url));
    const answer = await postToAcs(app, chosen.body.connection.id, await idp.response({ acsUrl: chosen.body.connection.sp.acsUrl, spEntityId: chosen.body.connection.sp.spEntityId }, { inResponseTo: started.requestId }), started.relayState);
    const code = answer.location!.searchParams.get('code')!;
    const { profile } = await workos.sso.getProfileAndToken({ code, clientId: environment.clientId });
    expect(profile).toMatchObject({ email: 'ada@acme.com', organizationId: org.id, connectionId: chosen.body.connection.id, connectionType: 'OktaSAML' });
    expect(profile.rawAttributes ?? {}).toEqual({});

    expect((await admin.api('POST', '/complete', {})).body).toEqual({ completed: true, redirectUrl: 'https://app.example.com/sso-done' });
    const actions = (await app.db.query('SELECT action FROM portal_actions WHERE organization_id = $1 ORDER BY id', [org.id])).map((r: { action: string }) => r.action);
    expect(actions).toEqual(['link_generated', 'link_opened', 'connection_created', 'connection_configured', 'test_sign_in_started', 'test_sign_in_succeeded', 'setup_completed']);
  });

  it('shows a failed test sign-in with the diagnosis fields of Session Details, and leaves the connection validating', async () => {
    const { workos, org } = await buildPortalSetup(app);
    const admin = new PortalBrowser(app);
    await admin.open((await workos.adminPortal.generateLink({ intent: 'sso' as never, organization: org.id })).link);
    await admin.api('POST', '/sso/idp', { idp: 'entra' });
    const idp = new TestIdp();
    await admin.api('PUT', '/sso/idp-details', { metadataXml: idp.metadataXml() });

    const wrongCert = await admin.testSignIn(idp, (r) => idp.response(r, { inResponseTo: r.inResponseTo, signWith: keys.otherIdp }));
    expect(wrongCert.result!.body).toMatchObject({ state: 'FAILED', connectionState: 'validating', error: 'INVALID_X509_CERTIFICATE', errorReason: 'certificate_mismatch', profile: null });
    expect(wrongCert.result!.body.errorDetails.receivedCertificate.fingerprintSha256).toBeDefined();

    const missing = await admin.testSignIn(idp, (r) => idp.response(r, { inResponseTo: r.inResponseTo, attributes: { email: 'ada@acme.com' } }));
    expect(missing.result!.body).toMatchObject({ state: 'FAILED', error: 'INVALID_ATTRIBUTES', errorReason: 'missing_attributes' });
    expect((await admin.api('POST', '/complete', {})).body).toMatchObject({ code: 'bad_user_input', errors: [{ field: 'connection', code: 'not_tested' }] });
  });

  it('says what is wrong with bad input, field by field, in the admin’s words', async () => {
    const { workos, org } = await buildPortalSetup(app);
    await expect(workos.adminPortal.generateLink({ intent: 'bogus' as never, organization: org.id })).rejects.toMatchObject({ status: 422 });
    const bad = await fetch(`${app.url}/portal/generate_link`, { method: 'POST', headers: { authorization: `Bearer ${(workos as unknown as { key: string }).key}`, 'content-type': 'application/json' }, body: JSON.stringify({ intent: 'sso', organization: org.id, return_url: 'javascript:alert(1)' }) });
    expect(await bad.json()).toMatchObject({ code: 'invalid_request_parameters', errors: [{ field: 'return_url', code: 'invalid_url' }] });

    const admin = new PortalBrowser(app);
    await admin.open((await workos.adminPortal.generateLink({ intent: 'sso' as never, organization: org.id })).link);
    expect((await admin.api('PUT', '/sso/idp-details', { metadataXml: '<x/>' })).body).toMatchObject({ errors: [{ field: 'idp' }] });
    expect((await admin.api('POST', '/sso/idp', { idp: 'myspace' })).body).toMatchObject({ errors: [{ field: 'idp', code: 'invalid_idp' }] });
    await admin.api('POST', '/sso/idp', { idp: 'generic' });
    const notMetadata = await admin.api('PUT', '/sso/idp-details', { metadataXml: '<html>not metadata</html>' });
    expect(notMetadata.status).toBe(422);
    expect(notMetadata.body.errors[0].field).toBe('metadataXml');
    const partial = await admin.api('PUT', '/sso/idp-details', { idpSsoUrl: 'https://idp.example.com/sso' });
    expect(partial.body.errors.map((e: { field: string }) => e.field)).toEqual(['idpEntityId', 'certificate']);
    const badCert = await admin.api('PUT', '/sso/idp-details', { idpSsoUrl: 'https://idp.example.com/sso', idpEntityId: 'https://idp.example.com', certificate: 'not a certificate' });
    expect(badCert.body.errors[0]).toMatchObject({ code: 'invalid_certificate' });
    const privateUrl = await admin.api('PUT', '/sso/idp-details', { metadataUrl: 'ftp://example.com/metadata' });
    expect(privateUrl.status).toBe(422);
    expect(privateUrl.body.errors[0].field).toBe('metadataUrl');
  });
});

describe('Admin Portal security', () => {
  it('refuses a reused, an expired, a revoked and an unknown link with a page that says to ask for a new one', async () => {
    const { workos, org } = await buildPortalSetup(app);
    const { link } = await workos.adminPortal.generateLink({ intent: 'sso' as never, organization: org.id });
    const first = new PortalBrowser(app);
    expect((await first.open(link)).status).toBe(303);
    const reused = await new PortalBrowser(app).open(link);
    expect(reused.status).toBe(410);
    expect(reused.body).toContain('already used');
    expect(reused.body).toContain('Ask the application that sent you here for a new link');
    expect(reused.setCookie).toBeNull();

    const late = await workos.adminPortal.generateLink({ intent: 'sso' as never, organization: org.id });
    await app.db.query(`UPDATE portal_links SET expires_at = now() - interval '1 second' WHERE organization_id = $1 AND opened_at IS NULL`, [org.id]);
    const expired = await new PortalBrowser(app).open(late.link);
    expect(expired.status).toBe(410);
    expect(expired.body).toContain('has expired');

    expect((await new PortalBrowser(app).open(`${app.url}/portal/launch?token=nope`)).status).toBe(410);

    // Revoking the link ends the session it opened.
    expect((await first.api('GET', '/session')).status).toBe(200);
    const [{ id }] = await app.db.query('SELECT id FROM portal_links WHERE organization_id = $1 AND opened_at IS NOT NULL', [org.id]);
    await revokePortalLink(app.db, { kind: 'environment', environmentId: (await app.db.query('SELECT environment_id FROM organizations WHERE id = $1', [org.id]))[0].environment_id }, id, null);
    expect((await first.api('GET', '/session')).status).toBe(401);
  });

  it('lets two browsers racing on one link open it once', async () => {
    const { workos, org } = await buildPortalSetup(app);
    const { link } = await workos.adminPortal.generateLink({ intent: 'sso' as never, organization: org.id });
    const results = await Promise.all([1, 2, 3, 4].map(() => new PortalBrowser(app).open(link)));
    expect(results.map((r) => r.status).sort()).toEqual([303, 410, 410, 410]);
  });

  it('keeps a portal session to its organization and intent, and away from the dashboard API (permission matrix)', async () => {
    const a = await buildPortalSetup(app, 'Tenant A');
    const b = await buildPortalSetup(app, 'Tenant B');
    // Another workspace's organization can't be linked with this environment's key.
    await expect(a.workos.adminPortal.generateLink({ intent: 'sso' as never, organization: b.org.id })).rejects.toMatchObject({ status: 404 });

    const ssoA = new PortalBrowser(app);
    await ssoA.open((await a.workos.adminPortal.generateLink({ intent: 'sso' as never, organization: a.org.id })).link);
    const ssoB = new PortalBrowser(app);
    await ssoB.open((await b.workos.adminPortal.generateLink({ intent: 'sso' as never, organization: b.org.id })).link);
    const dsyncA = new PortalBrowser(app);
    await dsyncA.open((await a.workos.adminPortal.generateLink({ intent: 'dsync' as never, organization: a.org.id })).link);
    const anonymous = new PortalBrowser(app);

    const idp = new TestIdp();
    await ssoB.api('POST', '/sso/idp', { idp: 'okta' });
    await ssoB.api('PUT', '/sso/idp-details', { metadataXml: idp.metadataXml() });
    const bTest = await ssoB.testSignIn(idp);
    const bSession = bTest.result!.body.id as string;

    const matrix: [string, string, unknown][] = [
      ['GET', '/sso', undefined], ['POST', '/sso/idp', { idp: 'okta' }], ['PUT', '/sso/idp-details', { metadataXml: idp.metadataXml() }], ['POST', '/sso/test', {}],
      ['POST', '/sso/certificates', { certificate: keys.idp.cert }], [`GET`, `/sso/tests/${bSession}`, undefined], ['POST', '/complete', {}],
    ];
    const row = async (who: PortalBrowser) => Promise.all(matrix.map(async ([m, p, body]) => (await who.api(m, p, body)).status));
    expect(await row(anonymous)).toEqual([401, 401, 401, 401, 401, 401, 401]);
    // dsync link: no SSO step, and no SSO endpoints (reading SSO setup is refused like every SSO step).
    expect((await row(dsyncA)).slice(0, 6)).toEqual([403, 403, 403, 403, 403, 403]);
    // Organization A's SSO session: its own steps work; organization B's test sign-in is not found; no certificate renewal.
    const aRow = await row(ssoA);
    expect(aRow[1]).toBe(200);
    expect(aRow[4]).toBe(403);
    expect(aRow[5]).toBe(404);
    // Everything A did stayed in A: B's connection is untouched and A has its own.
    const [bConn] = await app.db.query('SELECT state, idp_entity_id FROM connections WHERE organization_id = $1', [b.org.id]);
    expect(bConn).toMatchObject({ state: 'active', idp_entity_id: idp.entityId });

    // The portal cookie is scoped to /portal, and even sent to /graphql it is no dashboard session.
    const query = JSON.stringify({ query: `{ viewer { role } environment(id: "${a.environment.id}") { id } }` });
    for (const cookie of [ssoA.cookie!, ssoA.cookie!.replace('portico_portal', 'portico_session')]) {
      const res = await (await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: query })).json();
      expect(res.data?.viewer ?? null).toBeNull();
      expect(res.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    // And the portal API refuses a form post (CSRF), even with the cookie.
    const form = await fetch(`${app.url}/portal/api/sso/idp`, { method: 'POST', headers: { cookie: ssoA.cookie!, 'content-type': 'application/x-www-form-urlencoded' }, body: 'idp=okta' });
    expect(form.status).toBe(422);
    // JSON from another origin (a sibling subdomain is same-site, so the Lax cookie goes along): refused by its origin.
    for (const headers of [{ origin: 'https://evil.portico.test' }, { 'sec-fetch-site': 'same-site' }] as Record<string, string>[]) {
      const res = await fetch(`${app.url}/portal/api/sso/idp`, { method: 'POST', headers: { cookie: ssoA.cookie!, 'content-type': 'application/json', ...headers }, body: '{"idp":"okta"}' });
      expect(res.status).toBe(403);
      expect((await res.json()).code).toBe('cross_site_request');
    }
    const sameOrigin = await fetch(`${app.url}/portal/api/sso/idp`, { method: 'POST', headers: { cookie: ssoA.cookie!, 'content-type': 'application/json', origin: app.config.publicUrl, 'sec-fetch-site': 'same-origin' }, body: '{"idp":"okta"}' });
    expect(sameOrigin.status).toBe(200);
  });

  it('keeps a Directory Sync session to its organization’s directory, and other intents away from it (permission matrix)', async () => {
    const a = await buildPortalSetup(app, 'Tenant A');
    const b = await buildPortalSetup(app, 'Tenant B');
    const attributeOf = async (s: typeof a) => (await s.admin.data(`mutation($input: CreateCustomAttributeInput!) { createCustomAttribute(input: $input) { id } }`, { input: { environmentId: s.environment.id, key: 'department', label: 'Department' } })).createCustomAttribute.id as string;
    const [attrA, attrB] = [await attributeOf(a), await attributeOf(b)];
    const session = async (s: typeof a, intent: string) => {
      const browser = new PortalBrowser(app);
      await browser.open((await s.workos.adminPortal.generateLink({ intent: intent as never, organization: s.org.id })).link);
      return browser;
    };
    const dsyncA = await session(a, 'dsync');
    const dsyncB = await session(b, 'dsync');
    const bSetup = (await dsyncB.api('POST', '/dsync/provider', { provider: 'okta' })).body;
    const bScim = (token: string) => fetch(`${app.url}/scim/v2/${bSetup.directory.id}/Users`, { headers: { authorization: `Bearer ${token}` } });
    expect((await bScim(bSetup.token)).status).toBe(200);

    const matrix: [string, string, unknown][] = [
      ['GET', '/dsync', undefined], ['POST', '/dsync/provider', { provider: 'okta' }], ['POST', '/dsync/token', {}], ['PUT', `/dsync/attributes/${attrA}`, { path: null }],
    ];
    // One after the other: each step needs the one before (a provider before its token).
    const row = async (who: PortalBrowser) => {
      const statuses: number[] = [];
      for (const [m, p, body] of matrix) statuses.push((await who.api(m, p, body)).status);
      return statuses;
    };
    expect(await row(new PortalBrowser(app))).toEqual([401, 401, 401, 401]);
    // Sessions for the other intents (same organization) reach no Directory Sync step.
    for (const intent of ['sso', 'certificate_renewal', 'domain_verification']) expect(await row(await session(a, intent))).toEqual([403, 403, 403, 403]);
    // A dsync session can't complete an SSO setup either: its completion needs its own directory's users.
    expect((await dsyncA.api('POST', '/complete', {})).body.errors[0].field).toBe('provider');

    // Organization A's dsync session: its own directory only.
    expect(await row(dsyncA)).toEqual([200, 200, 200, 200]);
    const aSetup = (await dsyncA.api('GET', '/dsync')).body;
    expect(aSetup.directory.id).not.toBe(bSetup.directory.id);
    expect(JSON.stringify(aSetup)).not.toContain(bSetup.directory.id);
    // B's custom attribute (another environment) is not found; A's rotation left B's token working.
    expect((await dsyncA.api('PUT', `/dsync/attributes/${attrB}`, { path: null })).status).toBe(404);
    expect((await bScim(bSetup.token)).status).toBe(200);
    // A's token is no key to B's directory.
    const aToken = (await dsyncA.api('POST', '/dsync/token', {})).body.token as string;
    expect((await bScim(aToken)).status).toBe(401);
    const [bDir] = await app.db.query('SELECT organization_id, token_last_four, custom_attribute_mappings FROM directories WHERE id = $1', [bSetup.directory.id]);
    expect(bDir).toEqual({ organization_id: b.org.id, token_last_four: bSetup.token.slice(-4), custom_attribute_mappings: {} });
    // The dsync cookie is no dashboard session on the GraphQL API.
    const res = await (await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: dsyncA.cookie! }, body: JSON.stringify({ query: `{ directory(id: "${aSetup.directory.id}") { id } }` }) })).json();
    expect(res.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('marks the portal cookie Secure when Portico is reached over https', async () => {
    const https = await startTestApp({ PUBLIC_URL: 'https://portico.test' });
    try {
      const { workos, org } = await buildPortalSetup(https);
      const opened = await new PortalBrowser(https).open((await workos.adminPortal.generateLink({ intent: 'sso' as never, organization: org.id })).link);
      expect(opened.setCookie).toMatch(/; HttpOnly; Secure; SameSite=Lax$/);
    } finally {
      await https.close();
    }
  });

  it('clears ended portal sessions and old links, keeping the audit trail', async () => {
    const { workos, org } = await buildPortalSetup(app);
    const browser = new PortalBrowser(app);
    await browser.open((await workos.adminPortal.generateLink({ intent: 'sso' as never, organization: org.id })).link);
    // Only this test's rows are old enough: other tests' links and sessions (the database is shared) stay.
    await app.db.query(`UPDATE portal_links SET expires_at = now() - interval '8 days' WHERE organization_id = $1`, [org.id]);
    await app.db.query(`UPDATE portal_sessions SET expires_at = now() - interval '1 second' WHERE link_id IN (SELECT id FROM portal_links WHERE organization_id = $1)`, [org.id]);
    const [{ sessions }] = await app.db.query('SELECT count(*)::int AS sessions FROM portal_sessions s JOIN portal_links l ON l.id = s.link_id WHERE l.organization_id = $1', [org.id]);
    expect(sessions).toBe(1);
    await purgeExpiredPortalRecords(app.db);
    expect(await app.db.query('SELECT id FROM portal_links WHERE organization_id = $1', [org.id])).toEqual([]);
    expect((await browser.api('GET', '/session')).status).toBe(401);
    const actions = await app.db.query('SELECT action, link_id FROM portal_actions WHERE organization_id = $1 ORDER BY id', [org.id]);
    expect(actions).toEqual([{ action: 'link_generated', link_id: null }, { action: 'link_opened', link_id: null }]);
  });
});
