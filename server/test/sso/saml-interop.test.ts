import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { X509Certificate } from 'node:crypto';
import { refreshIdpMetadata } from '../../src/modules/connections/connections.service';
import { purgeRawSaml } from '../../src/modules/sso-sessions/sessions.service';
import { fetchMetadata } from '../../src/lib/fetch-metadata';
import { startTestApp, type TestApp } from '../helpers/app';
import { buildSsoSetup, CALLBACK, postToAcs, sessionRow, startSignIn, TestIdp } from '../helpers/sso';
import { keys } from '../saml/forge';

/** Issue 15, SAML interop: what real IdPs (Shibboleth, Keycloak, Okta, Entra ID) do that Portico must follow. */
let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

type Setup = Awaited<ReturnType<typeof buildSsoSetup>>;
const UPDATE = `mutation($input: UpdateSamlConnectionInput!) { updateSamlConnection(input: $input) { id requireSignedAssertions } }`;
const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;

async function signIn(setup: Setup, opts: Parameters<Setup['idp']['response']>[1] = {}) {
  const url = setup.workos.sso.getAuthorizationUrl({ connection: setup.connection.id, redirectUri: CALLBACK, state: 's1', clientId: setup.environment.clientId });
  const started = await startSignIn(url);
  const response = await setup.idp.response(setup.connection, { inResponseTo: started.requestId, ...opts });
  const acs = await postToAcs(app, setup.connection.id, response, started.relayState);
  return { started, response, acs, sessionId: started.relayState!, code: acs.location?.searchParams.get('code') ?? null, error: acs.location?.searchParams.get('error') ?? null };
}

const metadataOf = async (connectionId: string) => (await fetch(`${app.url}/sso/saml/metadata/${connectionId}`)).text();

describe('a signature on the Response only (Shibboleth’s default)', () => {
  it('signs in, reading the claims of the assertion the Response signature covers', async () => {
    const setup = await buildSsoSetup(app);
    const { code, sessionId } = await signIn(setup, { sign: 'response' });
    expect(code).toBeTruthy();
    expect(await sessionRow(app, sessionId)).toMatchObject({ state: 'AUTHORIZED', email: 'ada@acme.com', idp_certificate_fingerprint: fingerprint(keys.idp.cert) });
  });

  it('is refused when the connection requires signed assertions, which its SP metadata then says', async () => {
    const setup = await buildSsoSetup(app);
    expect(await metadataOf(setup.connection.id)).toContain('WantAssertionsSigned="false"');
    const { updateSamlConnection } = await setup.admin.data(UPDATE, { input: { id: setup.connection.id, requireSignedAssertions: true } });
    expect(updateSamlConnection.requireSignedAssertions).toBe(true);
    expect(await metadataOf(setup.connection.id)).toContain('WantAssertionsSigned="true"');
    const refused = await signIn(setup, { sign: 'response' });
    expect(refused.error).toBe('access_denied');
    expect(await sessionRow(app, refused.sessionId)).toMatchObject({ state: 'FAILED', error: 'MALFORMED_SAML_RESPONSE', error_reason: 'unsigned' });
    // A signed assertion still signs in through the same connection.
    expect((await signIn(setup)).code).toBeTruthy();
  });

  it('still refuses a response where neither is signed, with one period between sentences', async () => {
    const setup = await buildSsoSetup(app);
    const unsigned = Buffer.from(Buffer.from(await setup.idp.response(setup.connection), 'base64').toString('utf8').replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, ''), 'utf8').toString('base64');
    const acs = await postToAcs(app, setup.connection.id, unsigned);
    const description = acs.location!.searchParams.get('error_description')!;
    expect(description).toMatch(/^Malformed SAML Response: Neither the assertion nor the response is signed/);
    expect(description).not.toMatch(/\.\./);
    expect(description).toMatch(/\(or the whole response\)\. Session sso_session_\w+ has the details/);
  });
});

