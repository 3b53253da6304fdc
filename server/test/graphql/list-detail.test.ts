import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, getNamedType, isLeafType, type GraphQLObjectType } from 'graphql';
import { startTestApp, type TestApp } from '../helpers/app';
import { buildSsoSetup } from '../helpers/sso';

/**
 * A schema never answers null for data it has: every object that is both listed and read on its own answers each
 * leaf field the same both ways (sessions have their own test in sessions.test.ts). Fields come from the committed
 * schema, so a field added later is compared too.
 */
let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

const schema = buildSchema(fs.readFileSync(path.resolve(__dirname, '../../schema.graphql'), 'utf8'));
const leaves = (typeName: string) => Object.values((schema.getType(typeName) as GraphQLObjectType).getFields())
  .filter((f) => isLeafType(getNamedType(f.type)) && !f.args.length).map((f) => f.name).join(' ');

describe('lists and details agree', () => {
  it('answers every leaf field of organizations, connections, directories and directory users the same in a list and on its own', async () => {
    const setup = await buildSsoSetup(app);
    const { admin, environment, org, connection } = setup;
    const { createDirectory } = await admin.data('mutation($i: CreateDirectoryInput!) { createDirectory(input: $i) { directory { id } token } }', { i: { organizationId: org.id, type: 'okta scim v2.0' } });
    const directoryId = createDirectory.directory.id as string;
    await fetch(`${app.url}/scim/v2/${directoryId}/Users`, {
      method: 'POST', headers: { authorization: `Bearer ${createDirectory.token}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ userName: 'ada@acme.com', name: { givenName: 'Ada', familyName: 'Lovelace' }, emails: [{ value: 'ada@acme.com', primary: true }] }),
    });

    const O = leaves('Organization');
    const C = leaves('SsoConnection');
    const D = leaves('Directory');
    const U = leaves('DirectoryUser');
    const lists = await admin.data(`query($env: ID!, $org: ID!, $dir: ID!) {
      environment(id: $env) { organizations(first: 5) { edges { node { ${O} } } } }
      organization(id: $org) { ssoConnections { ${C} } directories { ${D} } }
      directory(id: $dir) { users(first: 5) { edges { node { ${U} } } } }
    }`, { env: environment.id, org: org.id, dir: directoryId });
    const userId = lists.directory.users.edges[0].node.id;
    const details = await admin.data(`query($org: ID!, $conn: ID!, $dir: ID!, $user: ID!) {
      organization(id: $org) { ${O} } ssoConnection(id: $conn) { ${C} } directory(id: $dir) { ${D} } directoryUser(id: $user) { ${U} }
    }`, { org: org.id, conn: connection.id, dir: directoryId, user: userId });

    expect(lists.environment.organizations.edges[0].node).toEqual(details.organization);
    expect(lists.organization.ssoConnections[0]).toEqual(details.ssoConnection);
    expect(lists.organization.directories[0]).toEqual(details.directory);
    expect(lists.directory.users.edges[0].node).toEqual(details.directoryUser);
    expect(details.directoryUser).toMatchObject({ userName: 'ada@acme.com', firstName: 'Ada' });
  });
});
