'use strict';
const { createFixture, dist, openDatabase, startServer } = require('./lib/harness');
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const user = (i) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  userName: `p${i}-${Date.now()}@acme.com`, externalId: `00u${i}`, active: true, displayName: `User ${i}`, title: 'Engineer',
  name: { givenName: 'User', familyName: String(i) }, emails: [{ primary: true, type: 'work', value: `user${i}@acme.com` }],
  [ENTERPRISE]: { employeeNumber: String(i), department: `Dept ${i % 20}`, manager: { value: `00u${Math.max(0, i - 1)}` } },
});
(async () => {
  const database = await openDatabase();
  const fixture = await createFixture(database.url);
  process.env.BENCH_SERVER_NODE_ARGS = '--cpu-prof --cpu-prof-dir=/tmp/scimprof';
  const server = await startServer(database.url);
  const { createOrganization } = dist('modules/organizations/organizations.service');
  const { createDirectory } = dist('modules/directories/directories.service');
  const org = await createOrganization(fixture.db, fixture.scope, fixture.environment.id, { name: 'Acme', domains: [{ domain: 'acme.com', state: 'verified' }] });
  const { directory, token } = await createDirectory(fixture.db, fixture.scope, org.id, { type: 'okta scim v2.0' });
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < 1500) {
      const i = next++;
      const res = await fetch(`${server.url}/scim/v2/${directory.id}/Users`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' }, body: JSON.stringify(user(i)) });
      if (res.status !== 201) throw new Error(String(res.status));
      await res.text();
    }
  }));
  await server.stop();
  await fixture.db.destroy();
  await database.stop();
})().catch((e) => { console.error(e); process.exit(1); });