describe('a failed attempt names its user even when the mapping is wrong', () => {
  it('falls back to the NameID and any email-shaped attribute, so the Sessions tab’s email filter finds it', async () => {
    const setup = await buildSsoSetup(app);
    // The mapping reads `mail`; the IdP sends `email` (and the NameID), and no `mail`.
    await setup.admin.data(UPDATE, { input: { id: setup.connection.id, attributeMapping: { email: ['mail'] } } });
    const { error, sessionId } = await signIn(setup, { nameId: 'Ada@Acme.com', attributes: { id: 'u1', email: 'ada@acme.com', firstName: 'Ada', lastName: 'Lovelace' } });
    expect(error).toBe('access_denied');
    const row = await sessionRow(app, sessionId);
    expect(row).toMatchObject({ state: 'FAILED', error: 'INVALID_ATTRIBUTES', error_reason: 'missing_attributes', email: 'ada@acme.com', profile: null });
    const { connection } = await setup.admin.data(`query($id: ID!) { connection(id: $id) { sessions(filter: { email: "ada@" }) { edges { node { id email } } } } }`, { id: setup.connection.id });
    expect(connection.sessions.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([sessionId]);
  });

  it('uses an email-shaped attribute when the NameID is not an email', async () => {
    const setup = await buildSsoSetup(app);
    await setup.admin.data(UPDATE, { input: { id: setup.connection.id, attributeMapping: { email: ['mail'] } } });
    const { sessionId } = await signIn(setup, { nameId: 'u-12345', attributes: { id: 'u1', upn: 'not an email', email: 'grace@acme.com', firstName: 'Grace', lastName: 'Hopper' } });
    expect(await sessionRow(app, sessionId)).toMatchObject({ state: 'FAILED', email: 'grace@acme.com' });
  });

  it('takes nothing from a response whose signature fails', async () => {
    const setup = await buildSsoSetup(app);
    const { sessionId } = await signIn(setup, { signWith: keys.otherIdp });
    expect(await sessionRow(app, sessionId)).toMatchObject({ state: 'FAILED', error_reason: 'certificate_mismatch', email: null });
  });
});

describe('replays and IdP-initiated sign-in turned off', () => {
  it('records a replayed SP-initiated response as replayed_assertion against the original session’s connection', async () => {
    const setup = await buildSsoSetup(app);
    const first = await signIn(setup);
    expect(first.code).toBeTruthy();
    const replay = await postToAcs(app, setup.connection.id, first.response, first.started.relayState);
    if (!replay.location) throw new Error(`${replay.status} ${replay.body.slice(0, 500)}`);
    expect(replay.location!.searchParams.get('error')).toBe('access_denied');
    const description = replay.location!.searchParams.get('error_description')!;
    const replayId = /Session (sso_session_[0-9A-Z]{26}) has the details/.exec(description)![1]!;
    expect(replayId).not.toBe(first.sessionId);
    const row = await sessionRow(app, replayId);
    expect(row).toMatchObject({ state: 'FAILED', origin: 'SP', connection_id: setup.connection.id, error: 'MALFORMED_SAML_RESPONSE', error_reason: 'replayed_assertion' });
    expect(row.error_details.originalSessionId).toBe(first.sessionId);
    expect(row.error_message).not.toMatch(/IdP-initiated/);
    // The original sign-in is untouched.
    expect(await sessionRow(app, first.sessionId)).toMatchObject({ state: 'AUTHORIZED', error_reason: null });
  });

  it('records a replayed SP-initiated response posted without its RelayState as replayed_assertion, not as a wrong InResponseTo', async () => {
    const setup = await buildSsoSetup(app);
    const first = await signIn(setup);
    expect(first.code).toBeTruthy();
    const replay = await postToAcs(app, setup.connection.id, first.response);
    if (!replay.location) throw new Error(`${replay.status} ${replay.body.slice(0, 500)}`);
    expect(replay.location.searchParams.get('error')).toBe('access_denied');
    const replayId = /Session (sso_session_[0-9A-Z]{26}) has the details/.exec(replay.location.searchParams.get('error_description')!)![1]!;
    const row = await sessionRow(app, replayId);
    expect(row).toMatchObject({ state: 'FAILED', origin: 'SP', connection_id: setup.connection.id, error_reason: 'replayed_assertion' });
    expect(row.error_details.originalSessionId).toBe(first.sessionId);
    expect(await sessionRow(app, first.sessionId)).toMatchObject({ state: 'AUTHORIZED', error_reason: null });
  });

  it('does not take a response without RelayState for the answer to a sign-in still waiting, nor one claiming another connection’s request', async () => {
    const setup = await buildSsoSetup(app);
    const started = await startSignIn(setup.workos.sso.getAuthorizationUrl({ connection: setup.connection.id, redirectUri: CALLBACK, state: 's', clientId: setup.environment.clientId }));
    const waiting = await postToAcs(app, setup.connection.id, await setup.idp.response(setup.connection, { inResponseTo: started.requestId }));
    const waitingId = /sso_session_[0-9A-Z]{26}/.exec(waiting.location!.searchParams.get('error_description')!)![0];
    expect(await sessionRow(app, waitingId)).toMatchObject({ origin: 'IDP', error_reason: 'invalid_in_response_to' });
    expect(await sessionRow(app, started.relayState!)).toMatchObject({ state: 'STARTED' });

    // Another connection's completed sign-in: its request ID means nothing at this connection.
    const other = await buildSsoSetup(app);
    const done = await signIn(other);
    const crossed = await postToAcs(app, setup.connection.id, await setup.idp.response(setup.connection, { inResponseTo: done.started.requestId }));
    const crossedId = /sso_session_[0-9A-Z]{26}/.exec(crossed.location!.searchParams.get('error_description')!)![0];
    expect(await sessionRow(app, crossedId)).toMatchObject({ origin: 'IDP', connection_id: setup.connection.id, error_reason: 'invalid_in_response_to' });
  });

  it('files IdP-initiated sign-in turned off under its own reason, saying where to turn it on', async () => {
    const setup = await buildSsoSetup(app);
    await setup.admin.data(`mutation($input: UpdateSamlConnectionInput!) { updateSamlConnection(input: $input) { id } }`, { input: { id: setup.connection.id, idpInitiatedEnabled: false } });
    const res = await postToAcs(app, setup.connection.id, await setup.idp.response(setup.connection));
    expect(res.location!.searchParams.get('error')).toBe('idp_initiated_sso_disabled');
    const sessionId = /sso_session_[0-9A-Z]{26}/.exec(res.location!.searchParams.get('error_description')!)![0];
    const row = await sessionRow(app, sessionId);
    expect(row).toMatchObject({ origin: 'IDP', error: 'MALFORMED_SAML_RESPONSE', error_reason: 'idp_initiated_disabled' });
    expect(row.error_message).toMatch(/allow IdP-initiated sign-in on the connection page/);
  });
});

describe('configuration errors say what to do', () => {
  const CREATE = `mutation($input: CreateSamlConnectionInput!) { createSamlConnection(input: $input) { id } }`;
  const orgOf = async (setup: Setup) => setup.org.id;

  it('a refused metadata URL names PORTICO_ALLOW_PRIVATE_URLS', async () => {
    const setup = await buildSsoSetup(app);
    const result = await setup.admin.error(CREATE, { input: { organizationId: await orgOf(setup), metadataUrl: 'http://127.0.0.1:9/metadata' } });
    expect(result.message).toMatch(/PORTICO_ALLOW_PRIVATE_URLS=true/);
  });

  it('an unknown connectionType lists every SAML connection type of the WorkOS enum', async () => {
    const setup = await buildSsoSetup(app);
    const result = await setup.admin.error(CREATE, { input: { organizationId: await orgOf(setup), connectionType: 'GenericOIDC' } });
    const message = result.message;
    const saml = ['ADFSSAML', 'Auth0SAML', 'AzureSAML', 'CasSAML', 'ClassLinkSAML', 'CloudflareSAML', 'CyberArkSAML', 'DuoSAML', 'GenericSAML', 'GoogleSAML', 'JumpCloudSAML',
      'KeycloakSAML', 'LastPassSAML', 'MiniOrangeSAML', 'NetIqSAML', 'OktaSAML', 'OneLoginSAML', 'OracleSAML', 'PingFederateSAML', 'PingOneSAML', 'RipplingSAML', 'SalesforceSAML',
      'ShibbolethGenericSAML', 'ShibbolethSAML', 'SimpleSamlPhpSAML', 'VMwareSAML'];
    expect(message).toContain('"GenericOIDC" is not a SAML connection type');
    expect(message).toContain(`Use one of the ${saml.length}: ${saml.join(', ')}.`);
  });

  it('Portico’s own SP metadata pasted as IdP metadata is called SP metadata', async () => {
    const setup = await buildSsoSetup(app);
    const result = await setup.admin.error(CREATE, { input: { organizationId: await orgOf(setup), metadataXml: await metadataOf(setup.connection.id) } });
    expect(result.details[0]).toMatchObject({ field: 'metadataXml', code: 'sp_metadata' });
    expect(result.message).toMatch(/looks like service provider \(SP\) metadata/);
  });
});

describe('encrypted sign-ins keep the decrypted assertion', () => {
  const SESSION = `query($id: ID!) { session(id: $id) { samlResponse decryptedAssertion spKeyFingerprint idpCertificateFingerprint } }`;

  it('beside the raw response, for a successful and for a failed sign-in', async () => {
    const setup = await buildSsoSetup(app);
    const { generateSpEncryptionKey } = await setup.admin.data(`mutation($id: ID!) { generateSpEncryptionKey(id: $id) { spEncryptionCertificate { pem } } }`, { id: setup.connection.id });
    const spCert = generateSpEncryptionKey.spEncryptionCertificate.pem as string;
    const ok = await signIn(setup, { encryptTo: spCert });
    expect(ok.code).toBeTruthy();
    const { session } = await setup.admin.data(SESSION, { id: ok.sessionId });
    expect(session.samlResponse).toContain('EncryptedAssertion');
    expect(session.samlResponse).not.toContain('ada@acme.com');
    expect(session.decryptedAssertion).toMatch(/^<saml:Assertion[\s\S]*ada@acme\.com<\/saml:NameID>[\s\S]*<\/saml:Assertion>$/);
    expect(session.spKeyFingerprint).toBe(fingerprint(spCert));

    const failed = await signIn(setup, { encryptTo: spCert, audience: 'https://someone-else.example/sp' });
    expect(failed.error).toBe('access_denied');
    const details = (await setup.admin.data(SESSION, { id: failed.sessionId })).session;
    expect(details.decryptedAssertion).toContain('https://someone-else.example/sp</saml:Audience>');
  });

  it('shows the decrypted assertion to Admins, Developers and API keys, not to Support, who still read the rest of the session', async () => {
    const setup = await buildSsoSetup(app);
    const { generateSpEncryptionKey } = await setup.admin.data(`mutation($id: ID!) { generateSpEncryptionKey(id: $id) { spEncryptionCertificate { pem } } }`, { id: setup.connection.id });
    const ok = await signIn(setup, { encryptTo: generateSpEncryptionKey.spEncryptionCertificate.pem });
    for (const role of ['ADMIN', 'DEVELOPER'] as const) {
      expect((await setup.team.as[role].data(SESSION, { id: ok.sessionId })).session.decryptedAssertion).toContain('ada@acme.com</saml:NameID>');
    }
    const byKey = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${setup.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: SESSION, variables: { id: ok.sessionId } }) }).then((r) => r.json());
    expect(byKey.data.session.decryptedAssertion).toContain('ada@acme.com</saml:NameID>');

    const support = setup.team.as.SUPPORT;
    expect(await support.error(SESSION, { id: ok.sessionId })).toMatchObject({ code: 'FORBIDDEN', data: { session: { decryptedAssertion: null, samlResponse: expect.stringContaining('EncryptedAssertion') } } });
    const { session } = await support.data(`query($id: ID!) { session(id: $id) { state email samlResponse spKeyFingerprint } }`, { id: ok.sessionId });
    expect(session).toMatchObject({ state: 'AUTHORIZED', email: 'ada@acme.com', spKeyFingerprint: expect.stringMatching(/^[0-9A-F:]+$/) });
    expect(session.samlResponse).toContain('EncryptedAssertion');
  });

  it('is null for a plain assertion, and dropped by raw SAML retention', async () => {
    const setup = await buildSsoSetup(app);
    const plain = await signIn(setup);
    expect((await setup.admin.data(SESSION, { id: plain.sessionId })).session.decryptedAssertion).toBeNull();
    // A copy of the session from 1970 (its ID encodes the time), with a decrypted assertion: past any retention. A purge
    // of everything up to now would also empty the raw SAML of other test files' sessions running beside this one.
    const old = `sso_session_${'0'.repeat(4)}${plain.sessionId.slice(-22)}`;
    await app.db.query(`INSERT INTO sso_sessions (id, environment_id, organization_id, connection_id, origin, state, saml_response, decrypted_assertion, started_at)
      SELECT $2, environment_id, organization_id, connection_id, origin, state, saml_response, '<saml:Assertion/>', started_at FROM sso_sessions WHERE id = $1`, [plain.sessionId, old]);
    await purgeRawSaml(app.db, 90);
    expect(await sessionRow(app, old)).toMatchObject({ saml_response: null, decrypted_assertion: null });
    expect((await sessionRow(app, plain.sessionId)).saml_response).toContain('Response');
  });
});

