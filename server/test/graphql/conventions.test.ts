import { buildMember, buildTeam, buildWorkspace, signedInClient } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

const PAGE = `query($first: Int, $after: String) { viewer { workspace { members(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id user { email } } } } } } }`;

describe('GraphQL conventions', () => {
  it('walks a list with cursors: every row once, in order, with no gaps', async () => {
    const { workspace, admin } = await buildWorkspace(app.db);
    for (let i = 0; i < 6; i += 1) await buildMember(app.db, workspace.id, 'SUPPORT');
    const client = await signedInClient(app.db, app.url, admin, workspace.id);
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const { viewer }: any = await client.data(PAGE, { first: 3, after });
      const members = viewer.workspace.members;
      expect(members.totalCount).toBe(7);
      seen.push(...members.edges.map((e: any) => e.node.id));
      after = members.pageInfo.hasNextPage ? members.pageInfo.endCursor : null;
      pages += 1;
    } while (after);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(7);
    expect([...seen].sort()).toEqual(seen);
  });

  it('refuses a page size over 100 and a forged cursor, naming the argument', async () => {
    const { workspace, admin } = await buildWorkspace(app.db);
    const client = await signedInClient(app.db, app.url, admin, workspace.id);
    expect(await client.error(PAGE, { first: 500 })).toMatchObject({ code: 'BAD_USER_INPUT', details: [expect.objectContaining({ field: 'first' })] });
    expect(await client.error(PAGE, { first: 5, after: 'not-a-cursor' })).toMatchObject({ code: 'BAD_USER_INPUT', details: [expect.objectContaining({ field: 'after' })] });
  });

  it('loads the users of a member list in a fixed number of queries, however long the list', async () => {
    const small = await buildWorkspace(app.db);
    const large = await buildWorkspace(app.db);
    for (let i = 0; i < 2; i += 1) await buildMember(app.db, small.workspace.id, 'SUPPORT');
    for (let i = 0; i < 30; i += 1) await buildMember(app.db, large.workspace.id, 'SUPPORT');
    const count = async (client: Awaited<ReturnType<typeof signedInClient>>) => {
      await client.data(`{ viewer { role } }`);
      const before = app.queries.count;
      await client.data(PAGE, { first: 50 });
      return app.queries.count - before;
    };
    const smallQueries = await count(await signedInClient(app.db, app.url, small.admin, small.workspace.id));
    const largeQueries = await count(await signedInClient(app.db, app.url, large.admin, large.workspace.id));
    expect(largeQueries).toBe(smallQueries);
  });

  it('counts a list’s rows only when totalCount is asked for', async () => {
    const { workspace, admin } = await buildWorkspace(app.db);
    const client = await signedInClient(app.db, app.url, admin, workspace.id);
    const queriesFor = async (fields: string) => {
      await client.data(`{ viewer { role } }`);
      const before = app.queries.count;
      await client.data(`{ viewer { workspace { members(first: 5) { ${fields} } } } }`);
      return app.queries.count - before;
    };
    const withoutCount = await queriesFor('edges { node { id } }');
    const withCount = await queriesFor('totalCount edges { node { id } }');
    expect(withCount).toBe(withoutCount + 1);
  });

  it('refuses a query nested deeper than the limit', async () => {
    const { workspace, admin } = await buildWorkspace(app.db);
    const client = await signedInClient(app.db, app.url, admin, workspace.id);
    const deep = `{ viewer { workspace { members { edges { node { user { notificationSettings { productUpdates } } } } } } } }`;
    expect((await client.data(deep)).viewer).not.toBeNull();
    const tooDeep = `{ viewer { workspaces { workspace { members { edges { node { user { notificationSettings { productUpdates } } } } } } } } }`;
    expect(await client.error(tooDeep)).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('counts depth through fragment spreads, and bounds its walk on a long chain of fragments', async () => {
    const { workspace, admin } = await buildWorkspace(app.db);
    const client = await signedInClient(app.db, app.url, admin, workspace.id);
    const viaFragments = `{ viewer { ...W } } fragment W on Viewer { workspaces { workspace { ...M } } } fragment M on Workspace { members { edges { node { user { notificationSettings { productUpdates } } } } } }`;
    expect(await client.error(viaFragments)).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', message: "'' exceeds maximum operation depth of 7" });
    const chain = Array.from({ length: 1000 }, (_, i) => `fragment F${i} on Viewer { ${i === 999 ? 'role' : `...F${i + 1}`} }`).join(' ');
    const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: client.cookie! }, body: JSON.stringify({ query: `{ viewer { ...F0 } } ${chain}` }) });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0]).toMatchObject({ message: "'' exceeds maximum operation depth of 7", extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });

  it('refuses a query whose estimated cost is over the limit before running it', async () => {
    const { workspace, admin } = await buildWorkspace(app.db);
    const client = await signedInClient(app.db, app.url, admin, workspace.id);
    const fields = Array.from({ length: 60 }, (_, i) => `f${i}: user { id email name }`).join(' ');
    const expensive = `{ viewer { workspace { members(first: 100) { edges { node { ${fields} } } } } } }`;
    expect(await client.error(expensive)).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', reason: 'query_too_complex' });
  });

  it('keeps the dev outbox to Admins of the sending workspace', async () => {
    const team = await buildTeam(app.db, app.url);
    const other = await buildTeam(app.db, app.url);
    await other.as.ADMIN.data(`mutation { inviteMember(input: { email: "x-${Date.now()}@example.com", role: SUPPORT }) { id } }`);
    expect((await team.as.ADMIN.data(`{ outbox { totalCount } }`)).outbox.totalCount).toBe(0);
    expect((await other.as.ADMIN.data(`{ outbox { totalCount } }`)).outbox.totalCount).toBe(1);
    expect((await other.as.DEVELOPER.error(`{ outbox { totalCount } }`)).code).toBe('FORBIDDEN');
  });

  it('answers an unknown field with a validation error and no stack trace', async () => {
    const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ nope }' }) });
    const body = await res.json();
    expect(body.errors[0].extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(JSON.stringify(body)).not.toMatch(/stacktrace|at \//);
  });

  it('serves /health with the database kind', async () => {
    const res = await fetch(`${app.url}/health`);
    expect(await res.json()).toEqual({ status: 'ok', database: 'postgres' });
  });
});
