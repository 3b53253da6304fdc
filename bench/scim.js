'use strict';
// npm run bench:scim — provisioning throughput: 10,000 users and 100 groups pushed through the SCIM endpoint as an
// Okta-shaped client would (8 requests in flight), then the time of the WorkOS listUsers pages the app reads back.
// The RESULT is the CPU one user creation, one deactivation and one membership PATCH cost, server and database together (process CPU times from /proc, as
// bench:acs reads them): the Portico server process plus the PostgreSQL backends serving this database (the embedded
// engine runs inside the server process, as with npm start), divided by the requests.
const { WorkOS } = require('@workos-inc/node');
const { cpuSecondsByProcess, cpuSplit, createFixtureBeside, dist, machineLoad, openDatabase, percentile, result, startServer } = require('./lib/harness');

const USERS = Number(process.env.BENCH_USERS || 10_000);
const GROUPS = Number(process.env.BENCH_GROUPS || 100);
const DEACTIVATIONS = Number(process.env.BENCH_DEACTIVATIONS || 1000);
const MEMBER_PATCHES = Number(process.env.BENCH_MEMBER_PATCHES || 1000);
const IN_FLIGHT = 8;
/** CPU-ms per request, server and database together: creations, deactivations and membership PATCHes alike (issue 17). */
const TARGET_CPU_MS = 5;
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const user = (i) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  userName: `user${i}@acme.com`, externalId: `00u${i}`, active: true, displayName: `User ${i}`, title: 'Engineer',
  name: { givenName: 'User', familyName: String(i) }, emails: [{ primary: true, type: 'work', value: `user${i}@acme.com` }],
  [ENTERPRISE]: { employeeNumber: String(i), department: `Dept ${i % 20}`, manager: { value: `00u${Math.max(0, i - 1)}` } },
});

/** Runs `work(i)` for i in [0, n) with `limit` in flight; the latencies in ms. */
async function pool(n, limit, work) {
  const latencies = [];
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < n) {
      const i = next++;
      const t = process.hrtime.bigint();
      await work(i);
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }));
  return latencies.sort((a, b) => a - b);
}

