'use strict';
// npm run bench:sessions — the Sessions tab at a million sessions: 1,000,000 sessions over 100 connections (bulk
// inserted), then the server time of the first page of 50 and of the 1,000th page of the busiest connection, with
// and without a filter. Target: < 20 ms each, deep / first ≤ 1.5.
const { monotonicFactory } = require('ulid');
const { createFixtureBeside, dist, openDatabase, percentile, result, startServer } = require('./lib/harness');
const idp = require('./lib/idp');

const TOTAL = Number(process.env.BENCH_SESSIONS || 1_000_000);
const CONNECTIONS = 100;
const BUSY_SHARE = 0.1; // the busiest connection holds 10% of all sessions
const PAGE = 50;
const DEEP_PAGE = 1000;
const RUNS = 40;
const BATCH = 20_000;

const QUERY = `query Sessions($id: ID!, $after: String, $filter: SessionFilterInput) {
  connection(id: $id) { id sessions(first: ${PAGE}, after: $after, filter: $filter) {
    edges { node { id state origin timedOut email firstName lastName error errorMessage createdAt } }
    pageInfo { hasNextPage endCursor } } } }`;

async function fill(db, fixture, connections) {
  const ulid = monotonicFactory();
  const busy = connections[0];
  const start = Date.now() - 30 * 86_400_000;
  const step = (30 * 86_400_000) / TOTAL;
  const errors = ['INVALID_ATTRIBUTES', 'INVALID_X509_CERTIFICATE', 'MALFORMED_SAML_RESPONSE', 'PROFILE_NOT_ALLOWED_OUTSIDE_ORGANIZATION', 'DECRYPTION_FAILED'];
  let written = 0;
  const t = Date.now();
  while (written < TOTAL) {
    const n = Math.min(BATCH, TOTAL - written);
    const cols = { id: [], conn: [], state: [], email: [], error: [], message: [], at: [] };
    for (let i = 0; i < n; i += 1) {
      const k = written + i;
      const at = new Date(start + k * step);
      const connection = Math.random() < BUSY_SHARE ? busy : connections[1 + (k % (CONNECTIONS - 1))];
      const failed = Math.random() < 0.6;
      cols.id.push(`sso_session_${ulid(at.getTime())}`);
      cols.conn.push(connection.id);
      cols.state.push(failed ? 'FAILED' : 'SUCCESSFUL');
      cols.email.push(`user${k % 5000}@acme.com`);
      cols.error.push(failed ? errors[k % errors.length] : null);
      cols.message.push(failed ? 'The assertion is addressed to another service provider' : null);
      cols.at.push(at.toISOString());
    }
    await db.query(
      `INSERT INTO sso_sessions (id, environment_id, organization_id, connection_id, origin, state, email, error, error_message, started_at, created_at, failed_at, authorized_at)
       SELECT id, $1, $2, conn, 'SP', state, email, error, message, at, at, CASE WHEN state = 'FAILED' THEN at END, CASE WHEN state <> 'FAILED' THEN at END
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[]) AS r(id, conn, state, email, error, message, at)`,
      [fixture.environment.id, connections[0].organizationId, cols.id, cols.conn, cols.state, cols.email, cols.error, cols.message, cols.at],
    );
    written += n;
    if (process.stdout.isTTY) process.stdout.write(`\r  ${written.toLocaleString('en')} sessions written`);
    else if (written % 200_000 === 0 || written === TOTAL) process.stdout.write(`  ${written.toLocaleString('en')}…`);
  }
  await db.query('ANALYZE sso_sessions');
  console.log(` in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

/** The server's own time (Server-Timing) for one GraphQL request, median and p95 of RUNS after a warm-up. */
async function measure(url, apiKey, variables) {
  const times = [];
  for (let i = 0; i < RUNS + 5; i += 1) {
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }, body: JSON.stringify({ query: QUERY, variables }) });
    const body = await res.json();
    if (body.errors || body.data.connection.sessions.edges.length !== PAGE) throw new Error(`unexpected page: ${JSON.stringify(body).slice(0, 300)}`);
    const dur = Number(/app;dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1]);
    if (i >= 5) times.push(dur);
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p95: percentile(times, 95) };
}

async function main() {
  const database = await openDatabase();
  // The embedded engine is the server's own (as with npm start): the server starts before the fixture is written.
  const server = await startServer(database);
  const fixture = await createFixtureBeside(database, server);
  const { db } = fixture;
  try {
    const { createOrganization } = dist('modules/organizations/organizations.service');
    const { createSamlConnection } = dist('modules/connections/connections.service');
    const org = await createOrganization(db, fixture.scope, fixture.environment.id, { name: 'Acme', domains: [{ domain: 'acme.com', state: 'verified' }] });
    const connections = [];
    for (let i = 0; i < CONNECTIONS; i += 1) {
      connections.push(await createSamlConnection({ db, config: { publicUrl: 'http://bench.invalid' }, secrets: null }, fixture.scope, org.id, { name: `Connection ${i}`, metadataXml: idp.metadataXml() }));
    }
    console.log(`Filling ${TOTAL.toLocaleString('en')} sessions over ${CONNECTIONS} connections (${database.kind})…`);
    await fill(db, fixture, connections);
    const busy = connections[0];
    const [{ count }] = await db.query('SELECT count(*)::int AS count FROM sso_sessions WHERE connection_id = $1', [busy.id]);
    console.log(`busiest connection: ${count.toLocaleString('en')} sessions`);

    const cursorAt = async (where) => {
      const [{ id }] = await db.query(`SELECT id FROM sso_sessions WHERE connection_id = $1 ${where} ORDER BY id DESC OFFSET $2 LIMIT 1`, [busy.id, (DEEP_PAGE - 1) * PAGE - 1]);
      return Buffer.from(id).toString('base64url');
    };
    const cases = [
      { label: 'no filter', filter: null, where: '' },
      { label: 'status = Failed', filter: { statuses: ['FAILED'] }, where: `AND state = 'FAILED'` },
    ];
    let worstRatio = 0;
    let allFast = true;
    for (const c of cases) {
      const first = await measure(server.url, fixture.apiKey, { id: busy.id, filter: c.filter });
      const deep = await measure(server.url, fixture.apiKey, { id: busy.id, filter: c.filter, after: await cursorAt(c.where) });
      const ratio = deep.median / first.median;
      worstRatio = Math.max(worstRatio, ratio);
      allFast = allFast && first.median < 20 && deep.median < 20;
      console.log(`${c.label}: first page ${first.median.toFixed(2)} ms (p95 ${first.p95.toFixed(2)}), page ${DEEP_PAGE} ${deep.median.toFixed(2)} ms (p95 ${deep.p95.toFixed(2)}), deep/first ${ratio.toFixed(2)}`);
    }
    console.log(`each page under 20 ms (server time, median of ${RUNS}): ${allFast ? 'pass' : 'fail'}`);
    const deepId = Buffer.from(await cursorAt(`AND state = 'FAILED'`), 'base64url').toString();
    const plan = await db.query(
      `EXPLAIN (ANALYZE, BUFFERS) SELECT id, state, email, error, error_message, created_at FROM sso_sessions
        WHERE connection_id = $1 AND state IN ('FAILED') AND id < $2 ORDER BY id DESC LIMIT ${PAGE + 1}`,
      [busy.id, deepId],
    );
    console.log(`EXPLAIN of page ${DEEP_PAGE} with the status filter:\n${plan.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}`);
    result('sessions', 'ratio', Math.round(worstRatio * 100) / 100, '<=', 1.5);
  } finally {
    await db.destroy();
    await server.stop();
    await database.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
