import { WorkOS } from '@workos-inc/node';
import { newId } from '../../src/lib/ids';
import { startTestApp, type TestApp } from '../helpers/app';
import { buildSsoSetup } from '../helpers/sso';

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

const unique = () => `${Math.random().toString(36).slice(2, 10)}`;

describe('organizations through the official SDK', () => {
  it('creates, reads, updates, lists and deletes organizations as the contract says', async () => {
    const { workos } = await buildSsoSetup(app);
    const d = unique();
    const created = await workos.organizations.createOrganization({
      name: 'Foo Corp', domainData: [{ domain: `foo-${d}.com`, state: 'verified' as never }], externalId: `ext-${d}`, metadata: { tier: 'gold' },
    });
    expect(created).toMatchObject({ object: 'organization', name: 'Foo Corp', allowProfilesOutsideOrganization: false, externalId: `ext-${d}`, metadata: { tier: 'gold' } });
    expect(created.id).toMatch(/^org_[0-9A-Z]{26}$/);
    expect(created.domains).toEqual([expect.objectContaining({ object: 'organization_domain', domain: `foo-${d}.com`, state: 'verified', organizationId: created.id })]);

    expect((await workos.organizations.getOrganization(created.id)).name).toBe('Foo Corp');
    expect((await workos.organizations.getOrganizationByExternalId(`ext-${d}`)).id).toBe(created.id);

    const updated = await workos.organizations.updateOrganization({
      organization: created.id, name: 'Foo 2', domainData: [{ domain: `bar-${d}.com`, state: 'pending' as never }], metadata: { tier: null as never, region: 'eu' },
    });
    expect(updated).toMatchObject({ name: 'Foo 2', metadata: { region: 'eu' }, externalId: `ext-${d}` });
    expect(updated.domains.map((x) => [x.domain, x.state])).toEqual([[`bar-${d}.com`, 'pending']]);

    const byDomain = await workos.organizations.listOrganizations({ domains: [`bar-${d}.com`, 'nobody.example'] });
    expect(byDomain.data.map((o) => o.id)).toEqual([created.id]);

    await workos.organizations.deleteOrganization(created.id);
    await expect(workos.organizations.getOrganization(created.id)).rejects.toMatchObject({ name: 'NotFoundException', status: 404 });
  });

  it('pages with limit/after/before in both orders, and autoPagination collects every organization', async () => {
    const { workos, org } = await buildSsoSetup(app);
    const ids = [org.id];
    for (let i = 0; i < 4; i += 1) ids.push((await workos.organizations.createOrganization({ name: `Org ${i}` })).id);
    const desc = [...ids].reverse();
    const page1 = await workos.organizations.listOrganizations({ limit: 2 });
    expect(page1.data.map((o) => o.id)).toEqual(desc.slice(0, 2));
    expect(page1.listMetadata).toEqual({ before: null, after: desc[1] });
    const page2 = await workos.organizations.listOrganizations({ limit: 2, after: desc[1] });
    expect(page2.data.map((o) => o.id)).toEqual(desc.slice(2, 4));
    expect(page2.listMetadata.before).toBe(desc[2]);
    const back = await workos.organizations.listOrganizations({ limit: 2, before: desc[2] });
    expect(back.data.map((o) => o.id)).toEqual(desc.slice(0, 2));
    const asc = await workos.organizations.listOrganizations({ limit: 10, order: 'asc' });
    expect(asc.data.map((o) => o.id)).toEqual(ids);
    // the SDK's autoPagination walks `after` from a list opened without a limit
    const all = await (await workos.organizations.listOrganizations()).autoPagination();
    expect(all.map((o) => o.id)).toEqual(desc);
  });

  it('answers errors in the shapes the SDK maps to its exceptions', async () => {
    const { workos, org } = await buildSsoSetup(app);
    await expect(workos.organizations.createOrganization({ name: '' })).rejects.toMatchObject({ name: 'UnprocessableEntityException', status: 422 });
    const res = await fetch(`${app.url}/organizations`, { method: 'POST', headers: { authorization: `Bearer ${(workos as unknown as { key: string }).key}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x', domain_data: [{ domain: 'gmail.com', state: 'verified' }] }) });
    expect(res.status).toBe(422);
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(await res.json()).toMatchObject({ code: 'invalid_request_parameters', errors: [{ field: 'domains[0].domain', code: 'consumer_domain' }] });
    await expect(workos.organizations.createOrganization({ name: 'Dup', domainData: [{ domain: 'acme.com', state: 'verified' as never }] })).rejects.toMatchObject({ name: 'ConflictException' });
    await expect(workos.organizations.getOrganization('org_01HZZZZZZZZZZZZZZZZZZZZZZZ')).rejects.toMatchObject({ name: 'NotFoundException' });
    const bad = new WorkOS('sk_test_' + 'x'.repeat(40), { apiHostname: '127.0.0.1', port: Number(new URL(app.url).port), https: false, maxRetries: 0 });
    await expect(bad.organizations.getOrganization(org.id)).rejects.toMatchObject({ name: 'UnauthorizedException', status: 401 });
    // nothing half-written: the refused duplicate left no organization behind
    const [{ count }] = await app.db.query(`SELECT count(*)::int AS count FROM organizations WHERE name = 'Dup'`);
    expect(count).toBe(0);
  });

  it('replays the first response for a repeated Idempotency-Key and refuses its reuse for another request', async () => {
    const { apiKey } = await buildSsoSetup(app);
    const post = (body: unknown, key: string) =>
      fetch(`${app.url}/organizations`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });
    const key = `idem-${unique()}`;
    const first = await (await post({ name: 'Once' }, key)).json();
    const second = await post({ name: 'Once' }, key);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect((await second.json()).id).toBe(first.id);
    expect((await post({ name: 'Other' }, key)).status).toBe(400);

    // concurrent first requests with one key create one organization
    const racing = `race-${unique()}`;
    const results = await Promise.all([1, 2, 3, 4].map(() => post({ name: racing }, racing)));
    const bodies = await Promise.all(results.map((r) => r.json()));
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect(new Set(bodies.filter((b) => b.id).map((b) => b.id)).size).toBe(1);
    const [{ count }] = await app.db.query('SELECT count(*)::int AS count FROM organizations WHERE name = $1', [racing]);
    expect(count).toBe(1);
    // a refused request frees its key
    const failing = `fail-${unique()}`;
    expect((await post({ name: '' }, failing)).status).toBe(422);
    expect((await post({ name: 'Now valid' }, failing)).status).toBe(201);
  });

  it('manages organization domains, with DNS verification that fails without the TXT record', async () => {
    const { workos, org } = await buildSsoSetup(app);
    const d = `verify-${unique()}.example.org`;
    const domain = await workos.organizationDomains.createOrganizationDomain({ domain: d, organizationId: org.id });
    expect(domain).toMatchObject({ domain: d, state: 'pending', verificationStrategy: 'dns', verificationPrefix: '_portico-challenge' });
    expect(domain.verificationToken).toMatch(/^[0-9a-f]{32}$/);
    expect((await workos.organizationDomains.getOrganizationDomain(domain.id)).id).toBe(domain.id);
    expect((await workos.organizationDomains.verifyOrganizationDomain(domain.id)).state).toBe('failed');
    await workos.organizationDomains.deleteOrganizationDomain(domain.id);
    await expect(workos.organizationDomains.getOrganizationDomain(domain.id)).rejects.toMatchObject({ name: 'NotFoundException' });
  });
});

describe('connections through the official SDK', () => {
  it('lists with filters, gets and deletes connections', async () => {
    const { workos, connection, org } = await buildSsoSetup(app);
    const got = await workos.sso.getConnection(connection.id);
    expect(got).toMatchObject({ object: 'connection', id: connection.id, organizationId: org.id, type: 'OktaSAML', state: 'validating', name: 'Acme' });
    expect(got.domains).toEqual([expect.objectContaining({ domain: 'acme.com' })]);
    expect((await workos.sso.listConnections({ organizationId: org.id })).data.map((c) => c.id)).toEqual([connection.id]);
    expect((await workos.sso.listConnections({ connectionType: 'AzureSAML' as never })).data).toEqual([]);
    expect((await workos.sso.listConnections({ domain: 'acme.com' })).data.map((c) => c.id)).toEqual([connection.id]);
    await workos.sso.deleteConnection(connection.id);
    await expect(workos.sso.getConnection(connection.id)).rejects.toMatchObject({ name: 'NotFoundException' });
  });
});

describe('tenancy: an API key sees its own environment only', () => {
  it('cannot read or touch another environment’s organizations, domains, connections or sessions', async () => {
    const mine = await buildSsoSetup(app);
    const theirs = await buildSsoSetup(app);
    const [theirDomain] = await app.db.query('SELECT id FROM organization_domains WHERE organization_id = $1', [theirs.org.id]);
    await expect(mine.workos.organizations.getOrganization(theirs.org.id)).rejects.toMatchObject({ name: 'NotFoundException' });
    await expect(mine.workos.organizations.updateOrganization({ organization: theirs.org.id, name: 'Pwned' })).rejects.toMatchObject({ name: 'NotFoundException' });
    await expect(mine.workos.organizations.deleteOrganization(theirs.org.id)).rejects.toMatchObject({ name: 'NotFoundException' });
    await expect(mine.workos.organizationDomains.deleteOrganizationDomain(theirDomain.id)).rejects.toMatchObject({ name: 'NotFoundException' });
    await expect(mine.workos.organizationDomains.createOrganizationDomain({ domain: 'x-tenancy.example.org', organizationId: theirs.org.id })).rejects.toMatchObject({ name: 'NotFoundException' });
    await expect(mine.workos.sso.getConnection(theirs.connection.id)).rejects.toMatchObject({ name: 'NotFoundException' });
    await expect(mine.workos.sso.deleteConnection(theirs.connection.id)).rejects.toMatchObject({ name: 'NotFoundException' });
    const list = await mine.workos.organizations.listOrganizations({ limit: 100 });
    expect(list.data.map((o) => o.id)).toEqual([mine.org.id]);
    expect((await mine.workos.sso.listConnections({ organizationId: theirs.org.id })).data).toEqual([]);
    expect((await theirs.workos.organizations.getOrganization(theirs.org.id)).name).toBe('Acme');

    // GraphQL with an API key, and a dashboard member of another workspace
    const [session] = await app.db.query(`INSERT INTO sso_sessions (id, environment_id, organization_id, connection_id, origin, state) VALUES ($4, $1, $2, $3, 'IDP', 'FAILED') RETURNING id`, [theirs.environment.id, theirs.org.id, theirs.connection.id, newId('ssoSession')]);
    const gql = (key: string, query: string, variables: Record<string, unknown>) =>
      fetch(`${app.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) }).then((r) => r.json());
    for (const [query, id] of [
      ['query($id: ID!) { organization(id: $id) { id } }', theirs.org.id],
      ['query($id: ID!) { connection(id: $id) { id } }', theirs.connection.id],
      ['query($id: ID!) { session(id: $id) { id } }', session.id],
    ] as const) {
      expect((await gql(mine.apiKey, query, { id })).errors[0].extensions.code).toBe('NOT_FOUND');
      expect((await mine.admin.error(query, { id })).code).toBe('NOT_FOUND');
    }
    expect((await gql(theirs.apiKey, 'query($id: ID!) { session(id: $id) { id state } }', { id: session.id })).data.session).toEqual({ id: session.id, state: 'FAILED' });
  });
});