async function main() {
  const database = await openDatabase();
  // The embedded engine is the server's own (as with npm start): the server starts before the fixture is written.
  const server = await startServer(database);
  const fixture = await createFixtureBeside(database, server);
  try {
    const { createOrganization } = dist('modules/organizations/organizations.service');
    const { createDirectory, createCustomAttribute, mapCustomAttribute } = dist('modules/directories/directories.service');
    const org = await createOrganization(fixture.db, fixture.scope, fixture.environment.id, { name: 'Acme', domains: [{ domain: 'acme.com', state: 'verified' }] });
    const { directory, token } = await createDirectory(fixture.db, fixture.scope, org.id, { type: 'okta scim v2.0' });
    const scim = async (method, path, body, expected) => {
      const res = await fetch(`${server.url}/scim/v2/${directory.id}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' }, body: JSON.stringify(body) });
      const text = await res.text();
      const json = text ? JSON.parse(text) : null;
      if (res.status !== expected) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
      return json;
    };
    // a mapped custom attribute, so every write also computes custom_attributes
    const manager = await createCustomAttribute(fixture.db, fixture.scope, fixture.environment.id, { key: 'manager', label: 'Manager', type: 'string' });
    await scim('POST', '/Users', user(USERS), 201);
    await mapCustomAttribute(fixture.db, fixture.scope, directory.id, manager.id, `${ENTERPRISE}.manager.value`);

    // warm the server (JIT, the pool's connections) on users the count leaves out
    for (let i = 0; i < 50; i += 1) await scim('POST', '/Users', { ...user(USERS + 1 + i), userName: `warm${i}@acme.com` }, 201);
    const backends = new Set((await fixture.db.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)).map((r) => String(r.pid)));
    /** Runs `n` requests (IN_FLIGHT at a time); their rate, latencies and the CPU they cost the server and the database, per request. */
    const measure = async (n, work) => {
      const started = Date.now();
      const cpuBefore = cpuSecondsByProcess();
      const latencies = await pool(n, IN_FLIGHT, work);
      const cpuAfter = cpuSecondsByProcess();
      const seconds = (Date.now() - started) / 1000;
      (await fixture.db.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)).forEach((r) => backends.add(String(r.pid)));
      const cpu = cpuSplit(cpuBefore, cpuAfter, (cmd, pid) =>
        pid === server.pid ? 'server' : backends.has(String(pid)) && database.kind === 'postgres' ? 'database' : 'other');
      const perRequest = (k) => ((cpu[k] ?? 0) * 1000) / n;
      return { seconds, perSecond: n / seconds, latencies, server: perRequest('server'), database: perRequest('database'), total: Math.round((perRequest('server') + perRequest('database')) * 100) / 100 };
    };
    const describe = (m) => `${m.perSecond.toFixed(0)}/s (p50 ${percentile(m.latencies, 50).toFixed(1)} ms, p99 ${percentile(m.latencies, 99).toFixed(1)} ms per request, ${IN_FLIGHT} in flight, ${database.kind}); CPU per request ${m.total} ms (${database.kind === 'embedded' ? 'the server with its embedded database' : `server ${m.server.toFixed(2)} ms + database ${m.database.toFixed(2)} ms`}; /proc ticks are 10 ms)`;
    console.log(`Machine before: ${machineLoad()}`);
    const ids = new Array(USERS);
    const created = await measure(USERS, async (i) => {
      ids[i] = (await scim('POST', '/Users', user(i), 201)).id;
    });
    const usersPerSecond = created.perSecond;
    const cpuMsPerUser = created.total;
    console.log(`${USERS.toLocaleString('en')} users created (POST /Users) in ${created.seconds.toFixed(1)} s: ${describe(created)}`);

    const t = Date.now();
    const perGroup = Math.floor(USERS / GROUPS);
    const groupsCreated = new Array(GROUPS);
    await pool(GROUPS, IN_FLIGHT, async (g) => {
      const members = ids.slice(g * perGroup, (g + 1) * perGroup).map((value) => ({ value }));
      groupsCreated[g] = (await scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `Group ${g}`, members }, 201)).id;
    });
    console.log(`${GROUPS} groups of ${perGroup} members created in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    // What providers send next: deactivations (Okta and Entra ID PATCH active false before any DELETE) and membership
    // changes, one user added and one removed per PATCH, as Okta pushes group memberships.
    const deactivations = Math.min(DEACTIVATIONS, USERS);
    const deactivated = await measure(deactivations, async (i) => {
      await scim('PATCH', `/Users/${ids[i]}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] }, 200);
    });
    console.log(`${deactivations} deactivations (PATCH /Users active "False"): ${describe(deactivated)}`);
    const groupIds = groupsCreated;
    const memberPatches = Math.min(MEMBER_PATCHES, GROUPS * perGroup);
    const patched = await measure(memberPatches, async (i) => {
      const g = i % GROUPS;
      const round = Math.floor(i / GROUPS);
      const incoming = ids[((g + 1) % GROUPS) * perGroup + round];
      const outgoing = ids[g * perGroup + round];
      await scim('PATCH', `/Groups/${groupIds[g]}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [
        { op: 'add', path: 'members', value: [{ value: incoming }] }, { op: 'remove', path: `members[value eq "${outgoing}"]` },
      ] }, 204);
    });
    console.log(`${memberPatches} group membership PATCHes (one member added, one removed): ${describe(patched)}`);

    const workos = new WorkOS(fixture.apiKey, { apiHostname: '127.0.0.1', port: Number(new URL(server.url).port), https: false, maxRetries: 0 });
    const time = async (label, options) => {
      const samples = [];
      let page;
      for (let i = 0; i < 12; i += 1) {
        const s = process.hrtime.bigint();
        page = await workos.directorySync.listUsers(options);
        if (i >= 2) samples.push(Number(process.hrtime.bigint() - s) / 1e6);
      }
      samples.sort((a, b) => a - b);
      console.log(`listUsers ${label}: ${page.data.length} users with groups, median ${percentile(samples, 50).toFixed(1)} ms, p95 ${percentile(samples, 95).toFixed(1)} ms`);
      return page;
    };
    const first = await time('first page (limit 100)', { directory: directory.id, limit: 100 });
    const depth = Math.min(5000, Math.floor(USERS / 2));
    const [{ id: deep }] = await fixture.db.query('SELECT id FROM directory_users WHERE directory_id = $1 ORDER BY id DESC OFFSET $2 LIMIT 1', [directory.id, depth]);
    await time(`page after ${depth.toLocaleString('en')} users (limit 100)`, { directory: directory.id, limit: 100, after: deep });
    await time('one group’s members (limit 100)', { group: first.data[0].groups[0]?.id, limit: 100 });
    if (first.data[0].customAttributes.manager === undefined) throw new Error('custom attributes missing');
    const s = Date.now();
    const all = await (await workos.directorySync.listUsers({ directory: directory.id })).autoPagination();
    console.log(`autoPagination over all ${all.length.toLocaleString('en')} users: ${((Date.now() - s) / 1000).toFixed(1)} s (the SDK waits 350 ms between pages)`);
    console.log(`Machine after: ${machineLoad()}`);
    console.log(`users/s ${Math.round(usersPerSecond)}`);
    result('scim', 'cpu_ms_per_user', cpuMsPerUser, '<=', TARGET_CPU_MS, [
      { metric: 'users_per_s', value: Math.round(usersPerSecond) },
      { metric: 'cpu_ms_per_deactivation', value: deactivated.total, op: '<=', target: TARGET_CPU_MS },
      { metric: 'cpu_ms_per_member_patch', value: patched.total, op: '<=', target: TARGET_CPU_MS },
    ]);
  } finally {
    await fixture.db.destroy();
    await server.stop();
    await database.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
