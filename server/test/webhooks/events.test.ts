import { startTestApp, type TestApp } from '../helpers/app';
import { buildSsoSetup, CALLBACK, postToAcs, startSignIn } from '../helpers/sso';
import { recordSsoTimeouts } from '../../src/modules/sso-sessions/sso-events';
import { recordCertificateRenewalNotices } from '../../src/modules/connections/certificate-events';
import { deleteConnection, setConnectionEnabled } from '../../src/modules/connections/connections.service';
import { addOrganizationDomain, removeOrganizationDomain, verifyOrganizationDomain } from '../../src/modules/organizations/organizations.service';

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

const eventsOf = async (organizationId: string) =>
  (await app.db.query('SELECT event, data FROM events WHERE organization_id = $1 ORDER BY id', [organizationId])) as { event: string; data: Record<string, any> }[];

describe('events for organizations, domains, connections and sign-ins (contract §5.2)', () => {
  it('writes organization and domain events with the REST shapes, and the SDK lists them', async () => {
    const { workos } = await buildSsoSetup(app);
    const d = Math.random().toString(36).slice(2, 8);
    const org = await workos.organizations.createOrganization({ name: 'Evt Co', domainData: [{ domain: `evt-${d}.com`, state: 'verified' as never }] });
    await workos.organizations.updateOrganization({ organization: org.id, name: 'Evt Co 2', domainData: [{ domain: `new-${d}.com`, state: 'pending' as never }] });
    const names = (await eventsOf(org.id)).map((e) => e.event);
    expect(names).toEqual(['organization.created', 'organization_domain.created', 'organization.updated', 'organization_domain.created', 'organization_domain.deleted']);
    const created = (await eventsOf(org.id))[0]!;
    expect(created.data).toMatchObject({ object: 'organization', id: org.id, name: 'Evt Co', domains: [expect.objectContaining({ object: 'organization_domain', domain: `evt-${d}.com` })] });

    const listed = await workos.events.listEvents({ events: ['organization.created', 'organization.updated'], organizationId: org.id });
    expect(listed.data.map((e) => e.event)).toEqual(['organization.updated', 'organization.created']);
    expect(listed.data.find((e) => e.event === 'organization.updated')!.data).toMatchObject({ id: org.id, name: 'Evt Co 2' });

    await workos.organizations.deleteOrganization(org.id);
    expect((await eventsOf(org.id)).at(-1)).toMatchObject({ event: 'organization.deleted', data: { id: org.id, name: 'Evt Co 2' } });
  });

  it('writes verified and verification_failed for DNS checks, and deleted for a removed domain', async () => {
    const { org, environment } = await buildSsoSetup(app);
    const scope = { kind: 'environment' as const, environmentId: environment.id };
    const d = Math.random().toString(36).slice(2, 8);
    const a = await addOrganizationDomain(app.db, scope, org.id, `a-${d}.com`, 'pending');
    const b = await addOrganizationDomain(app.db, scope, org.id, `b-${d}.com`, 'pending');
    await verifyOrganizationDomain(app.db, scope, a.id, async () => [[a.verificationToken!]]);
    await verifyOrganizationDomain(app.db, scope, b.id, async () => []);
    await removeOrganizationDomain(app.db, scope, b.id);
    const events = (await eventsOf(org.id)).filter((e) => e.event.startsWith('organization_domain.')).slice(1); // the first: acme.com, from the setup
    expect(events.map((e) => e.event)).toEqual(['organization_domain.created', 'organization_domain.created', 'organization_domain.verified', 'organization_domain.verification_failed', 'organization_domain.deleted']);
    expect(events[2]!.data).toMatchObject({ object: 'organization_domain', id: a.id, state: 'verified' });
    expect(events[3]!.data).toMatchObject({ reason: 'domain_verification_record_not_found', organization_domain: { id: b.id, state: 'failed' } });
  });

  it('writes sso_started, sso_succeeded with connection.activated once, sso_failed with the dashboard error, then deactivated and deleted', async () => {
    const setup = await buildSsoSetup(app);
    const signIn = async (opts = {}) => {
      const started = await startSignIn(setup.workos.sso.getAuthorizationUrl({ connection: setup.connection.id, redirectUri: CALLBACK, state: 's', clientId: setup.environment.clientId }));
      await postToAcs(app, setup.connection.id, await setup.idp.response(setup.connection, { inResponseTo: started.requestId, ...opts }), started.relayState);
      return started.relayState!;
    };
    const first = await signIn();
    const second = await signIn();
    const failed = await signIn({ audience: 'https://someone-else.example.com' });
    const events = await eventsOf(setup.org.id);
    const sso = events.filter((e) => e.event.startsWith('authentication.') || e.event.startsWith('connection.'));
    expect(sso.map((e) => e.event)).toEqual([
      'authentication.sso_started', 'authentication.sso_succeeded', 'connection.activated',
      'authentication.sso_started', 'authentication.sso_succeeded',
      'authentication.sso_started', 'authentication.sso_failed',
    ]);
    expect(sso[1]!.data).toMatchObject({ type: 'sso', status: 'succeeded', email: 'ada@acme.com', sso: { connection_id: setup.connection.id, organization_id: setup.org.id, session_id: first } });
    expect(sso[2]!.data).toMatchObject({ object: 'connection', id: setup.connection.id, state: 'active' });
    expect(sso[4]!.data.sso.session_id).toBe(second);
    expect(sso[6]!.data).toMatchObject({ status: 'failed', sso: { session_id: failed }, error: { code: 'MALFORMED_SAML_RESPONSE', reason: 'invalid_audience' } });

    const scope = { kind: 'environment' as const, environmentId: setup.environment.id };
    await setConnectionEnabled(app.db, scope, setup.connection.id, false);
    await setConnectionEnabled(app.db, scope, setup.connection.id, false);
    await deleteConnection(app.db, scope, setup.connection.id);
    const tail = (await eventsOf(setup.org.id)).slice(-2);
    expect(tail.map((e) => e.event)).toEqual(['connection.deactivated', 'connection.deleted']);
    expect(tail[1]!.data).toMatchObject({ object: 'connection', id: setup.connection.id, state: 'inactive', domains: [expect.objectContaining({ domain: 'acme.com' })] });
  });

  it('reports a sign-in that never came back as sso_timed_out, once', async () => {
    const setup = await buildSsoSetup(app);
    const started = await startSignIn(setup.workos.sso.getAuthorizationUrl({ connection: setup.connection.id, redirectUri: CALLBACK, clientId: setup.environment.clientId }));
    const later = new Date(Date.now() + 6 * 60_000);
    await recordSsoTimeouts(app.db, later);
    await recordSsoTimeouts(app.db, later);
    const timedOut = (await eventsOf(setup.org.id)).filter((e) => e.event === 'authentication.sso_timed_out');
    expect(timedOut).toHaveLength(1);
    expect(timedOut[0]!.data).toMatchObject({ status: 'timed_out', sso: { session_id: started.relayState } });
  });

  it('sends certificate renewal_required at 30 and at 7 days before expiry, once each', async () => {
    const setup = await buildSsoSetup(app);
    const [{ idp_certificates: [pem] }] = await app.db.query('SELECT idp_certificates FROM connections WHERE id = $1', [setup.connection.id]);
    const expires = new (await import('node:crypto')).X509Certificate(pem).validTo;
    const at = (daysBefore: number) => new Date(new Date(expires).getTime() - daysBefore * 86_400_000);
    const notices = async () => (await eventsOf(setup.org.id)).filter((e) => e.event === 'connection.saml_certificate_renewal_required');
    await recordCertificateRenewalNotices(app.db, at(40), setup.connection.id);
    expect(await notices()).toHaveLength(0);
    await recordCertificateRenewalNotices(app.db, at(29), setup.connection.id);
    await recordCertificateRenewalNotices(app.db, at(20), setup.connection.id);
    expect((await notices()).map((e) => e.data.days_until_expiry)).toEqual([29]);
    await recordCertificateRenewalNotices(app.db, at(6.5), setup.connection.id);
    await recordCertificateRenewalNotices(app.db, at(3), setup.connection.id);
    const all = await notices();
    expect(all.map((e) => e.data.days_until_expiry)).toEqual([29, 6]);
    expect(all[0]!.data).toMatchObject({ connection: { id: setup.connection.id }, certificate: { certificate_type: 'ResponseSigning', expiry_date: new Date(expires).toISOString() } });
  });

  it('refuses a range longer than 30 days, and keeps events to 90 days', async () => {
    const { workos } = await buildSsoSetup(app);
    await expect(workos.events.listEvents({ events: ['organization.created'], rangeStart: '2026-01-01T00:00:00Z', rangeEnd: '2026-03-01T00:00:00Z' })).rejects.toMatchObject({ status: 422 });
  });
});
