import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, findBreakingChanges, parse, validate, type OperationDefinitionNode } from 'graphql';
import { startTestApp, type TestApp } from '../helpers/app';
import { buildTeam } from '../helpers/factories';
import { TestIdp } from '../helpers/sso';

/**
 * The API is public: what integrators wrote against v1 (the schema and the dashboard's operations before the
 * renames, both copied into test/fixtures) keeps validating and running. A rename adds the new name and keeps the
 * old one as a @deprecated alias; removing or retyping anything fails here.
 */
const fixture = (name: string) => fs.readFileSync(path.resolve(__dirname, '../fixtures', name), 'utf8');
const current = () => buildSchema(fs.readFileSync(path.resolve(__dirname, '../../schema.graphql'), 'utf8'));

/** The v1 documents, one per `# file` block, by operation name. */
function v1Operations(): Map<string, string> {
  const blocks = fixture('client-operations-v1.graphql').split(/^# .*$/m).map((b) => b.trim()).filter((b) => b && !b.startsWith('#'));
  return new Map(blocks.map((source) => [(parse(source).definitions[0] as OperationDefinitionNode).name!.value, source]));
}

/**
 * Deliberate breaks, each with its reason. Only the dashboard's own sign-up is here: it answered a Viewer (signed in
 * at once), which told anyone whether an email had an account; it now answers "check your email" (issue 10).
 */
const INTENTIONAL_BREAKS = new Map([['Mutation.signUp', 'sign-up is confirmed by email so it cannot reveal whether an account exists']]);
const INTENTIONALLY_CHANGED_OPERATIONS = new Set(['SignUp']);

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

describe('v1 compatibility', () => {
  it('changes nothing in the v1 schema incompatibly (no field, argument, type or enum value removed or retyped)', () => {
    const v1 = buildSchema(fixture('schema-v1.graphql'));
    const breaks = findBreakingChanges(v1, current()).filter((c) => ![...INTENTIONAL_BREAKS.keys()].some((name) => c.description.startsWith(`${name} `)));
    expect(breaks.map((c) => `${c.type}: ${c.description}`)).toEqual([]);
  });

  it('validates every operation the dashboard sent in v1 against today’s schema', () => {
    const operations = v1Operations();
    expect(operations.size).toBeGreaterThan(50);
    const schema = current();
    const invalid = [...operations].filter(([name]) => !INTENTIONALLY_CHANGED_OPERATIONS.has(name)).flatMap(([name, source]) => validate(schema, parse(source)).map((e) => `${name}: ${e.message}`));
    expect(invalid).toEqual([]);
  });

  it('runs the v1 connection operations (the names that are now deprecated aliases) end to end', async () => {
    const ops = v1Operations();
    const team = await buildTeam(app.db, app.url);
    const admin = team.as.ADMIN;
    const run = (name: string, variables: Record<string, unknown>) => admin.data(ops.get(name)!, variables);
    const { createOrganization } = await run('CreateOrganization', { input: { environmentId: team.environments[0]!.id, name: 'Compat' } });
    const { createSamlConnection } = await run('CreateSamlConnection', { input: { organizationId: createOrganization.id, connectionType: 'AzureSAML', metadataXml: new TestIdp().metadataXml() } });
    const { connection } = await run('ConnectionDetails', { id: createSamlConnection.id });
    expect(connection).toMatchObject({ id: createSamlConnection.id, connectionType: 'AzureSAML', mappingPreset: 'ENTRA_ID', organization: { id: createOrganization.id } });
    expect((await run('UpdateSamlConnection', { input: { id: connection.id, name: 'Renamed' } })).updateSamlConnection.name).toBe('Renamed');
    expect((await run('SetConnectionEnabled', { id: connection.id, enabled: false })).setConnectionEnabled.state).toBe('INACTIVE');
    expect((await run('Organization', { id: createOrganization.id })).organization.connections.map((c: { id: string }) => c.id)).toEqual([connection.id]);
    const { createApiKey } = await run('CreateApiKey', { input: { environmentId: team.environments[0]!.id, name: 'v1 key' } });
    expect(createApiKey.secret).toMatch(/^sk_test_/);
    expect((await run('DeleteConnection', { id: connection.id })).deleteConnection.id).toBe(connection.id);
    // Deleted under the old name, gone under the new one.
    expect((await admin.error('query($id: ID!) { ssoConnection(id: $id) { id } }', { id: connection.id })).code).toBe('NOT_FOUND');
  });

  it('answers the same under the new names as under the deprecated ones', async () => {
    const team = await buildTeam(app.db, app.url);
    const admin = team.as.ADMIN;
    const { createOrganization } = await admin.data('mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }', { i: { environmentId: team.environments[0]!.id, name: 'Names' } });
    const { createSsoConnection } = await admin.data('mutation($i: CreateSsoConnectionInput!) { createSsoConnection(input: $i) { id mappingPreset mappingPresetConnectionType } }', { i: { organizationId: createOrganization.id, connectionType: 'AzureSAML' } });
    expect(createSsoConnection).toMatchObject({ mappingPreset: 'ENTRA_ID', mappingPresetConnectionType: 'AzureSAML' });
    const FIELDS = 'id name connectionType state mappingPresetConnectionType organization { id }';
    const both = await admin.data(`query($id: ID!, $org: ID!) { a: ssoConnection(id: $id) { ${FIELDS} } b: connection(id: $id) { ${FIELDS} } organization(id: $org) { ssoConnections { id } connections { id } } }`, { id: createSsoConnection.id, org: createOrganization.id });
    expect(both.a).toEqual(both.b);
    expect(both.organization.ssoConnections).toEqual(both.organization.connections);
    expect((await admin.data('mutation($id: ID!) { setSsoConnectionEnabled(id: $id, enabled: false) { state } }', { id: createSsoConnection.id })).setSsoConnectionEnabled.state).toBe('INACTIVE');
    expect((await admin.data('mutation($id: ID!) { deleteSsoConnection(id: $id) { id } }', { id: createSsoConnection.id })).deleteSsoConnection.id).toBe(createSsoConnection.id);
  });
});
