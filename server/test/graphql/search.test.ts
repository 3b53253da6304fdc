import { startTestApp, type TestApp } from '../helpers/app';
import { GqlClient } from '../helpers/client';
import { buildDirectorySetup, oktaUser } from '../helpers/scim';
import { postToAcs } from '../helpers/sso';

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

const SEARCH = `query($id: ID, $q: String!) { environment(id: $id) { search(query: $q) { hits { kind id title detail } jumpTo { kind id title } } } }`;

type Hit = { kind: string; id: string; title: string; detail: string | null };

/** An environment with a unique organization name and domain, a user pushed by SCIM and a sign-in through ACS. */
async function world() {
  const setup = await buildDirectorySetup(app);
  const tag = Math.random().toString(36).slice(2, 8);
  const org = (await setup.admin.data(`mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }`,
    { i: { environmentId: setup.environment.id, name: `Zephyr ${tag} Labs`, domains: [`zephyr-${tag}.example`] } })).createOrganization.id as string;
  const email = `grace.${tag}@acme.com`;
  const user = (await setup.scim('POST', '/Users', { ...oktaUser(email), name: { givenName: 'Grace', familyName: `Hopper${tag}` } })).body;
  const signIn = await postToAcs(app, setup.connection.id, await setup.idp.response(setup.connection, { nameId: email, attributes: { id: `u-${tag}`, email, firstName: 'Grace', lastName: 'Hopper' } }));
  expect(signIn.location?.searchParams.get('code')).toBeTruthy();
  const [session] = await app.db.query('SELECT id FROM sso_sessions WHERE connection_id = $1 ORDER BY id DESC LIMIT 1', [setup.connection.id]);
  const [dirUser] = await app.db.query('SELECT id FROM directory_users WHERE directory_id = $1', [setup.directoryId]);
  const [conn] = await app.db.query('SELECT name FROM connections WHERE id = $1', [setup.connection.id]);
  const [dir] = await app.db.query('SELECT name FROM directories WHERE id = $1', [setup.directoryId]);
  expect(user.id).toBeTruthy();
  return { ...setup, tag, orgId: org, email, sessionId: session.id as string, directoryUserId: dirUser.id as string, connectionName: conn.name as string, directoryName: dir.name as string };
}

const search = async (client: GqlClient, environmentId: string | undefined, q: string) =>
  (await client.data(SEARCH, { id: environmentId, q })).environment.search as { hits: Hit[]; jumpTo: Hit | null };
const kindsAndIds = (hits: Hit[]) => hits.map((h) => [h.kind, h.id]);

