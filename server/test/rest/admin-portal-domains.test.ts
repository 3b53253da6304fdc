import { startTestApp, type TestApp } from '../helpers/app';
import { FakeDns } from '../helpers/dns';
import { buildPortalSetup, PortalBrowser } from '../helpers/portal';

const dns = new FakeDns();
let app: TestApp;
beforeAll(async () => { app = await startTestApp({}, { dns }); });
afterAll(() => app.close());

let n = 0;
const unique = (label: string) => `${label.toLowerCase()}-${Date.now().toString(36)}-${(n += 1)}.example`;

async function openDomainPortal(setup: Awaited<ReturnType<typeof buildPortalSetup>>, orgId = setup.org.id, opts: { successUrl?: string } = {}) {
  const admin = new PortalBrowser(app);
  const { link } = await setup.workos.adminPortal.generateLink({ intent: 'domain_verification' as never, organization: orgId, ...opts });
  const opened = await admin.open(link);
  return { admin, opened };
}

const actionsOf = async (orgId: string) =>
  (await app.db.query('SELECT action, detail FROM portal_actions WHERE organization_id = $1 ORDER BY id', [orgId])) as { action: string; detail: Record<string, unknown> }[];

describe('the Admin Portal’s domain verification', () => {
  it('adds a domain, explains each failed check, verifies it by its TXT record and completes the setup', async () => {
    const setup = await buildPortalSetup(app);
    const org = await setup.workos.organizations.createOrganization({ name: 'Globex' });
    const { admin, opened } = await openDomainPortal(setup, org.id, { successUrl: 'https://app.example.com/domain-done' });
    expect(opened).toMatchObject({ status: 303, location: '/portal/domain-verification' });
    expect((await admin.api('GET', '/domains')).body).toEqual({ domains: [] });

    const name = unique('Globex');
    const added = await admin.api('POST', '/domains', { domain: `  ${name.toUpperCase()} ` });
    expect(added.status).toBe(200);
    const domain = added.body.domain as { id: string; record: { name: string; value: string } };
    expect(added.body.domain).toMatchObject({ domain: name, state: 'pending', record: { type: 'TXT', name: `_portico-challenge.${name}` } });
    expect(domain.record.value).toMatch(/^[0-9a-f]{32}$/);
    // Adding it again answers the same domain, not a conflict with itself.
    expect((await admin.api('POST', '/domains', { domain: name })).body.domain.id).toBe(domain.id);

    const check = () => admin.api('POST', `/domains/${domain.id}/check`, {});
    const missing = await check();
    expect(missing.body).toMatchObject({ result: 'record_not_found', completed: false, domain: { state: 'failed' } });
    expect(missing.body.message).toContain(`No TXT record named _portico-challenge.${name} was found`);

    dns.setTxt(`_portico-challenge.${name}`, 'google-site-verification=abc', 'stale-token');
    const wrong = await check();
    expect(wrong.body).toMatchObject({ result: 'token_mismatch', received: ['google-site-verification=abc', 'stale-token'] });
    expect(wrong.body.message).toContain(`Replace its value with ${domain.record.value}`);

    dns.fail(`_portico-challenge.${name}`, 'ESERVFAIL');
    const failed = await check();
    expect(failed.body).toMatchObject({ result: 'lookup_failed', completed: false });
    expect(failed.body.message).toMatch(/did not answer/);
    expect((await admin.api('POST', '/complete', {})).body).toMatchObject({ errors: [{ field: 'domain', code: 'not_verified' }] });

    dns.setTxt(`_portico-challenge.${name}`, 'other', domain.record.value);
    const verified = await check();
    expect(verified.body).toMatchObject({ result: 'verified', completed: true, message: null, domain: { state: 'verified' } });
    expect((await setup.workos.organizationDomains.getOrganizationDomain(domain.id)).state).toBe('verified');
    const [link] = await app.db.query('SELECT completed_at FROM portal_links WHERE organization_id = $1', [org.id]);
    expect(link.completed_at).not.toBeNull();
    expect((await admin.api('POST', '/complete', {})).body).toEqual({ completed: true, redirectUrl: 'https://app.example.com/domain-done' });

    const actions = await actionsOf(org.id);
    expect(actions.map((a) => a.action)).toEqual([
      'link_generated', 'link_opened', 'domain_added', 'domain_verification_failed', 'domain_verification_failed', 'domain_verification_failed', 'domain_verified', 'setup_completed', 'setup_completed',
    ]);
    expect(actions.filter((a) => a.action === 'domain_verification_failed').map((a) => a.detail.reason)).toEqual(['record_not_found', 'token_mismatch', 'lookup_failed']);
    const events = await app.db.query(`SELECT event, data->>'reason' AS reason FROM events WHERE organization_id = $1 AND event LIKE 'organization_domain.%' ORDER BY id`, [org.id]);
    expect(events.map((e: { event: string }) => e.event)).toEqual(['organization_domain.created', 'organization_domain.verification_failed', 'organization_domain.verification_failed', 'organization_domain.verification_failed', 'organization_domain.verified']);
  });

  it('says what is wrong with a domain in the admin’s words, and never names the organization that has claimed it', async () => {
    const setup = await buildPortalSetup(app);
    const taken = unique('taken');
    await setup.workos.organizations.createOrganization({ name: 'Secret Rival Inc', domainData: [{ domain: taken, state: 'verified' as never }] });
    const { admin } = await openDomainPortal(setup);
    const add = async (domain: unknown) => (await admin.api('POST', '/domains', { domain })).body;
    expect(await add('not a domain')).toMatchObject({ errors: [{ field: 'domain', code: 'invalid_domain' }] });
    expect(await add('gmail.com')).toMatchObject({ errors: [{ field: 'domain', code: 'consumer_domain' }] });
    expect(await add(undefined)).toMatchObject({ errors: [{ field: 'domain', code: 'required' }] });
    const claimed = await admin.api('POST', '/domains', { domain: taken });
    expect(claimed.status).toBe(409);
    expect(claimed.body).toMatchObject({ errors: [{ field: 'domain', code: 'taken' }] });
    expect(claimed.body.message).toBe(`${taken} is already claimed by another organization. If it belongs to yours, contact the application team.`);
    expect(JSON.stringify(claimed.body)).not.toMatch(/Secret Rival|org_/);
    expect((await admin.api('GET', '/domains')).body.domains.map((d: { domain: string }) => d.domain)).toEqual(['acme.com']);
  });

  it('keeps a domain session to its organization and intent (permission matrix)', async () => {
    const a = await buildPortalSetup(app, 'Tenant A');
    const b = await buildPortalSetup(app, 'Tenant B');
    const bName = unique('tenant-b');
    const bDomain = await b.workos.organizationDomains.createOrganizationDomain({ domain: bName, organizationId: b.org.id });
    dns.setTxt(`_portico-challenge.${bName}`, bDomain.verificationToken!);
    // Another organization in A's own environment: the environment alone is not the boundary, the organization is.
    const sibling = await a.workos.organizations.createOrganization({ name: 'Sibling' });
    const siblingName = unique('sibling');
    const siblingDomain = await a.workos.organizationDomains.createOrganizationDomain({ domain: siblingName, organizationId: sibling.id });
    dns.setTxt(`_portico-challenge.${siblingName}`, siblingDomain.verificationToken!);

    const { admin: domainsA } = await openDomainPortal(a);
    const ssoA = new PortalBrowser(app);
    await ssoA.open((await a.workos.adminPortal.generateLink({ intent: 'sso' as never, organization: a.org.id })).link);
    const certA = new PortalBrowser(app);
    await certA.open((await a.workos.adminPortal.generateLink({ intent: 'certificate_renewal' as never, organization: a.org.id })).link);
    const anonymous = new PortalBrowser(app);
    const ownId = (await domainsA.api('GET', '/domains')).body.domains[0].id as string;

    const matrix: [string, string, unknown][] = [['GET', '/domains', undefined], ['POST', '/domains', { domain: unique('x') }], ['POST', `/domains/${ownId}/check`, {}]];
    const row = async (who: PortalBrowser) => Promise.all(matrix.map(async ([m, p, body]) => (await who.api(m, p, body)).status));
    expect(await row(anonymous)).toEqual([401, 401, 401]);
    expect(await row(ssoA)).toEqual([403, 403, 403]);
    expect(await row(certA)).toEqual([403, 403, 403]);
    expect(await row(domainsA)).toEqual([200, 200, 200]);
    expect((await domainsA.api('GET', '/sso')).status).toBe(403);
    expect((await ssoA.api('POST', '/domains', {})).body.code).toBe('wrong_intent');

    // Another workspace's domain and a sibling organization's domain: not found, never looked up, state untouched.
    const lookupsBefore = dns.lookups.length;
    for (const id of [bDomain.id, siblingDomain.id]) {
      const res = await domainsA.api('POST', `/domains/${id}/check`, {});
      expect(res).toMatchObject({ status: 404, body: { code: 'not_found' } });
    }
    expect(dns.lookups.length).toBe(lookupsBefore);
    const states = await app.db.query('SELECT state FROM organization_domains WHERE id = ANY($1)', [[bDomain.id, siblingDomain.id]]);
    expect(states.map((s: { state: string }) => s.state)).toEqual(['pending', 'pending']);
  });
});

