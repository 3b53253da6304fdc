import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { startTestApp, type TestApp } from '../helpers/app';
import { buildSsoSetup, CALLBACK, postToAcs, sessionRow, startSignIn, TestIdp } from '../helpers/sso';
import { keys } from '../saml/forge';

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

/** The whole SP-initiated sign-in up to the redirect back to the app. */
async function signIn(setup: Awaited<ReturnType<typeof buildSsoSetup>>, opts: Parameters<typeof setup.idp.response>[1] = {}, state = 'app-state-1') {
  const url = setup.workos.sso.getAuthorizationUrl({ connection: setup.connection.id, redirectUri: CALLBACK, state, clientId: setup.environment.clientId });
  const started = await startSignIn(url);
  expect(started.status).toBe(302);
  const response = await setup.idp.response(setup.connection, { inResponseTo: started.requestId, ...opts });
  const acs = await postToAcs(app, setup.connection.id, response, started.relayState);
  return { started, acs, sessionId: started.relayState! };
}

describe('SP-initiated sign-in through the official SDK', () => {
  it('authorize → IdP → ACS → code → getProfileAndToken → getProfile, recording each step of the session', async () => {
    const setup = await buildSsoSetup(app);
    expect(setup.connection.state).toBe('VALIDATING');
    const url = setup.workos.sso.getAuthorizationUrl({ connection: setup.connection.id, redirectUri: CALLBACK, state: 'xyz', clientId: setup.environment.clientId });
    const started = await startSignIn(url);
    expect(started.location).toContain('https://idp.example.com/sso/saml?SAMLRequest=');
    const startedRow = await sessionRow(app, started.relayState!);
    expect(startedRow).toMatchObject({ state: 'STARTED', origin: 'SP', request_id: started.requestId, redirect_uri: CALLBACK, client_state: 'xyz' });
    expect(startedRow.saml_request).toContain(`ID="${started.requestId}"`);
    expect(startedRow.saml_request).toContain(`AssertionConsumerServiceURL="${setup.connection.acsUrl}"`);

    const acs = await postToAcs(app, setup.connection.id, await setup.idp.response(setup.connection, { inResponseTo: started.requestId }), started.relayState);
    expect(acs.status).toBe(302);
    expect(`${acs.location!.origin}${acs.location!.pathname}`).toBe(CALLBACK);
    expect(acs.location!.searchParams.get('state')).toBe('xyz');
    const code = acs.location!.searchParams.get('code')!;
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const authorized = await sessionRow(app, started.relayState!);
    expect(authorized).toMatchObject({ state: 'AUTHORIZED', email: 'ada@acme.com', first_name: 'Ada', last_name: 'Lovelace', idp_id: 'okta-user-1' });
    expect(authorized.saml_response).toContain('<samlp:Response');
    expect((await app.db.query('SELECT state FROM connections WHERE id = $1', [setup.connection.id]))[0].state).toBe('active');

    const { profile, accessToken } = await setup.workos.sso.getProfileAndToken({ code, clientId: setup.environment.clientId });
    expect(profile).toMatchObject({
      idpId: 'okta-user-1', email: 'ada@acme.com', firstName: 'Ada', lastName: 'Lovelace', connectionId: setup.connection.id,
      connectionType: 'OktaSAML', organizationId: setup.org.id, groups: ['Engineering', 'Admins'],
    });
    expect(profile.id).toMatch(/^prof_/);
    expect((await sessionRow(app, started.relayState!)).state).toBe('SUCCESSFUL');
    const again = await setup.workos.sso.getProfile({ accessToken });
    expect(again).toEqual(profile);
    const timeline = await sessionRow(app, started.relayState!);
    expect(timeline.started_at <= timeline.authorized_at && timeline.authorized_at <= timeline.succeeded_at).toBe(true);
  });

  it('works for a public client with PKCE (no API key sent to /sso/token)', async () => {
    const setup = await buildSsoSetup(app);
    const { url, state, codeVerifier } = await setup.workos.sso.getAuthorizationUrlWithPKCE({ organization: setup.org.id, redirectUri: CALLBACK, clientId: setup.environment.clientId });
    const started = await startSignIn(url);
    const acs = await postToAcs(app, setup.connection.id, await setup.idp.response(setup.connection, { inResponseTo: started.requestId }), started.relayState);
    expect(acs.location!.searchParams.get('state')).toBe(state);
    const res = await fetch(`${app.url}/sso/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
      body: new URLSearchParams({ client_id: setup.environment.clientId, grant_type: 'authorization_code', code: acs.location!.searchParams.get('code')!, code_verifier: codeVerifier }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).profile.email).toBe('ada@acme.com');
  });

  it('accepts assertions encrypted to the connection’s SP key (AES-256-GCM and -CBC), whose private key is sealed at rest', async () => {
    const setup = await buildSsoSetup(app);
    const { generateSpEncryptionKey } = await setup.admin.data(`mutation($id: ID!) { generateSpEncryptionKey(id: $id) { spEncryptionCertificate { pem subject expired } } }`, { id: setup.connection.id });
    expect(generateSpEncryptionKey.spEncryptionCertificate.expired).toBe(false);
    const [row] = await app.db.query('SELECT sp_private_key_encrypted FROM connections WHERE id = $1', [setup.connection.id]);
    expect(row.sp_private_key_encrypted).toMatch(/^v1\./);
    expect(row.sp_private_key_encrypted).not.toContain('PRIVATE KEY');
    const metadata = await (await fetch(`${app.url}/sso/saml/metadata/${setup.connection.id}`)).text();
    expect(metadata).toContain('use="encryption"');
    for (const mode of ['gcm', 'cbc'] as const) {
      const { acs } = await signIn(setup, { encryptTo: generateSpEncryptionKey.spEncryptionCertificate.pem, encryptMode: mode });
      expect(acs.location!.searchParams.get('code')).toBeTruthy();
    }
  });
});

describe('encrypted assertions, once the connection has an SP key', () => {
  const UPDATE = `mutation($input: UpdateSamlConnectionInput!) { updateSamlConnection(input: $input) { acceptUnencryptedAssertions } }`;

  async function withSpKey() {
    const setup = await buildSsoSetup(app);
    const { generateSpEncryptionKey } = await setup.admin.data(`mutation($id: ID!) { generateSpEncryptionKey(id: $id) { acceptUnencryptedAssertions spEncryptionCertificate { pem } } }`, { id: setup.connection.id });
    expect(generateSpEncryptionKey.acceptUnencryptedAssertions).toBe(false);
    return { setup, spCertificate: generateSpEncryptionKey.spEncryptionCertificate.pem as string };
  }

  it('refuses an unencrypted assertion as a Malformed SAML Response (assertion_not_encrypted), recorded with the reason', async () => {
    const { setup } = await withSpKey();
    const { acs, sessionId } = await signIn(setup);
    expect(acs.location!.searchParams.get('error')).toBe('access_denied');
    expect(acs.location!.searchParams.get('error_description')).toMatch(/must encrypt assertions to the SP certificate/);
    expect(await sessionRow(app, sessionId)).toMatchObject({ state: 'FAILED', error: 'MALFORMED_SAML_RESPONSE', error_reason: 'assertion_not_encrypted' });
  });

  it('accepts an unencrypted assertion while the connection accepts them during the rollout, and refuses it again once switched off', async () => {
    const { setup } = await withSpKey();
    const on = await setup.admin.data(UPDATE, { input: { id: setup.connection.id, acceptUnencryptedAssertions: true } });
    expect(on.updateSamlConnection.acceptUnencryptedAssertions).toBe(true);
    expect((await signIn(setup)).acs.location!.searchParams.get('code')).toBeTruthy();
    await setup.admin.data(UPDATE, { input: { id: setup.connection.id, acceptUnencryptedAssertions: false } });
    expect((await signIn(setup)).acs.location!.searchParams.get('error')).toBe('access_denied');
  });

  it('accepts an encrypted assertion whether or not unencrypted ones are accepted', async () => {
    const { setup, spCertificate } = await withSpKey();
    for (const accept of [false, true]) {
      await setup.admin.data(UPDATE, { input: { id: setup.connection.id, acceptUnencryptedAssertions: accept } });
      expect((await signIn(setup, { encryptTo: spCertificate })).acs.location!.searchParams.get('code')).toBeTruthy();
    }
  });

  it('answers a null switch with a validation error naming the field, and changes nothing', async () => {
    const { setup } = await withSpKey();
    for (const field of ['acceptUnencryptedAssertions', 'idpInitiatedEnabled']) {
      const error = await setup.admin.error(UPDATE, { input: { id: setup.connection.id, [field]: null } });
      expect(error.details).toEqual([expect.objectContaining({ field, code: 'must_be_boolean' })]);
    }
    expect((await app.db.query('SELECT accept_unencrypted_assertions, idp_initiated_enabled FROM connections WHERE id = $1', [setup.connection.id]))[0])
      .toEqual({ accept_unencrypted_assertions: false, idp_initiated_enabled: true });
  });
});

describe('IdP-initiated sign-in', () => {
  it('lands on the default redirect URI, or on an allowed redirect_uri from RelayState', async () => {
    const setup = await buildSsoSetup(app);
    const first = await postToAcs(app, setup.connection.id, await setup.idp.response(setup.connection));
    expect(`${first.location!.origin}${first.location!.pathname}`).toBe(CALLBACK);
    const code = first.location!.searchParams.get('code')!;
    const { profile } = await setup.workos.sso.getProfileAndToken({ code, clientId: setup.environment.clientId });
    expect(profile.email).toBe('ada@acme.com');
    const [row] = await app.db.query(`SELECT origin, state, saml_request FROM sso_sessions WHERE connection_id = $1`, [setup.connection.id]);
    expect(row).toEqual({ origin: 'IDP', state: 'SUCCESSFUL', saml_request: null });

    await setup.admin.data(`mutation($input: AddRedirectUriInput!) { addRedirectUri(input: $input) { id } }`, { input: { environmentId: setup.environment.id, uri: 'http://localhost:4100/other' } });
    const relayed = await postToAcs(app, setup.connection.id, await setup.idp.response(setup.connection), 'redirect_uri=http://localhost:4100/other');
    expect(relayed.location!.pathname).toBe('/other');
  });

  it('never redirects to a RelayState redirect_uri that is not on the list (open redirect)', async () => {
    const setup = await buildSsoSetup(app);
    const res = await postToAcs(app, setup.connection.id, await setup.idp.response(setup.connection), 'redirect_uri=https://evil.example/steal');
    expect(res.location!.host).toBe('localhost:4100');
  });

  it('refuses a replayed assertion, even at another Portico process sharing the database', async () => {
    const setup = await buildSsoSetup(app);
    const response = await setup.idp.response(setup.connection);
    expect((await postToAcs(app, setup.connection.id, response)).location!.searchParams.get('code')).toBeTruthy();
    const other = await startTestApp();
    try {
      const replay = await postToAcs(other, setup.connection.id, response);
      expect(replay.location!.searchParams.get('error')).toBe('access_denied');
      const description = replay.location!.searchParams.get('error_description')!;
      const sessionId = /sso_session_[0-9A-Z]{26}/.exec(description)![0];
      expect(await sessionRow(app, sessionId)).toMatchObject({ state: 'FAILED', error: 'MALFORMED_SAML_RESPONSE', error_reason: 'replayed_assertion' });
    } finally {
      await other.close();
    }
  });

  it('is refused when the connection turns IdP-initiated sign-in off', async () => {
    const setup = await buildSsoSetup(app);
    await setup.admin.data(`mutation($input: UpdateSamlConnectionInput!) { updateSamlConnection(input: $input) { id } }`, { input: { id: setup.connection.id, idpInitiatedEnabled: false } });
    const res = await postToAcs(app, setup.connection.id, await setup.idp.response(setup.connection));
    expect(res.location!.searchParams.get('error')).toBe('idp_initiated_sso_disabled');
  });
});

describe('failed sign-ins: each of the five errors is recorded and sent back to the app with the session ID', () => {
  async function failedWith(opts: Parameters<TestIdp['response']>[1], setupOpts: Parameters<typeof buildSsoSetup>[1] = {}) {
    const setup = await buildSsoSetup(app, setupOpts);
    const { acs, sessionId } = await signIn(setup, opts);
    expect(acs.status).toBe(302);
    expect(acs.location!.searchParams.get('state')).toBe('app-state-1');
    expect(acs.location!.searchParams.get('error_description')).toContain(sessionId);
    return { setup, error: acs.location!.searchParams.get('error'), row: await sessionRow(app, sessionId) };
  }

  it('Invalid Attributes keeps the received attributes and the mapping', async () => {
    const { error, row } = await failedWith({ attributes: { id: 'u1', email: 'ada@acme.com', first_name: 'Ada' } });
    expect(error).toBe('access_denied');
    expect(row).toMatchObject({ state: 'FAILED', error: 'INVALID_ATTRIBUTES', error_reason: 'missing_attributes', email: 'ada@acme.com' });
    expect(row.error_details.missing).toEqual(['firstName', 'lastName']);
    expect(row.error_details.receivedAttributes).toMatchObject({ first_name: 'Ada' });
    expect(row.error_details.mapping.firstName).toEqual(['firstName']);
  });

  it('Invalid X509 Certificate keeps the certificate the IdP sent and the uploaded fingerprints', async () => {
    const { row } = await failedWith({ signWith: keys.otherIdp });
    expect(row).toMatchObject({ error: 'INVALID_X509_CERTIFICATE', error_reason: 'certificate_mismatch' });
    expect(JSON.stringify(row.error_details)).toMatch(/[0-9A-F]{2}(:[0-9A-F]{2}){31}/);
  });

  it('Malformed SAML Response names the expected and received audience', async () => {
    const { row } = await failedWith({ audience: 'https://someone-else.example/sp' });
    expect(row).toMatchObject({ error: 'MALFORMED_SAML_RESPONSE', error_reason: 'invalid_audience' });
    expect(row.error_details.received).toBe('https://someone-else.example/sp');
  });

  it('Profile Not Allowed Outside Organization keeps the domain and the allowlist', async () => {
    const { error, row } = await failedWith({ nameId: 'eve@elsewhere.com', attributes: { id: 'u2', email: 'eve@elsewhere.com', firstName: 'Eve', lastName: 'X' } });
    expect(error).toBe('profile_not_allowed_outside_organization');
    expect(row).toMatchObject({ error: 'PROFILE_NOT_ALLOWED_OUTSIDE_ORGANIZATION', email: 'eve@elsewhere.com' });
    expect(row.error_details).toMatchObject({ domain: 'elsewhere.com', allowlist: ['acme.com'] });
  });

  it('Decryption Failed when the assertion is encrypted to another certificate', async () => {
    const setup = await buildSsoSetup(app);
    await setup.admin.data(`mutation($id: ID!) { generateSpEncryptionKey(id: $id) { id } }`, { id: setup.connection.id });
    const { acs, sessionId } = await signIn(setup, { encryptTo: keys.sp.cert });
    expect(acs.location!.searchParams.get('error')).toBe('access_denied');
    const row = await sessionRow(app, sessionId);
    expect(row).toMatchObject({ error: 'DECRYPTION_FAILED', error_reason: 'decryption_failed' });
    // which certificate the IdP encrypted to, for the Session Details page to compare with the connection's
    expect(row.error_details.encryptedToCertificate.fingerprintSha256).toBe(new X509Certificate(keys.sp.cert).fingerprint256);
  });

  it('allows outside profiles when the organization says so', async () => {
    const setup = await buildSsoSetup(app);
    await setup.admin.data(`mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { id } }`, { input: { id: setup.org.id, allowProfilesOutsideOrganization: true } });
    const { acs } = await signIn(setup, { nameId: 'eve@elsewhere.com', attributes: { id: 'u2', email: 'eve@elsewhere.com', firstName: 'Eve', lastName: 'X' } });
    expect(acs.location!.searchParams.get('code')).toBeTruthy();
  });

  it('refuses a response that answers another sign-in (InResponseTo)', async () => {
    const setup = await buildSsoSetup(app);
    const url = setup.workos.sso.getAuthorizationUrl({ connection: setup.connection.id, redirectUri: CALLBACK, clientId: setup.environment.clientId });
    const a = await startSignIn(url);
    const b = await startSignIn(url);
    const acs = await postToAcs(app, setup.connection.id, await setup.idp.response(setup.connection, { inResponseTo: a.requestId }), b.relayState);
    expect(acs.location!.searchParams.get('error')).toBe('access_denied');
    expect(await sessionRow(app, b.relayState!)).toMatchObject({ state: 'FAILED', error_reason: 'invalid_in_response_to' });
  });
});

describe('/sso/authorize refuses bad requests', () => {
  const authorize = async (params: Record<string, string>) => {
    const res = await fetch(`${app.url}/sso/authorize?${new URLSearchParams(params)}`, { redirect: 'manual' });
    return { status: res.status, location: res.headers.get('location') ? new URL(res.headers.get('location')!) : null, body: await res.text() };
  };

  it('shows an error page, never a redirect, for an unknown client or a redirect URI off the list', async () => {
    const setup = await buildSsoSetup(app);
    const unknown = await authorize({ client_id: 'client_01HZZZZZZZZZZZZZZZZZZZZZZZ', redirect_uri: CALLBACK, response_type: 'code', connection: setup.connection.id });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toContain('Unknown client ID');
    const evil = await authorize({ client_id: setup.environment.clientId, redirect_uri: 'https://evil.example/cb', response_type: 'code', connection: setup.connection.id });
    expect(evil.status).toBe(400);
    expect(evil.location).toBeNull();
    expect(evil.body).toContain('Redirect URI not allowed');
    expect(evil.body).toContain('https://evil.example/cb'.replace(/\//g, '/'));
  });

  it('redirects with the contract’s error codes and the state', async () => {
    const setup = await buildSsoSetup(app);
    const base = { client_id: setup.environment.clientId, redirect_uri: CALLBACK, response_type: 'code', state: 's1' };
    const cases: [Record<string, string>, string][] = [
      [{}, 'invalid_connection_selector'],
      [{ connection: setup.connection.id, organization: setup.org.id }, 'ambiguous_connection_selector'],
      [{ connection: 'conn_01HZZZZZZZZZZZZZZZZZZZZZZZ' }, 'connection_invalid'],
      [{ organization: 'org_01HZZZZZZZZZZZZZZZZZZZZZZZ' }, 'organization_invalid'],
      [{ provider: 'GoogleOAuth' }, 'connection_strategy_invalid'],
      [{ domain: 'acme.com' }, 'domain_connection_selector_not_allowed'],
      [{ connection: setup.connection.id, code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' }, 'invalid_request'],
      [{ connection: setup.connection.id, response_type: 'token' }, 'unsupported_response_type'],
    ];
    for (const [params, code] of cases) {
      const res = await authorize({ ...base, ...params });
      expect([res.status, res.location?.searchParams.get('error'), res.location?.searchParams.get('state')]).toEqual([302, code, 's1']);
    }
    await setup.admin.data(`mutation($id: ID!) { setConnectionEnabled(id: $id, enabled: false) { state } }`, { id: setup.connection.id });
    const inactive = await authorize({ ...base, connection: setup.connection.id });
    expect(inactive.location!.searchParams.get('error')).toBe('connection_invalid');
  });

  it('does not let one environment’s client ID use another environment’s connection', async () => {
    const a = await buildSsoSetup(app);
    const b = await buildSsoSetup(app);
    const res = await authorize({ client_id: a.environment.clientId, redirect_uri: CALLBACK, response_type: 'code', connection: b.connection.id });
    expect(res.location!.searchParams.get('error')).toBe('connection_invalid');
  });
});

describe('/sso/token and /sso/profile', () => {
  const token = (body: Record<string, string>) =>
    fetch(`${app.url}/sso/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' }, body: new URLSearchParams(body) }).then(async (r) => ({ status: r.status, body: await r.json() }));

  async function freshCode(setup: Awaited<ReturnType<typeof buildSsoSetup>>, pkce?: { challenge: string }) {
    const url = pkce
      ? `${app.url}/sso/authorize?${new URLSearchParams({ client_id: setup.environment.clientId, redirect_uri: CALLBACK, response_type: 'code', connection: setup.connection.id, code_challenge: pkce.challenge, code_challenge_method: 'S256' })}`
      : setup.workos.sso.getAuthorizationUrl({ connection: setup.connection.id, redirectUri: CALLBACK, clientId: setup.environment.clientId });
    const started = await startSignIn(url);
    const acs = await postToAcs(app, setup.connection.id, await setup.idp.response(setup.connection, { inResponseTo: started.requestId }), started.relayState);
    return acs.location!.searchParams.get('code')!;
  }

  it('refuses forged, reused, expired and other-client codes with OAuth errors the SDK raises', async () => {
    const setup = await buildSsoSetup(app);
    const other = await buildSsoSetup(app);
    const base = { client_id: setup.environment.clientId, grant_type: 'authorization_code', client_secret: setup.apiKey };
    expect(await token({ ...base, code: randomBytes(32).toString('base64url') })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    const code = await freshCode(setup);
    await expect(other.workos.sso.getProfileAndToken({ code, clientId: other.environment.clientId })).rejects.toMatchObject({ name: 'OauthException', error: 'invalid_grant' });
    // the failed attempt burned the code
    expect(await token({ ...base, code })).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'The code was already used' } });

    const reused = await freshCode(setup);
    const first = await token({ ...base, code: reused });
    expect(first.status).toBe(200);
    expect(await token({ ...base, code: reused })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    // a second use revokes what the first issued
    expect((await fetch(`${app.url}/sso/profile`, { headers: { authorization: `Bearer ${first.body.access_token}` } })).status).toBe(401);

    const expired = await freshCode(setup);
    await app.db.query(`UPDATE authorization_codes SET expires_at = now() - interval '1 second' WHERE code_hash = $1`, [createHash('sha256').update(expired).digest('hex')]);
    expect(await token({ ...base, code: expired })).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: expect.stringContaining('expired') } });

    const wrongSecret = await freshCode(setup);
    expect(await token({ ...base, code: wrongSecret, client_secret: other.apiKey })).toMatchObject({ status: 400, body: { error: 'invalid_client' } });
    expect(await token({ ...base, code: await freshCode(setup), grant_type: 'password' })).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
  });

  it('requires the PKCE verifier for a code issued with a challenge, even with an API key', async () => {
    const setup = await buildSsoSetup(app);
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const base = { client_id: setup.environment.clientId, grant_type: 'authorization_code', client_secret: setup.apiKey };
    expect(await token({ ...base, code: await freshCode(setup, { challenge }) })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await token({ ...base, code: await freshCode(setup, { challenge }), code_verifier: 'w'.repeat(43) })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await token({ ...base, code: await freshCode(setup, { challenge }), code_verifier: verifier })).status).toBe(200);
  });

  it('expires the profile access token after 5 minutes', async () => {
    const setup = await buildSsoSetup(app);
    const { accessToken } = await setup.workos.sso.getProfileAndToken({ code: await freshCode(setup), clientId: setup.environment.clientId });
    await app.db.query(`UPDATE profile_access_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [createHash('sha256').update(accessToken).digest('hex')]);
    await expect(setup.workos.sso.getProfile({ accessToken })).rejects.toMatchObject({ status: 401 });
  });
});

describe('attribute styles and the error page', () => {
  it('signs in an Entra ID user sending claim-URI attributes, through an AzureSAML connection', async () => {
    const setup = await buildSsoSetup(app, { connectionType: 'AzureSAML' });
    const claims = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims';
    const { acs } = await signIn(setup, {
      nameId: 'ada@acme.com',
      attributes: {
        'http://schemas.microsoft.com/identity/claims/objectidentifier': '5c9a0c1e-0000-4000-8000-00000000abcd',
        [`${claims}/emailaddress`]: 'Ada@Acme.com', [`${claims}/givenname`]: 'Ada', [`${claims}/surname`]: 'Lovelace',
        'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups': ['g1', 'g2'],
      },
    });
    const { profile } = await setup.workos.sso.getProfileAndToken({ code: acs.location!.searchParams.get('code')!, clientId: setup.environment.clientId });
    expect(profile).toMatchObject({ idpId: '5c9a0c1e-0000-4000-8000-00000000abcd', email: 'ada@acme.com', firstName: 'Ada', lastName: 'Lovelace', groups: ['g1', 'g2'], connectionType: 'AzureSAML' });
  });

  it('shows a page that says who must fix it when a failed sign-in has nowhere to return', async () => {
    const setup = await buildSsoSetup(app);
    await app.db.query('DELETE FROM redirect_uris WHERE environment_id = $1', [setup.environment.id]);
    const res = await postToAcs(app, setup.connection.id, await setup.idp.response(setup.connection, { signWith: keys.otherIdp }));
    expect(res.status).toBe(403);
    expect(res.body).toContain('Sign-in failed: Invalid X509 Certificate');
    expect(res.body).toContain('IT administrator');
    const sessionId = /sso_session_[0-9A-Z]{26}/.exec(res.body)![0];
    expect(await sessionRow(app, sessionId)).toMatchObject({ state: 'FAILED', origin: 'IDP', error: 'INVALID_X509_CERTIFICATE' });
    const missing = await postToAcs(app, 'conn_01HZZZZZZZZZZZZZZZZZZZZZZZ', 'x');
    expect([missing.status, missing.body.includes('Unknown connection')]).toEqual([404, true]);
  });
});