describe('key and certificate rollover', () => {
  const KEYS = `{ id spEncryptionCertificate { pem fingerprintSha256 } spNextEncryptionCertificate { pem fingerprintSha256 } }`;

  it('publishes the next SP key before it is current, decrypts with both, and promotes it', async () => {
    const setup = await buildSsoSetup(app);
    const first = (await setup.admin.data(`mutation($id: ID!) { generateSpEncryptionKey(id: $id) ${KEYS} }`, { id: setup.connection.id })).generateSpEncryptionKey;
    expect(first.spNextEncryptionCertificate).toBeNull();
    // Generating again no longer replaces the key in use: it adds the next one.
    const rolling = (await setup.admin.data(`mutation($id: ID!) { generateSpEncryptionKey(id: $id) ${KEYS} }`, { id: setup.connection.id })).generateSpEncryptionKey;
    expect(rolling.spEncryptionCertificate.pem).toBe(first.spEncryptionCertificate.pem);
    const current = rolling.spEncryptionCertificate.pem as string;
    const next = rolling.spNextEncryptionCertificate.pem as string;
    expect(next).not.toBe(current);

    const metadata = await metadataOf(setup.connection.id);
    expect(metadata.match(/<KeyDescriptor use="encryption">/g)).toHaveLength(2);
    for (const pem of [current, next]) expect(metadata).toContain(pem.replace(/-----[A-Z ]+-----|\s/g, ''));

    // During the rollover, an IdP still on the current certificate and one already on the next both sign in.
    const onCurrent = await signIn(setup, { encryptTo: current });
    const onNext = await signIn(setup, { encryptTo: next });
    expect([onCurrent.code, onNext.code].every(Boolean)).toBe(true);
    expect((await sessionRow(app, onCurrent.sessionId)).sp_key_fingerprint).toBe(fingerprint(current));
    expect((await sessionRow(app, onNext.sessionId)).sp_key_fingerprint).toBe(fingerprint(next));
    const { connection } = await setup.admin.data(`query($id: ID!) { connection(id: $id) { certificateUsage { fingerprintSha256 role signIns } } }`, { id: setup.connection.id });
    expect(connection.certificateUsage).toEqual(expect.arrayContaining([
      { fingerprintSha256: fingerprint(current), role: 'SP_ENCRYPTION', signIns: 1 },
      { fingerprintSha256: fingerprint(next), role: 'SP_ENCRYPTION', signIns: 1 },
      { fingerprintSha256: fingerprint(keys.idp.cert), role: 'IDP_SIGNING', signIns: 2 },
    ]));

    const promoted = (await setup.admin.data(`mutation($id: ID!) { promoteSpEncryptionKey(id: $id) ${KEYS} }`, { id: setup.connection.id })).promoteSpEncryptionKey;
    expect(promoted.spEncryptionCertificate.pem).toBe(next);
    expect(promoted.spNextEncryptionCertificate).toBeNull();
    expect((await metadataOf(setup.connection.id)).match(/<KeyDescriptor use="encryption">/g)).toHaveLength(1);
    expect((await signIn(setup, { encryptTo: next })).code).toBeTruthy();
    const old = await signIn(setup, { encryptTo: current });
    expect((await sessionRow(app, old.sessionId)).error_reason).toBe('decryption_failed');
  });

  it('refuses to promote when there is no next key, changing nothing', async () => {
    const setup = await buildSsoSetup(app);
    const result = await setup.admin.error(`mutation($id: ID!) { promoteSpEncryptionKey(id: $id) { id } }`, { id: setup.connection.id });
    expect(result.details[0]).toMatchObject({ field: 'id', code: 'no_next_key' });
  });

  it('accepts the IdP’s current and next signing certificates, and shows which one each sign-in used', async () => {
    const setup = await buildSsoSetup(app);
    await setup.admin.data(UPDATE, { input: { id: setup.connection.id, idpCertificates: [keys.idp.cert, keys.otherIdp.cert] } });
    const a = await signIn(setup);
    const b = await signIn(setup, { signWith: keys.otherIdp });
    expect([a.code, b.code].every(Boolean)).toBe(true);
    const SESSION = `query($id: ID!) { session(id: $id) { idpCertificateFingerprint } }`;
    expect((await setup.admin.data(SESSION, { id: a.sessionId })).session.idpCertificateFingerprint).toBe(fingerprint(keys.idp.cert));
    expect((await setup.admin.data(SESSION, { id: b.sessionId })).session.idpCertificateFingerprint).toBe(fingerprint(keys.otherIdp.cert));
    // The Sessions list carries it too (never null for data the row has).
    const { connection } = await setup.admin.data(`query($id: ID!) { connection(id: $id) { sessions { edges { node { id idpCertificateFingerprint } } } } }`, { id: setup.connection.id });
    expect(connection.sessions.edges.map((e: { node: { idpCertificateFingerprint: string } }) => e.node.idpCertificateFingerprint).sort())
      .toEqual([fingerprint(keys.idp.cert), fingerprint(keys.otherIdp.cert)].sort());
  });

  it('re-fetches metadata URLs on a schedule and picks up a new signing certificate', async () => {
    const idp = new TestIdp();
    let served = idp.metadataXml();
    const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/xml' }).end(served));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metadata`;
    const privateApp = await startTestApp({ PORTICO_ALLOW_PRIVATE_METADATA_URLS: 'true' });
    try {
      const setup = await buildSsoSetup(privateApp, { idp });
      await setup.admin.data(`mutation($input: UpdateSamlConnectionInput!) { updateSamlConnection(input: $input) { id } }`, { input: { id: setup.connection.id, metadataUrl: url } });
      const deps = { db: privateApp.db, config: privateApp.config };
      // Just fetched: not due yet.
      expect(await refreshIdpMetadata(deps)).toBe(0);
      // The IdP rotates: its metadata now lists the next certificate beside the current one.
      const nextIdp = new TestIdp(keys.otherIdp);
      served = idp.metadataXml().replace('<md:SingleSignOnService', nextIdp.metadataXml().match(/<md:KeyDescriptor[\s\S]*?<\/md:KeyDescriptor>/)![0] + '<md:SingleSignOnService');
      const tomorrow = new Date(Date.now() + 25 * 3600_000);
      // Connections other tests left with a metadata URL are not this test's: make them not due, so this one is picked.
      await privateApp.db.query('UPDATE connections SET idp_metadata_refreshed_at = $2 WHERE id <> $1 AND idp_metadata_url IS NOT NULL', [setup.connection.id, new Date(Date.now() + 365 * 86_400_000)]);
      // Two replicas' housekeeping at once: one of them refreshes, once.
      let fetches = 0;
      const slowFetch: typeof fetchMetadata = async (...args) => {
        fetches += 1;
        await new Promise((resolve) => setTimeout(resolve, 300));
        return fetchMetadata(...args);
      };
      expect((await Promise.all([refreshIdpMetadata(deps, tomorrow, slowFetch), refreshIdpMetadata(deps, tomorrow, slowFetch)])).reduce((a, b) => a + b, 0)).toBe(1);
      expect(fetches).toBe(1);
      const [row] = await privateApp.db.query('SELECT idp_certificates, idp_metadata_refreshed_at, idp_metadata_refresh_error FROM connections WHERE id = $1', [setup.connection.id]);
      expect(row.idp_certificates.map(fingerprint)).toEqual([fingerprint(keys.idp.cert), fingerprint(keys.otherIdp.cert)]);
      expect(row.idp_metadata_refresh_error).toBeNull();
      expect(new Date(row.idp_metadata_refreshed_at).getTime()).toBe(tomorrow.getTime());
      // One event per certificate the re-fetch added, in the shape of every other renewal (connection, certificate, renewed_at).
      const events = await privateApp.db.query(`SELECT data FROM events WHERE event = 'connection.saml_certificate_renewed' AND data->'connection'->>'id' = $1`, [setup.connection.id]);
      expect(events).toHaveLength(1);
      expect(events[0].data).toMatchObject({ connection: { object: 'connection', id: setup.connection.id }, certificate: { certificate_type: 'ResponseSigning' } });
      // A sign-in signed with the new certificate now works with no one touching the connection.
      const url2 = setup.workos.sso.getAuthorizationUrl({ connection: setup.connection.id, redirectUri: CALLBACK, clientId: setup.environment.clientId });
      const started = await startSignIn(url2);
      const acs = await postToAcs(privateApp, setup.connection.id, await idp.response(setup.connection, { inResponseTo: started.requestId, signWith: keys.otherIdp }), started.relayState);
      expect(acs.location!.searchParams.get('code')).toBeTruthy();

      // A failure is kept on the connection, and the certificates stay as they were.
      served = '<not-metadata/>';
      const later = new Date(tomorrow.getTime() + 25 * 3600_000);
      await refreshIdpMetadata(deps, later);
      const [failed] = await privateApp.db.query('SELECT idp_certificates, idp_metadata_refresh_error FROM connections WHERE id = $1', [setup.connection.id]);
      expect(failed.idp_metadata_refresh_error).toMatch(/IDPSSODescriptor/);
      expect(failed.idp_certificates).toHaveLength(2);
    } finally {
      await privateApp.close();
      server.close();
    }
  });
});
