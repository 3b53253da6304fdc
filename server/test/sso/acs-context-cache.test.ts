import { startTestApp, type TestApp } from '../helpers/app';
import { buildSsoSetup, CALLBACK, postToAcs, sessionRow } from '../helpers/sso';
import { keys } from '../saml/forge';
import { metricsRegistry } from '../../src/lib/metrics';

/** `portico_acs_context_reads_total{source}` so far. */
const reads = async (source: string) => (await metricsRegistry.getSingleMetric('portico_acs_context_reads_total')!.get()).values.find((v) => v.labels.source === source)?.value ?? 0;

/**
 * A process keeps each connection's ACS context (certificates, state, domains, redirect URIs…) after reading it, and a
 * sign-in on a warm connection is one statement that checks the context's version in its own snapshot. Every change
 * below is made while the context is cached, then a response arrives at once: the change must already apply, whether
 * it came through the API or straight into the database (as another replica's would). Without the version check (a
 * cached context trusted as it is) each of these signs in on the old configuration or refuses on it.
 */

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

type Setup = Awaited<ReturnType<typeof buildSsoSetup>>;

const UPDATE = `mutation($input: UpdateSsoConnectionInput!) { updateSsoConnection(input: $input) { id } }`;
const ENABLE = `mutation($id: ID!, $enabled: Boolean!) { setSsoConnectionEnabled(id: $id, enabled: $enabled) { state } }`;

/** An IdP-initiated sign-in (the path with no other read): where the browser was sent, and the session row. */
async function idpInitiated(setup: Setup, opts: Parameters<Setup['idp']['response']>[1] = {}) {
  const answer = await postToAcs(app, setup.connection.id, await setup.idp.response(setup.connection, opts));
  const [row] = await app.db.query('SELECT id FROM sso_sessions WHERE connection_id = $1 ORDER BY id DESC LIMIT 1', [setup.connection.id]);
  return { ...answer, session: await sessionRow(app, row.id) };
}

/** A connection that accepts IdP-initiated sign-ins, active, with its context in the cache. */
async function warm(): Promise<Setup> {
  const setup = await buildSsoSetup(app);
  await setup.admin.data(UPDATE, { input: { id: setup.connection.id, idpInitiatedEnabled: true } });
  expect((await idpInitiated(setup)).session.state).toBe('AUTHORIZED'); // activates the connection
  expect((await idpInitiated(setup)).session.state).toBe('AUTHORIZED'); // caches the active connection's context
  return setup;
}

describe('a cached ACS context is never used after the connection changed', () => {
  it('signs in on a warm connection with one statement', async () => {
    const setup = await warm();
    const [before, hits] = [app.queries.count, await reads('cache')];
    const answer = await idpInitiated(setup);
    expect(answer.location?.searchParams.get('code')).toBeTruthy();
    expect(app.queries.count - before - 2).toBe(1); // the two reads are the test's own
    expect(await reads('cache')).toBe(hits + 1);
  });

  it('refuses a sign-in through a connection turned off a moment before', async () => {
    const setup = await warm();
    await setup.admin.data(ENABLE, { id: setup.connection.id, enabled: false });
    const stale = await reads('stale');
    const answer = await idpInitiated(setup);
    expect(await reads('stale')).toBe(stale + 1);
    expect(answer.location?.searchParams.get('error')).toBe('connection_invalid');
    expect(answer.session).toMatchObject({ state: 'FAILED', error_message: 'The connection is inactive' });
  });

  it('refuses a user whose domain was removed from the organization a moment before', async () => {
    const setup = await warm();
    const [domain] = await app.db.query('SELECT id FROM organization_domains WHERE organization_id = $1', [setup.org.id]);
    await setup.admin.data(`mutation($id: ID!) { removeOrganizationDomain(id: $id) { id } }`, { id: domain.id });
    const answer = await idpInitiated(setup);
    expect(answer.location?.searchParams.get('error')).toBe('profile_not_allowed_outside_organization');
    expect(answer.session).toMatchObject({ state: 'FAILED', error_reason: 'domain_not_allowed' });
  });

  it('sends an IdP-initiated sign-in to the default redirect URI set a moment before', async () => {
    const setup = await warm();
    const other = 'http://localhost:4100/other-callback';
    const added = (await setup.admin.data(`mutation($input: AddRedirectUriInput!) { addRedirectUri(input: $input) { id } }`, { input: { environmentId: setup.environment.id, uri: other } })).addRedirectUri;
    await setup.admin.data(`mutation($id: ID!) { setDefaultRedirectUri(id: $id) { id } }`, { id: added.id });
    const answer = await idpInitiated(setup);
    expect(`${answer.location?.origin}${answer.location?.pathname}`).toBe(other);
    expect(answer.location?.searchParams.get('code')).toBeTruthy();
  });

  it('accepts a response signed with a certificate uploaded a moment before, and refuses the one it replaced', async () => {
    const setup = await warm();
    await setup.admin.data(UPDATE, { input: { id: setup.connection.id, idpCertificates: [keys.otherIdp.cert] } });
    const rotated = await idpInitiated(setup, { signWith: keys.otherIdp });
    expect(rotated.location?.searchParams.get('code')).toBeTruthy();
    expect(rotated.session).toMatchObject({ state: 'AUTHORIZED' });
    const old = await idpInitiated(setup);
    expect(old.session).toMatchObject({ state: 'FAILED', error_reason: 'certificate_mismatch' });
  });

  it('sees a change written straight into the database, as another replica’s would be', async () => {
    const setup = await warm();
    await app.db.query('UPDATE connections SET idp_initiated_enabled = false WHERE id = $1', [setup.connection.id]);
    const answer = await idpInitiated(setup);
    expect(answer.session).toMatchObject({ state: 'FAILED', error_reason: 'idp_initiated_disabled' });
    expect(answer.location?.searchParams.get('error')).toBe('idp_initiated_sso_disabled');
    expect(CALLBACK).toBe(`${answer.location?.origin}${answer.location?.pathname}`);
  });
});