describe('searching an environment', () => {
  it('finds organizations by the start of their name (any case) or a domain, and the organization of an email’s domain', async () => {
    const w = await world();
    const env = w.environment.id;
    for (const q of [`zephyr ${w.tag}`, `ZEPHYR ${w.tag} l`, `zephyr-${w.tag}`, `someone@zephyr-${w.tag}.example`]) {
      expect(kindsAndIds((await search(w.admin, env, q)).hits).filter(([k]) => k === 'ORGANIZATION')).toEqual([['ORGANIZATION', w.orgId]]);
    }
    expect((await search(w.admin, env, `zephyr ${w.tag}`)).hits[0]).toMatchObject({ title: `Zephyr ${w.tag} Labs`, detail: `zephyr-${w.tag}.example` });
    // Only the start of a name matches; LIKE's wildcards are plain characters.
    expect((await search(w.admin, env, `labs`)).hits.filter((h) => h.id === w.orgId)).toEqual([]);
    expect((await search(w.admin, env, `%${w.tag}`)).hits).toEqual([]);
    expect((await search(w.admin, env, `z_phyr ${w.tag}`)).hits).toEqual([]);
  });

  it('finds a connection and a directory by name, a directory user by email or name, and sessions by email', async () => {
    const w = await world();
    const env = w.environment.id;
    expect(kindsAndIds((await search(w.admin, env, w.connectionName)).hits)).toContainEqual(['CONNECTION', w.connection.id]);
    expect(kindsAndIds((await search(w.admin, env, w.directoryName)).hits)).toContainEqual(['DIRECTORY', w.directoryId]);
    const byEmail = await search(w.admin, env, w.email.toUpperCase());
    // acme.com, the email's domain, belongs to the organization Acme.
    expect(kindsAndIds(byEmail.hits)).toEqual([['ORGANIZATION', w.org.id], ['DIRECTORY_USER', w.directoryUserId], ['SESSION', w.sessionId]]);
    expect(byEmail.hits[1]).toMatchObject({ title: `Grace Hopper${w.tag}`, detail: `${w.email} · ${w.directoryName}` });
    expect(byEmail.hits[2]!.title).toBe(w.email);
    expect(byEmail.hits[2]!.detail).toContain('authorized');
    expect(byEmail.jumpTo).toBeNull();
    expect(kindsAndIds((await search(w.admin, env, `grace hopper${w.tag}`)).hits)).toEqual([['DIRECTORY_USER', w.directoryUserId]]);
  });

  it('jumps straight to the object of a pasted ID, whatever its kind', async () => {
    const w = await world();
    const env = w.environment.id;
    const ids: [string, string][] = [['ORGANIZATION', w.orgId], ['CONNECTION', w.connection.id], ['DIRECTORY', w.directoryId], ['DIRECTORY_USER', w.directoryUserId], ['SESSION', w.sessionId]];
    for (const [kind, id] of ids) {
      const result = await search(w.admin, env, `  ${id} `);
      expect(result.jumpTo).toMatchObject({ kind, id });
      expect(kindsAndIds(result.hits)).toEqual([[kind, id]]);
    }
  });

  it('never finds another environment’s objects, not even by exact ID, by name, or with that environment’s API key', async () => {
    const a = await world();
    const b = await world();
    for (const id of [b.orgId, b.connection.id, b.directoryId, b.directoryUserId, b.sessionId]) {
      expect(await search(a.admin, a.environment.id, id)).toEqual({ hits: [], jumpTo: null });
      expect(await search(new GqlClient(app.url, { bearer: a.apiKey }), undefined, id)).toEqual({ hits: [], jumpTo: null });
    }
    expect((await search(a.admin, a.environment.id, `zephyr ${b.tag}`)).hits).toEqual([]);
    // b's user's email finds only a's own organization of acme.com, none of b's users or sessions.
    expect(kindsAndIds((await search(a.admin, a.environment.id, b.email)).hits)).toEqual([['ORGANIZATION', a.org.id]]);
    // The same workspace's other environment (Production) holds none of Staging's objects either.
    const production = a.team.environments.find((e) => e.kind === 'PRODUCTION')!;
    await app.db.query(`INSERT INTO workspace_billing (workspace_id, company_name, address_line1, city, postal_code, country, card_brand, card_last4, card_exp_month, card_exp_year, payment_token)
      VALUES ($1, 'Acme Inc', '1 Main St', 'Springfield', '12345', 'US', 'visa', '4242', 12, 2099, 'tok_test') ON CONFLICT DO NOTHING`, [a.team.workspace.id]);
    expect(await search(a.admin, production.id, a.orgId)).toEqual({ hits: [], jumpTo: null });
    // Another workspace's environment is not found at all.
    expect((await a.admin.error(SEARCH, { id: b.environment.id, q: 'zephyr' })).code).toBe('NOT_FOUND');
  });

  it('answers every role that may open the pages it links to, and refuses strangers', async () => {
    const w = await world();
    for (const role of ['ADMIN', 'DEVELOPER', 'SUPPORT'] as const) {
      expect((await search(w.team.as[role], w.environment.id, w.orgId)).jumpTo?.id).toBe(w.orgId);
    }
    expect((await w.team.as.anonymous.error(SEARCH, { id: w.environment.id, q: 'zephyr' })).code).toBe('UNAUTHENTICATED');
  });

  it('refuses a query over 200 characters, naming the field, and finds nothing for one character', async () => {
    const w = await world();
    const error = await w.admin.error(SEARCH, { id: w.environment.id, q: 'a'.repeat(201) });
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.details).toEqual([expect.objectContaining({ field: 'query', code: 'too_long' })]);
    expect((await search(w.admin, w.environment.id, 'z'))).toEqual({ hits: [], jumpTo: null });
  });

  it('sends a fixed number of SQL statements per search, whatever the environment holds', async () => {
    const w = await world();
    const count = async (q: string) => {
      const before = app.queries.count;
      await search(w.admin, w.environment.id, q);
      return app.queries.count - before;
    };
    const text = await count(w.email);
    const byId = await count(w.sessionId);
    for (let i = 0; i < 5; i += 1) await w.scim('POST', '/Users', oktaUser(`grace.${w.tag}.${i}@acme.com`));
    expect(await count(w.email)).toBe(text);
    expect(await count(w.sessionId)).toBe(byId);
    expect((await search(w.admin, w.environment.id, `grace.${w.tag}`)).hits.filter((h) => h.kind === 'DIRECTORY_USER')).toHaveLength(5);
  });
});
