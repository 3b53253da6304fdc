import { startTestApp, type TestApp } from '../helpers/app';
import { buildTeam } from '../helpers/factories';
import { TestIdp } from '../helpers/sso';
import { addOrganizationDomain, verifyOrganizationDomain } from '../../src/modules/organizations/organizations.service';

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

const LIST = `query($id: ID!) { environment(id: $id) { organizations(first: 100) { edges { node { id name domains { domain } connections { id state latestSession { id state } } } } } } }`;

describe('the organizations list', () => {
  it('loads organizations with their domains, connections and latest session in a fixed number of SQL statements (DESIGN budget)', async () => {
    const count = async (organizations: number) => {
      const team = await buildTeam(app.db, app.url);
      const environmentId = team.environments[0]!.id;
      for (let i = 0; i < organizations; i += 1) {
        const { createOrganization } = await team.as.ADMIN.data('mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }', { i: { environmentId, name: `Org ${i}`, domains: [`org${i}-${Date.now()}.example.org`] } });
        await team.as.ADMIN.data('mutation($i: CreateSamlConnectionInput!) { createSamlConnection(input: $i) { id } }', { i: { organizationId: createOrganization.id, metadataXml: new TestIdp().metadataXml() } });
      }
      const before = app.queries.count;
      const data = await team.as.ADMIN.data(LIST, { id: environmentId });
      expect(data.environment.organizations.edges).toHaveLength(organizations);
      expect(data.environment.organizations.edges.every((e: { node: { domains: unknown[]; connections: unknown[] } }) => e.node.domains.length === 1 && e.node.connections.length === 1)).toBe(true);
      return app.queries.count - before;
    };
    expect(await count(25)).toBe(await count(3));
  });
});

describe('domain verification', () => {
  it('verifies a pending domain when its _portico-challenge TXT record holds the token, and fails it otherwise', async () => {
    const team = await buildTeam(app.db, app.url);
    const environmentId = team.environments[0]!.id;
    const scope = { kind: 'environment' as const, environmentId };
    const { createOrganization } = await team.as.ADMIN.data('mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }', { i: { environmentId, name: 'Verify' } });
    const pending = await addOrganizationDomain(app.db, scope, createOrganization.id, `v${Date.now()}.example.org`, 'pending');
    const asked: string[] = [];
    const verified = await verifyOrganizationDomain(app.db, scope, pending.id, async (name: string) => {
      asked.push(name);
      return [['unrelated'], [pending.verificationToken!.slice(0, 10), pending.verificationToken!.slice(10)]];
    });
    expect(asked).toEqual([`_portico-challenge.${pending.domain}`]);
    expect(verified.state).toBe('verified');
    const other = await addOrganizationDomain(app.db, scope, createOrganization.id, `w${Date.now()}.example.org`, 'pending');
    expect((await verifyOrganizationDomain(app.db, scope, other.id, async () => [['wrong-token']])).state).toBe('failed');
  });
});

describe('updateOrganization with domains', () => {
  const UPDATE = 'mutation($i: UpdateOrganizationInput!) { updateOrganization(input: $i) { name domains { domain state } } }';
  const setup = async () => {
    const team = await buildTeam(app.db, app.url);
    const environmentId = team.environments[0]!.id;
    const tag = Math.random().toString(36).slice(2, 8);
    const create = async (name: string, domains: string[]) => (await team.as.ADMIN.data('mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }', { i: { environmentId, name, domains } })).createOrganization.id as string;
    const d = (label: string) => `${label}-${tag}.example.org`;
    return { team, d, org: await create('Acme', [d('a'), d('b')]), other: await create('Other', [d('taken')]) };
  };
  const domainsOf = async (id: string) => (await app.db.query('SELECT domain FROM organization_domains WHERE organization_id = $1 ORDER BY domain', [id])).map((r: { domain: string }) => r.domain);

  it('replaces the whole domain list in one call, with the other fields', async () => {
    const { team, d, org } = await setup();
    const { updateOrganization } = await team.as.ADMIN.data(UPDATE, { i: { id: org, name: 'Acme Corp', domains: [d('b'), d('c'), d('D').toUpperCase()] } });
    expect(updateOrganization.name).toBe('Acme Corp');
    expect(updateOrganization.domains.map((x: { domain: string }) => x.domain).sort()).toEqual([d('b'), d('c'), d('d')].sort());
    expect(await domainsOf(org)).toEqual([d('b'), d('c'), d('d')].sort());
  });

  it('changes nothing when one domain is invalid, naming it', async () => {
    const { team, d, org } = await setup();
    const error = await team.as.ADMIN.error(UPDATE, { i: { id: org, name: 'Renamed', domains: [d('c'), 'not a domain'] } });
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', details: [expect.objectContaining({ field: 'domains[1].domain' })] });
    expect(await domainsOf(org)).toEqual([d('a'), d('b')]);
    const [{ name }] = await app.db.query('SELECT name FROM organizations WHERE id = $1', [org]);
    expect(name).toBe('Acme');
  });

  it('changes nothing when another organization has one of the domains, naming it', async () => {
    const { team, d, org } = await setup();
    const error = await team.as.ADMIN.error(UPDATE, { i: { id: org, name: 'Renamed', domains: [d('c'), d('taken')] } });
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain(d('taken'));
    expect(await domainsOf(org)).toEqual([d('a'), d('b')]);
    const [{ name }] = await app.db.query('SELECT name FROM organizations WHERE id = $1', [org]);
    expect(name).toBe('Acme');
  });

  it('keeps the domains when the list is omitted, and clears them with an empty list', async () => {
    const { team, d, org } = await setup();
    await team.as.ADMIN.data(UPDATE, { i: { id: org, name: 'Only the name' } });
    expect(await domainsOf(org)).toEqual([d('a'), d('b')]);
    await team.as.ADMIN.data(UPDATE, { i: { id: org, domains: [] } });
    expect(await domainsOf(org)).toEqual([]);
  });
});
