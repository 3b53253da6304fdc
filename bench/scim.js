'use strict';
// npm run bench:scim — provisioning throughput: 10,000 users and 100 groups pushed through the SCIM endpoint as an
// Okta-shaped client would (8 requests in flight), then the time of the WorkOS listUsers pages the app reads back.
// The RESULT is the CPU one user creation costs, server and database together (process CPU times from /proc, as
// bench:acs reads them): the Portico server process plus the PostgreSQL backends serving this database (or the
// embedded engine's process), divided by the users created.
const { WorkOS } = require('@workos-inc/node');
const { cpuSecondsByProcess, cpuSplit, createFixture, dist, openDatabase, percentile, result, startServer } = require('./lib/harness');

const USERS = Number(process.env.BENCH_USERS || 10_000);
const GROUPS = Number(process.env.BENCH_GROUPS || 100);
const IN_FLIGHT = 8;
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
  const fixture = await createFixture(database.url);
  const server = await startServer(database.url);
  try {
    const { createOrganization } = dist('modules/organizations/organizations.service');
    const { createDirectory, createCustomAttribute, mapCustomAttribute } = dist('modules/directories/directories.service');
    const org = await createOrganization(fixture.db, fixture.scope, fixture.environment.id, { name: 'Acme', domains: [{ domain: 'acme.com', state: 'verified' }] });
    const { directory, token } = await createDirectory(fixture.db, fixture.scope, org.id, { type: 'okta scim v2.0' });
    const scim = async (method, path, body, expected) => {
      const res = await fetch(`${server.url}/scim/v2/${directory.id}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' }, body: JSON.stringify(body) });
      const json = await res.json();
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
    const ids = new Array(USERS);
    let t = Date.now();
    const cpuBefore = cpuSecondsByProcess();
    const userLatencies = await pool(USERS, IN_FLIGHT, async (i) => {
      ids[i] = (await scim('POST', '/Users', user(i), 201)).id;
    });
    const cpuAfter = cpuSecondsByProcess();
    const userSeconds = (Date.now() - t) / 1000;
    const usersPerSecond = USERS / userSeconds;
    (await fixture.db.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)).forEach((r) => backends.add(String(r.pid)));
    const cpu = cpuSplit(cpuBefore, cpuAfter, (cmd, pid) =>
      pid === server.pid ? 'server' : backends.has(String(pid)) && database.kind === 'postgres' ? 'database' : /embedded-db/.test(cmd) ? 'database' : 'other');
    const cpuMsPerUser = Math.round((((cpu.server ?? 0) + (cpu.database ?? 0)) * 1000 / USERS) * 100) / 100;
    console.log(`${USERS.toLocaleString('en')} users created over SCIM in ${userSeconds.toFixed(1)} s: ${usersPerSecond.toFixed(0)} users/s (p50 ${percentile(userLatencies, 50).toFixed(1)} ms, p99 ${percentile(userLatencies, 99).toFixed(1)} ms per request, ${IN_FLIGHT} in flight, ${database.kind})`);
    console.log(`CPU per user created: ${cpuMsPerUser} ms (server ${((cpu.server ?? 0) * 1000 / USERS).toFixed(2)} ms + database ${((cpu.database ?? 0) * 1000 / USERS).toFixed(2)} ms; /proc ticks are 10 ms)`);

    t = Date.now();
    const perGroup = Math.floor(USERS / GROUPS);
    await pool(GROUPS, IN_FLIGHT, async (g) => {
      const members = ids.slice(g * perGroup, (g + 1) * perGroup).map((value) => ({ value }));
      await scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `Group ${g}`, members }, 201);
    });
    console.log(`${GROUPS} groups of ${perGroup} members created in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    t = Date.now();
    await pool(200, IN_FLIGHT, async (i) => {
      await scim('PATCH', `/Users/${ids[i]}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] }, 200);
    });
    console.log(`200 deactivations (PATCH active "False") in ${((Date.now() - t) / 1000).toFixed(1)} s`);

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
    console.log(`users/s ${Math.round(usersPerSecond)}`);
    result('scim', 'cpu_ms_per_user', cpuMsPerUser, '<=', 5);
  } finally {
    await server.stop();
    await fixture.db.destroy();
    await database.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
