import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TEST_SECRET_KEY } from '../helpers/app';
import { createDataSource, migrate, MIGRATIONS } from '../../src/db/data-source';
import { newId } from '../../src/lib/ids';
import { hashToken } from '../../src/lib/tokens';
import { freshDatabase, onPostgres } from '../helpers/databases';
import { startPorticoProcess, type PorticoProcess } from '../helpers/process';
import { keys } from '../saml/forge';

/**
 * The schema a database of the previous release has: every migration up to this one. Pinned by name, so the
 * migrations anyone adds later are all "new" here and run on data, as an upgrade runs them.
 */
const PREVIOUS_RELEASE_LAST_MIGRATION = 'ScimHardening1764800000000';

// Needs its own empty database beside the run's: real PostgreSQL (the embedded engine upgrades by the same migrations).
(onPostgres ? describe : describe.skip)('upgrading: today\'s release on a database created by the previous release', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let portico: PorticoProcess | null = null;
  afterAll(async () => {
    await portico?.stop();
    await database?.drop();
  });

  it('migrates the rest and serves every row written before, through REST and GraphQL', async () => {
    const cut = MIGRATIONS.findIndex((m) => m.name === PREVIOUS_RELEASE_LAST_MIGRATION);
    expect(cut).toBeGreaterThanOrEqual(0);
    const previous = MIGRATIONS.slice(0, cut + 1);
    expect(MIGRATIONS.length - previous.length).toBeGreaterThanOrEqual(1);

    database = await freshDatabase('upgrade');
    const old = new DataSource({ ...createDataSource({ url: database.url }, 1).options, migrations: previous, subscribers: [] });
    await old.initialize();
    await migrate(old);
    expect((await old.query('SELECT count(*)::int AS n FROM portico_migrations'))[0].n).toBe(previous.length);

    // Written with the previous schema's columns, as that release wrote them.
    const ids = {
      workspace: newId('workspace'), environment: newId('environment'), client: newId('client'), apiKey: newId('apiKey'), org: newId('organization'),
      domain: newId('organizationDomain'), connection: newId('connection'), directory: newId('directory'), users: [newId('directoryUser'), newId('directoryUser')],
      sessions: [newId('ssoSession'), newId('ssoSession')],
    };
    const apiKey = `sk_test_${randomBytes(30).toString('hex').slice(0, 40)}`;
    const sql = async (text: string, params: unknown[]) => old.query(text, params);
    await sql('INSERT INTO workspaces (id, name, support_email) VALUES ($1, $2, $3)', [ids.workspace, 'Upgraded Inc', 'help@upgraded.example']);
    await sql(`INSERT INTO environments (id, workspace_id, kind, name, client_id) VALUES ($1, $2, 'STAGING', 'Staging', $3)`, [ids.environment, ids.workspace, ids.client]);
    await sql('INSERT INTO api_keys (id, environment_id, name, secret_hash, prefix, last_four) VALUES ($1, $2, $3, $4, $5, $6)', [ids.apiKey, ids.environment, 'old key', hashToken(apiKey), 'sk_test_', apiKey.slice(-4)]);
    await sql(`INSERT INTO organizations (id, environment_id, name, external_id, metadata) VALUES ($1, $2, 'Acme', 'acme-ext', '{"tier":"gold"}')`, [ids.org, ids.environment]);
    await sql(`INSERT INTO organization_domains (id, organization_id, environment_id, domain, state, verification_strategy) VALUES ($1, $2, $3, 'acme.com', 'verified', 'manual')`, [ids.domain, ids.org, ids.environment]);
    const cert = keys.idp.cert.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    await sql(
      `INSERT INTO connections (id, environment_id, organization_id, name, connection_type, state, idp_entity_id, idp_sso_url, idp_certificates, mapping_preset, attribute_mapping)
       VALUES ($1, $2, $3, 'Acme Okta', 'OktaSAML', 'active', 'https://idp.acme.example/saml', 'https://idp.acme.example/sso', $4, 'okta', $5)`,
      [ids.connection, ids.environment, ids.org, JSON.stringify([cert]), JSON.stringify({ idpId: 'id', email: 'email', firstName: 'firstName', lastName: 'lastName' })],
    );
    await sql(`INSERT INTO directories (id, environment_id, organization_id, name, type, state, token_hash, token_last_four) VALUES ($1, $2, $3, 'Acme SCIM', 'okta scim v2.0', 'linked', $4, 'abcd')`, [ids.directory, ids.environment, ids.org, hashToken('scim-token')]);
    for (const [i, id] of ids.users.entries()) {
      await sql(
        `INSERT INTO directory_users (id, directory_id, environment_id, organization_id, user_name, idp_id, state, raw_attributes) VALUES ($1, $2, $3, $4, $5, $6, 'active', $7)`,
        [id, ids.directory, ids.environment, ids.org, `user${i}@acme.com`, `okta-${i}`, JSON.stringify({ userName: `user${i}@acme.com`, name: { givenName: `User${i}`, familyName: 'Acme' } })],
      );
    }
    await sql(`INSERT INTO sso_sessions (id, environment_id, organization_id, connection_id, origin, state, email, started_at) VALUES ($1, $2, $3, $4, 'SP', 'SUCCESSFUL', 'user0@acme.com', now() - interval '1 hour')`, [ids.sessions[0], ids.environment, ids.org, ids.connection]);
    await sql(`INSERT INTO sso_sessions (id, environment_id, organization_id, connection_id, origin, state, error, error_reason, started_at) VALUES ($1, $2, $3, $4, 'IDP', 'FAILED', 'MALFORMED_SAML_RESPONSE', 'invalid_audience', now())`, [ids.sessions[1], ids.environment, ids.org, ids.connection]);
    await old.destroy();

    // Today's release starts on it: the remaining migrations run, then it serves.
    portico = await startPorticoProcess({ DATABASE_URL: database.url, PORTICO_SEED_DEMO: 'false', PORTICO_SECRET_KEY: TEST_SECRET_KEY, SAML_WORKERS: '1' });
    expect((await fetch(`${portico.url}/ready`)).status).toBe(200);
    const api = async (path: string) => {
      const res = await fetch(`${portico!.url}${path}`, { headers: { authorization: `Bearer ${apiKey}` } });
      expect(res.status).toBe(200);
      return res.json();
    };

    expect(await api(`/organizations/${ids.org}`)).toMatchObject({ id: ids.org, name: 'Acme', external_id: 'acme-ext', metadata: { tier: 'gold' }, domains: [expect.objectContaining({ domain: 'acme.com', state: 'verified' })] });
    expect(await api(`/connections/${ids.connection}`)).toMatchObject({ id: ids.connection, organization_id: ids.org, connection_type: 'OktaSAML', name: 'Acme Okta', state: 'active' });
    expect(await api(`/directories/${ids.directory}`)).toMatchObject({ id: ids.directory, organization_id: ids.org, type: 'okta scim v2.0' });
    const users = await api(`/directory_users?directory=${ids.directory}`);
    expect(users.data.map((u: { id: string }) => u.id).sort()).toEqual([...ids.users].sort());

    const gql = await fetch(`${portico.url}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query: `{ environment { name kind clientId } connection(id: "${ids.connection}") { name idpEntityId sessions(first: 10) { totalCount edges { node { id state email error } } } } }` }),
    }).then((r) => r.json());
    expect(gql.errors).toBeUndefined();
    expect(gql.data.environment).toEqual({ name: 'Staging', kind: 'STAGING', clientId: ids.client });
    expect(gql.data.connection.idpEntityId).toBe('https://idp.acme.example/saml');
    expect(gql.data.connection.sessions.totalCount).toBe(2);
    expect(gql.data.connection.sessions.edges.map((e: { node: unknown }) => e.node)).toEqual([
      { id: ids.sessions[1], state: 'FAILED', email: null, error: 'MALFORMED_SAML_RESPONSE' },
      { id: ids.sessions[0], state: 'SUCCESSFUL', email: 'user0@acme.com', error: null },
    ]);
    const applied: { name: string }[] = await (async () => {
      const check = await createDataSource({ url: database.url }, 1).initialize();
      try {
        return await check.query('SELECT name FROM portico_migrations');
      } finally {
        await check.destroy();
      }
    })();
    expect(applied.map((r) => r.name).sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
  }, 120_000);
});
