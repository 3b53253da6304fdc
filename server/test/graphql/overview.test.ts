import { environmentOverview } from '../../src/modules/overview/overview.service';
import { newId } from '../../src/lib/ids';
import { keys } from '../saml/forge';
import { startTestApp, type TestApp } from '../helpers/app';
import { GqlClient } from '../helpers/client';
import { buildTeam } from '../helpers/factories';
import { buildDirectorySetup, oktaUser } from '../helpers/scim';
import { postToAcs, TestIdp } from '../helpers/sso';
import { ensureTestIdentityProvider } from '../../src/modules/test-idp/test-idp.service';

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

const DAY = 86_400_000;
const OVERVIEW = `query($id: ID) { environment(id: $id) { overview {
  checklist { apiKeyCreated redirectUriAdded organizationCreated connectionActive signInSucceeded directorySynced }
  signIns24h { attempts succeeded failed failureRate } signIns7d { attempts succeeded failed failureRate }
  topErrors { error count connectionId connectionName organizationName latestSessionId }
  connectionsByState { draft validating active inactive }
  connectionsNeedingAttention { id name state organizationName }
  directoryCount directories { id name state organizationName lastRequestAt lastRequestStatus }
  expiringCertificates { connectionId connectionName organizationName notAfter expired }
} } }`;

type Setup = Awaited<ReturnType<typeof buildDirectorySetup>>;

/** Sign-ins through the real ACS, IdP-initiated: one that succeeds, one from outside acme.com, one signed by the wrong key. */
async function signIns(setup: Setup) {
  const ok = await postToAcs(app, setup.connection.id, await setup.idp.response(setup.connection));
  expect(ok.location?.searchParams.get('code')).toBeTruthy();
  const outsider = await setup.idp.response(setup.connection, { nameId: 'eve@evil.example', attributes: { id: 'eve', email: 'eve@evil.example', firstName: 'Eve', lastName: 'Outsider' } });
  await postToAcs(app, setup.connection.id, outsider);
  await postToAcs(app, setup.connection.id, await setup.idp.response(setup.connection, { signWith: keys.otherIdp }));
}

