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