describe('the page for a link that can no longer be used', () => {
  it('shows whose portal it is and whom to ask (escaped), and no team at all for a token Portico never issued', async () => {
    const setup = await buildPortalSetup(app);
    await app.db.query(`INSERT INTO admin_portal_settings (environment_id, display_name, brand_color, updated_at) VALUES ($1, 'Northwind <b>HR</b>', '#0f766e', now())`, [setup.environment.id]);
    await app.db.query(`UPDATE workspaces SET support_email = 'help@northwind.example' WHERE id = $1`, [setup.team.workspace.id]);
    const { link } = await setup.workos.adminPortal.generateLink({ intent: 'domain_verification' as never, organization: setup.org.id });
    await new PortalBrowser(app).open(link);
    const used = await new PortalBrowser(app).open(link);
    expect(used.status).toBe(410);
    expect(used.body).toContain('<header>Northwind &lt;b&gt;HR&lt;/b&gt;</header>');
    expect(used.body).toContain('border-top: 4px solid #0f766e');
    expect(used.body).toContain('Questions? Contact <a href="mailto:help@northwind.example">help@northwind.example</a>');
    expect(used.body).toContain('already used');

    const unknown = await new PortalBrowser(app).open(`${app.url}/portal/launch?token=${'x'.repeat(43)}`);
    expect(unknown.status).toBe(410);
    expect(unknown.body).not.toContain('<header>');
    expect(unknown.body).toContain('Questions? Contact the team that sent you this link.');
  });
});