describe('the Overview of an environment', () => {
  it('is empty for a brand-new environment: nothing ticked, no figures', async () => {
    const team = await buildTeam(app.db, app.url);
    const { overview } = (await team.as.ADMIN.data(OVERVIEW, { id: team.environments[0]!.id })).environment;
    expect(overview.checklist).toEqual({ apiKeyCreated: false, redirectUriAdded: false, organizationCreated: false, connectionActive: false, signInSucceeded: false, directorySynced: false });
    expect(overview.signIns24h).toEqual({ attempts: 0, succeeded: 0, failed: 0, failureRate: null });
    expect(overview.signIns7d).toEqual({ attempts: 0, succeeded: 0, failed: 0, failureRate: null });
    expect(overview).toMatchObject({ topErrors: [], connectionsByState: { draft: 0, validating: 0, active: 0, inactive: 0 }, connectionsNeedingAttention: [], directoryCount: 0, directories: [], expiringCertificates: [] });
  });

  it('does not tick the organization or connection steps for the built-in Test Organization, which every Staging environment gets', async () => {
    const team = await buildTeam(app.db, app.url);
    const staging = team.environments.find((e) => e.kind === 'STAGING') ?? team.environments[0]!;
    expect(await ensureTestIdentityProvider(app.deps, staging.id)).toBeTruthy();
    const { overview } = (await team.as.ADMIN.data(OVERVIEW, { id: staging.id })).environment;
    expect(overview.connectionsByState.active).toBe(1); // the test IdP's connection is there, and counted as a connection
    expect(overview.checklist).toMatchObject({ organizationCreated: false, connectionActive: false, signInSucceeded: false });
  });

  it('ticks each step and counts sign-ins, errors, connections, directories and certificates from data made through the API, ACS and SCIM', async () => {
    const setup = await buildDirectorySetup(app);
    const env = setup.environment.id;
    let { overview } = (await setup.admin.data(OVERVIEW, { id: env })).environment;
    expect(overview.checklist).toEqual({ apiKeyCreated: true, redirectUriAdded: true, organizationCreated: true, connectionActive: false, signInSucceeded: false, directorySynced: false });
    expect(overview.connectionsNeedingAttention).toEqual([{ id: setup.connection.id, name: expect.any(String), state: 'VALIDATING', organizationName: 'Acme' }]);
    expect(overview.directories).toEqual([expect.objectContaining({ id: setup.directoryId, organizationName: 'Acme', lastRequestAt: null, lastRequestStatus: null })]);

    await signIns(setup);
    expect((await setup.scim('POST', '/Users', oktaUser('grace@acme.com'))).status).toBe(201);
    // A second connection still signing with a certificate that expired in 2021.
    const expired = new TestIdp(keys.expiredIdp);
    const stale = (await setup.admin.data(`mutation($i: CreateSamlConnectionInput!) { createSamlConnection(input: $i) { id name } }`,
      { i: { organizationId: setup.org.id, connectionType: 'OktaSAML', metadataXml: expired.metadataXml() } })).createSamlConnection;

    ({ overview } = (await setup.admin.data(OVERVIEW, { id: env })).environment);
    expect(overview.checklist).toEqual({ apiKeyCreated: true, redirectUriAdded: true, organizationCreated: true, connectionActive: true, signInSucceeded: true, directorySynced: true });
    expect(overview.signIns24h).toEqual({ attempts: 3, succeeded: 1, failed: 2, failureRate: 2 / 3 });
    expect(overview.signIns7d).toEqual(overview.signIns24h);
    expect(overview.topErrors.map((e: { error: string; count: number; connectionId: string }) => [e.error, e.count, e.connectionId]).sort()).toEqual([
      ['INVALID_X509_CERTIFICATE', 1, setup.connection.id], ['PROFILE_NOT_ALLOWED_OUTSIDE_ORGANIZATION', 1, setup.connection.id],
    ]);
    const [failedId] = (await app.db.query(`SELECT id FROM sso_sessions WHERE connection_id = $1 AND error = 'INVALID_X509_CERTIFICATE'`, [setup.connection.id])).map((r: { id: string }) => r.id);
    expect(overview.topErrors.find((e: { error: string }) => e.error === 'INVALID_X509_CERTIFICATE').latestSessionId).toBe(failedId);
    expect(overview.connectionsByState).toEqual({ draft: 0, validating: 1, active: 1, inactive: 0 });
    expect(overview.connectionsNeedingAttention.map((c: { id: string }) => c.id)).toEqual([stale.id]);
    expect(overview.directoryCount).toBe(1);
    expect(overview.directories[0]).toMatchObject({ id: setup.directoryId, lastRequestStatus: 201 });
    expect(Date.now() - new Date(overview.directories[0].lastRequestAt).getTime()).toBeLessThan(60_000);
    expect(overview.expiringCertificates).toEqual([{ connectionId: stale.id, connectionName: stale.name, organizationName: 'Acme', notAfter: '2021-01-01T00:00:00.000Z', expired: true }]);
  });

  it('keeps the connections’ top errors when OAuth provider sign-ins (no connection) fail more often', async () => {
    const setup = await buildDirectorySetup(app);
    const env = (await app.db.query('SELECT environment_id FROM connections WHERE id = $1', [setup.connection.id]))[0].environment_id;
    await postToAcs(app, setup.connection.id, await setup.idp.response(setup.connection, { signWith: keys.otherIdp }));
    // More failed Google sign-ins, under more kinds, than the list has places.
    for (const error of ['OAUTH_PROVIDER_ERROR', 'INVALID_ID_TOKEN', 'INVALID_CLAIMS', 'INVALID_STATE', 'PROFILE_NOT_ALLOWED_OUTSIDE_ORGANIZATION']) {
      for (let i = 0; i < 2; i += 1) {
        await app.db.query(`INSERT INTO sso_sessions (id, environment_id, provider, origin, state, error, started_at, failed_at) VALUES ($1, $2, 'GoogleOAuth', 'SP', 'FAILED', $3, now(), now())`, [newId('ssoSession'), env, error]);
      }
    }
    const { overview } = (await setup.admin.data(OVERVIEW, { id: env })).environment;
    expect(overview.topErrors.map((e: { error: string; connectionId: string }) => [e.error, e.connectionId])).toEqual([['INVALID_X509_CERTIFICATE', setup.connection.id]]);
  });

  it('counts a sign-in in the 24-hour figures for a day, in the 7-day figures for a week, and lists a certificate from 30 days before it expires', async () => {
    const setup = await buildDirectorySetup(app);
    await signIns(setup);
    const later = (days: number) => environmentOverview(app.db, setup.environment.id, new Date(Date.now() + days * DAY));
    expect((await later(0.9)).signIns24h.attempts).toBe(3);
    expect((await later(1.1)).signIns24h.attempts).toBe(0);
    expect((await later(1.1)).signIns7d).toEqual({ attempts: 3, succeeded: 1, failed: 2 });
    expect((await later(6.9)).topErrors).toHaveLength(2);
    expect((await later(7.1)).signIns7d.attempts).toBe(0);
    expect((await later(7.1)).topErrors).toEqual([]);
    // keys.idp expires on 2126-11-02: listed from 30 days before.
    const notAfter = new Date('2126-11-02T21:50:52Z').getTime();
    expect((await environmentOverview(app.db, setup.environment.id, new Date(notAfter - 31 * DAY))).expiringCertificates).toEqual([]);
    expect((await environmentOverview(app.db, setup.environment.id, new Date(notAfter - 29 * DAY))).expiringCertificates).toEqual([
      expect.objectContaining({ connectionId: setup.connection.id, expired: false }),
    ]);
  });

  it('sends the same number of SQL statements for one organization as for many, with their connections, directories and sessions', async () => {
    const setup = await buildDirectorySetup(app);
    await signIns(setup);
    const count = async () => {
      const before = app.queries.count;
      await setup.admin.data(OVERVIEW, { id: setup.environment.id });
      return app.queries.count - before;
    };
    const small = await count();
    for (let i = 0; i < 4; i += 1) {
      const org = (await setup.admin.data(`mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }`, { i: { environmentId: setup.environment.id, name: `Org ${i}` } })).createOrganization;
      await setup.admin.data(`mutation($i: CreateSamlConnectionInput!) { createSamlConnection(input: $i) { id } }`, { i: { organizationId: org.id, connectionType: 'OktaSAML', metadataXml: new TestIdp().metadataXml() } });
      await setup.admin.data(`mutation($i: CreateDirectoryInput!) { createDirectory(input: $i) { token } }`, { i: { organizationId: org.id, type: 'okta scim v2.0' } });
    }
    await signIns(setup);
    expect(await count()).toBe(small);
  });

  it('is shown to every role of the workspace and to the environment’s API key, and to nobody else', async () => {
    const setup = await buildDirectorySetup(app);
    await signIns(setup);
    const env = setup.environment.id;
    for (const role of ['ADMIN', 'DEVELOPER', 'SUPPORT'] as const) {
      expect((await setup.team.as[role].data(OVERVIEW, { id: env })).environment.overview.signIns24h.attempts).toBe(3);
    }
    const own = new GqlClient(app.url, { bearer: setup.apiKey });
    expect((await own.data(OVERVIEW, {})).environment.overview.signIns24h.attempts).toBe(3);

    const other = await buildDirectorySetup(app);
    expect((await other.admin.error(OVERVIEW, { id: env })).code).toBe('NOT_FOUND');
    expect((await new GqlClient(app.url, { bearer: other.apiKey }).error(OVERVIEW, { id: env })).code).toBe('NOT_FOUND');
    expect((await setup.team.as.anonymous.error(OVERVIEW, { id: env })).code).toBe('UNAUTHENTICATED');
    // The other tenant's own overview counts nothing of the first one's.
    expect((await other.admin.data(OVERVIEW, { id: other.environment.id })).environment.overview.signIns7d.attempts).toBe(0);
  });
});
