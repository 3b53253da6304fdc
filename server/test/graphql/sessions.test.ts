import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, getNamedType, isLeafType, type GraphQLObjectType } from 'graphql';
import { newId } from '../../src/lib/ids';
import { purgeRawSaml } from '../../src/modules/sso-sessions/sessions.service';
import { startTestApp, type TestApp } from '../helpers/app';
import { buildSsoSetup } from '../helpers/sso';

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

type Setup = Awaited<ReturnType<typeof buildSsoSetup>>;

/** Sessions written straight to the table, all with the same timestamps unless told otherwise. */
async function insertSessions(setup: Setup, rows: { state?: string; email?: string | null; error?: string | null; startedAt?: Date; id?: string; raw?: boolean }[]) {
  const at = new Date('2026-11-01T10:00:00Z');
  const ids: string[] = [];
  for (const row of rows) {
    const id = row.id ?? newId('ssoSession');
    ids.push(id);
    await app.db.query(
      `INSERT INTO sso_sessions (id, environment_id, organization_id, connection_id, origin, state, email, error, error_message, saml_response, started_at, created_at)
       VALUES ($1, $2, $3, $4, 'SP', $5, $6, $7, $8, $9, $10, $11)`,
      [id, setup.environment.id, setup.org.id, setup.connection.id, row.state ?? 'SUCCESSFUL', row.email ?? null, row.error ?? null, row.error ? 'why' : null, row.raw ? '<samlp:Response/>' : null, row.startedAt ?? at, at],
    );
  }
  return ids;
}

const PAGE = `query($id: ID!, $first: Int, $after: String, $filter: SessionFilterInput) {
  connection(id: $id) { sessions(first: $first, after: $after, filter: $filter) { edges { node { id state email error timedOut } } pageInfo { hasNextPage endCursor } } } }`;

async function allPages(setup: Setup, first: number, filter?: Record<string, unknown>) {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const { connection }: { connection: { sessions: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } } = await setup.admin.data(PAGE, { id: setup.connection.id, first, after, filter });
    ids.push(...connection.sessions.edges.map((e: { node: { id: string } }) => e.node.id));
    if (!connection.sessions.pageInfo.hasNextPage) return ids;
    after = connection.sessions.pageInfo.endCursor;
  }
}

describe('a connection’s sessions in GraphQL', () => {
  it('pages newest first with no duplicates or gaps, even when every timestamp is equal', async () => {
    const setup = await buildSsoSetup(app);
    const ids = await insertSessions(setup, Array.from({ length: 123 }, () => ({})));
    const paged = await allPages(setup, 50);
    expect(paged).toEqual([...ids].reverse());
  });

  it('filters by status (including timed out), error, email prefix and time range, combined with paging', async () => {
    const setup = await buildSsoSetup(app);
    const now = Date.now();
    const [ok, failedAttr, failedCert, started, timedOut] = await insertSessions(setup, [
      { state: 'SUCCESSFUL', email: 'Ada@acme.com' },
      { state: 'FAILED', email: 'ada.l@acme.com', error: 'INVALID_ATTRIBUTES' },
      { state: 'FAILED', email: 'bob@acme.com', error: 'INVALID_X509_CERTIFICATE' },
      { state: 'STARTED', startedAt: new Date(now - 60_000) },
      { state: 'STARTED', startedAt: new Date(now - 10 * 60_000) },
    ]);
    const ids = async (filter: Record<string, unknown>) => (await allPages(setup, 2, filter)).sort();
    expect(await ids({ statuses: ['FAILED'] })).toEqual([failedAttr, failedCert].sort());
    expect(await ids({ statuses: ['TIMED_OUT'] })).toEqual([timedOut]);
    expect(await ids({ statuses: ['STARTED'] })).toEqual([started]);
    expect(await ids({ statuses: ['SUCCESSFUL', 'TIMED_OUT'] })).toEqual([ok, timedOut].sort());
    expect(await ids({ errors: ['INVALID_X509_CERTIFICATE'] })).toEqual([failedCert]);
    expect(await ids({ email: 'ADA' })).toEqual([ok, failedAttr].sort());
    expect(await ids({ email: 'ada%' })).toEqual([]);
    expect(await ids({ email: 'ada', statuses: ['FAILED'] })).toEqual([failedAttr]);
    expect(await ids({ since: failedCert })).toEqual([started, timedOut].sort());
    const { connection } = await setup.admin.data(PAGE, { id: setup.connection.id, filter: { statuses: ['STARTED', 'TIMED_OUT'] } });
    expect(connection.sessions.edges.map((e: { node: { timedOut: boolean } }) => e.node.timedOut).sort()).toEqual([false, true]);

    const later = await insertSessions(setup, [{ id: newId('ssoSession') }]);
    const moment = new Date(Date.now() + 5);
    await new Promise((r) => setTimeout(r, 10));
    const newest = await insertSessions(setup, [{}]);
    expect(await ids({ from: moment.toISOString() })).toEqual(newest);
    expect((await ids({ to: moment.toISOString() })).includes(later[0]!)).toBe(true);
    expect((await setup.admin.error(PAGE, { id: setup.connection.id, filter: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } })).details[0]).toMatchObject({ field: 'filter.from' });
  });

  it('loads the Sessions tab in the same number of SQL statements for 5 rows or 50 (no N+1)', async () => {
    const small = await buildSsoSetup(app);
    const large = await buildSsoSetup(app);
    await insertSessions(small, Array.from({ length: 5 }, () => ({ state: 'FAILED', error: 'MALFORMED_SAML_RESPONSE', email: 'x@acme.com' })));
    await insertSessions(large, Array.from({ length: 50 }, () => ({ state: 'FAILED', error: 'MALFORMED_SAML_RESPONSE', email: 'x@acme.com' })));
    const TAB = `query($id: ID!) { connection(id: $id) { id name state organization { id name } sessions(first: 50) { edges { node { id state origin timedOut email error errorMessage startedAt } cursor } pageInfo { hasNextPage endCursor } } } }`;
    const count = async (setup: Setup) => {
      const before = app.queries.count;
      const data = await setup.admin.data(TAB, { id: setup.connection.id });
      return { statements: app.queries.count - before, rows: data.connection.sessions.edges.length };
    };
    const a = await count(small);
    const b = await count(large);
    expect([a.rows, b.rows]).toEqual([5, 50]);
    expect(b.statements).toBe(a.statements);
  });

  it('answers every field of a session the same in a list, as the latest session and on its own (no null for data it has)', async () => {
    const setup = await buildSsoSetup(app);
    const [id] = await insertSessions(setup, [{ raw: true, state: 'FAILED', error: 'MALFORMED_SAML_RESPONSE', email: 'ada@acme.com' }]);
    await app.db.query(
      `UPDATE sso_sessions SET saml_request = '<samlp:AuthnRequest/>', error_details = '{"expected":"a","received":"b"}', redirect_uri = 'https://app.example.com/cb',
       saml_response_bytes = 70000, saml_response_truncated = true WHERE id = $1`, [id],
    );
    // Every leaf field of SsoSession in the committed schema, so a field added later is compared too.
    const schema = buildSchema(fs.readFileSync(path.resolve(__dirname, '../../schema.graphql'), 'utf8'));
    const type = schema.getType('SsoSession') as GraphQLObjectType;
    const leaves = Object.values(type.getFields()).filter((f) => isLeafType(getNamedType(f.type)) && !f.args.length).map((f) => f.name);
    const fields = leaves.join(' ');
    const { session } = await setup.admin.data(`query($id: ID!) { session(id: $id) { ${fields} } }`, { id });
    const { connection } = await setup.admin.data(`query($id: ID!) { connection(id: $id) { latestSession { ${fields} } sessions(first: 5) { edges { node { ${fields} } } } } }`, { id: setup.connection.id });
    expect(session).toMatchObject({ samlRequest: '<samlp:AuthnRequest/>', samlResponse: '<samlp:Response/>', errorDetails: { expected: 'a', received: 'b' }, redirectUri: 'https://app.example.com/cb', samlResponseBytes: 70000, samlResponseTruncated: true });
    expect(connection.sessions.edges[0].node).toEqual(session);
    expect(connection.latestSession).toEqual(session);
  });

  it('loads the detail fields of a whole page of sessions in one more statement, not one per row', async () => {
    const small = await buildSsoSetup(app);
    const large = await buildSsoSetup(app);
    await insertSessions(small, Array.from({ length: 3 }, () => ({ raw: true })));
    await insertSessions(large, Array.from({ length: 30 }, () => ({ raw: true })));
    const LIST = `query($id: ID!) { connection(id: $id) { sessions(first: 50) { edges { node { id samlResponse errorDetails redirectUri } } } } }`;
    const count = async (setup: Setup) => {
      const before = app.queries.count;
      const data = await setup.admin.data(LIST, { id: setup.connection.id });
      expect(data.connection.sessions.edges.every((e: { node: { samlResponse: string } }) => e.node.samlResponse === '<samlp:Response/>')).toBe(true);
      return app.queries.count - before;
    };
    expect(await count(large)).toBe(await count(small));
  });

  it('shows one session with its raw SAML to every role of the workspace, and to nobody else', async () => {
    const setup = await buildSsoSetup(app);
    const other = await buildSsoSetup(app);
    const [id] = await insertSessions(setup, [{ raw: true, state: 'FAILED', error: 'MALFORMED_SAML_RESPONSE' }]);
    const ONE = `query($id: ID!) { session(id: $id) { id samlResponse connection { id name } } }`;
    for (const role of ['ADMIN', 'DEVELOPER', 'SUPPORT'] as const) {
      expect((await setup.team.as[role].data(ONE, { id })).session).toEqual({ id, samlResponse: '<samlp:Response/>', connection: { id: setup.connection.id, name: 'Acme' } });
    }
    expect((await other.admin.error(ONE, { id })).code).toBe('NOT_FOUND');
    expect((await other.admin.error(PAGE, { id: setup.connection.id })).code).toBe('NOT_FOUND');
    expect((await setup.team.as.anonymous.error(ONE, { id })).code).toBe('UNAUTHENTICATED');
    const viaKey = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${other.apiKey}` }, body: JSON.stringify({ query: ONE, variables: { id } }) });
    expect((await viaKey.json()).errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('purges raw SAML after the retention period and keeps the session row', async () => {
    const setup = await buildSsoSetup(app);
    const [recent] = await insertSessions(setup, [{ raw: true }]);
    const old = `sso_session_${'0'.repeat(4)}${recent!.slice(-22)}`; // an ID from 1970: older than any retention
    await insertSessions(setup, [{ raw: true, id: old }]);
    const purged = await purgeRawSaml(app.db, 90, new Date(), 1);
    expect(purged).toBeGreaterThanOrEqual(1);
    const rows = await app.db.query('SELECT id, saml_response FROM sso_sessions WHERE id = ANY($1) ORDER BY id', [[recent, old]]);
    expect(rows).toEqual([{ id: old, saml_response: null }, { id: recent, saml_response: '<samlp:Response/>' }]);
    // An OAuth sign-in's raw exchange (the user's claims) goes with it.
    const oldOAuth = `sso_session_${'0'.repeat(4)}${newId('ssoSession').slice(-22)}`;
    await app.db.query(`INSERT INTO sso_sessions (id, environment_id, provider, origin, state, oauth_exchange, started_at) VALUES ($1, $2, 'GoogleOAuth', 'SP', 'SUCCESSFUL', '{"id_token_claims":{"email":"ada@gmail.com"}}', now())`, [oldOAuth, setup.environment.id]);
    await purgeRawSaml(app.db, 90, new Date(), 1);
    expect((await app.db.query('SELECT oauth_exchange FROM sso_sessions WHERE id = $1', [oldOAuth]))[0].oauth_exchange).toBeNull();
  });
});
