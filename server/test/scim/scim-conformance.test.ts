import { startTestApp, type TestApp } from '../helpers/app';
import { buildDirectorySetup, ENTERPRISE, entraUser, oktaUser } from '../helpers/scim';
import { MAX_UNAUTHENTICATED_PATH, UNAUTHENTICATED_LOG_RULE } from '../../src/modules/directories/scim-log.service';

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

// Directory Sync's own events (the setup's organization writes organization.* events too).
const events = async (directorySetup: Awaited<ReturnType<typeof buildDirectorySetup>>) =>
  (await app.db.query(`SELECT event FROM events WHERE environment_id = $1 AND event LIKE 'dsync.%' ORDER BY id`, [directorySetup.environment.id])).map((r: { event: string }) => r.event);

describe('SCIM 2.0 as Okta provisions', () => {
  it('looks a user up, creates it, deactivates it with PATCH active=false, and never stores the password', async () => {
    const d = await buildDirectorySetup(app);
    expect((await d.scim('GET', '/Users?filter=userName%20eq%20%22ada%40acme.com%22&startIndex=1&count=100')).body).toMatchObject({ totalResults: 0, Resources: [] });
    const created = await d.scim('POST', '/Users', oktaUser('ada@acme.com'));
    expect(created.status).toBe(201);
    expect(created.contentType).toContain('application/scim+json');
    expect(created.body).toMatchObject({ userName: 'ada@acme.com', active: true, name: { givenName: 'Ada' }, meta: { resourceType: 'User', location: `${d.scimBaseUrl}/Users/${created.body.id}` } });
    expect(created.body.id).toMatch(/^directory_user_/);
    expect(created.body.password).toBeUndefined();
    const [row] = await app.db.query('SELECT raw_attributes FROM directory_users WHERE id = $1', [created.body.id]);
    expect(JSON.stringify(row.raw_attributes)).not.toContain('not-stored');
    expect((await d.scim('POST', '/Users', oktaUser('ADA@acme.com'))).body).toMatchObject({ status: '409', scimType: 'uniqueness' });
    const found = await d.scim('GET', '/Users?filter=userName%20eq%20%22ADA%40ACME.COM%22');
    expect(found.body.Resources.map((u: { id: string }) => u.id)).toEqual([created.body.id]);

    const patched = await d.scim('PATCH', `/Users/${created.body.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] });
    expect(patched.body.active).toBe(false);
    const { directoryUser } = await d.admin.data(`query($id: ID!) { directoryUser(id: $id) { state email firstName lastName idpId } }`, { id: created.body.id });
    expect(directoryUser).toEqual({ state: 'inactive', email: 'ada@acme.com', firstName: 'Ada', lastName: 'Lovelace', idpId: '00u12okta' });
    expect(await events(d)).toEqual(['dsync.activated', 'dsync.user.created', 'dsync.user.updated']);
    const [updated] = await app.db.query(`SELECT data FROM events WHERE environment_id = $1 AND event = 'dsync.user.updated'`, [d.environment.id]);
    expect(updated.data.previous_attributes).toEqual({ state: 'active' });
  });

  it('replaces a user with PUT, and manages a group’s members with PATCH add / remove', async () => {
    const d = await buildDirectorySetup(app);
    const ada = (await d.scim('POST', '/Users', oktaUser('ada@acme.com'))).body;
    const bob = (await d.scim('POST', '/Users', oktaUser('bob@acme.com', { name: { givenName: 'Bob', familyName: 'B' } }))).body;
    const put = await d.scim('PUT', `/Users/${ada.id}`, { ...oktaUser('ada@acme.com'), name: { givenName: 'Augusta', familyName: 'King' } });
    expect(put.body.name).toEqual({ givenName: 'Augusta', familyName: 'King' });
    const group = await d.scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Engineering', members: [] });
    expect(group.status).toBe(201);
    await d.scim('PATCH', `/Groups/${group.body.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'members', value: [{ value: ada.id }, { value: bob.id }] }] });
    await d.scim('PATCH', `/Groups/${group.body.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'remove', path: `members[value eq "${bob.id}"]` }] });
    expect((await d.scim('GET', `/Groups/${group.body.id}`)).body.members.map((m: { value: string }) => m.value)).toEqual([ada.id]);
    await d.scim('PATCH', `/Groups/${group.body.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { id: group.body.id, displayName: 'Platform' } }] });
    expect((await d.scim('GET', '/Groups?filter=displayName%20eq%20%22platform%22')).body.Resources[0]).toMatchObject({ id: group.body.id, displayName: 'Platform' });
    expect((await d.scim('GET', `/Users/${ada.id}`)).body.groups).toEqual([expect.objectContaining({ value: group.body.id, display: 'Platform' })]);
    expect(await events(d)).toEqual(expect.arrayContaining(['dsync.group.created', 'dsync.group.user_added', 'dsync.group.user_removed', 'dsync.group.updated']));
    expect((await d.scim('PATCH', `/Groups/${group.body.id}`, { Operations: [{ op: 'add', path: 'members', value: [{ value: 'directory_user_01HZZZZZZZZZZZZZZZZZZZZZZZ' }] }] })).body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    expect((await d.scim('DELETE', `/Groups/${group.body.id}`)).status).toBe(204);
    expect((await d.scim('GET', `/Groups/${group.body.id}`)).status).toBe(404);
  });
});

describe('SCIM 2.0 as Entra ID provisions', () => {
  it('keeps the enterprise extension raw, and applies Entra’s PATCH shapes (capitalized ops, "False" strings, URN paths)', async () => {
    const d = await buildDirectorySetup(app, 'azure scim v2.0');
    const user = (await d.scim('POST', '/Users', entraUser('grace@acme.com'))).body;
    expect(user[ENTERPRISE]).toEqual({ employeeNumber: '1906', department: 'Navy', manager: { value: 'mgr-object-id', $ref: `${d.scimBaseUrl}/Users/mgr-object-id` } });
    const patch = await d.scim('PATCH', `/Users/${user.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'Replace', path: 'displayName', value: 'Grace B. Hopper' },
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'g.hopper@acme.com' },
        { op: 'Add', path: 'name.givenName', value: 'Grace Brewster' },
        { op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Computing' },
        { op: 'Add', path: `${ENTERPRISE}:manager`, value: 'new-manager-id' },
        { op: 'Replace', path: 'active', value: 'False' },
      ],
    });
    expect(patch.status).toBe(200);
    expect(patch.body).toMatchObject({ displayName: 'Grace B. Hopper', active: false, name: { givenName: 'Grace Brewster' }, emails: [{ type: 'work', value: 'g.hopper@acme.com' }] });
    expect(patch.body[ENTERPRISE]).toMatchObject({ department: 'Computing', manager: { value: 'new-manager-id', $ref: `${d.scimBaseUrl}/Users/new-manager-id` } });
    const { directoryUser } = await d.admin.data(`query($id: ID!) { directoryUser(id: $id) { state email firstName } }`, { id: user.id });
    expect(directoryUser).toEqual({ state: 'inactive', email: 'g.hopper@acme.com', firstName: 'Grace Brewster' });
    // Entra removes members with a value list and no filter
    const group = (await d.scim('POST', '/Groups', { displayName: 'Admirals', externalId: 'grp-1', members: [{ value: user.id }] })).body;
    await d.scim('PATCH', `/Groups/${group.id}`, { Operations: [{ op: 'Remove', path: 'members', value: [{ value: user.id }] }] });
    expect((await d.scim('GET', `/Groups/${group.id}`)).body.members).toEqual([]);
    expect((await d.scim('GET', `/Groups?filter=externalId%20eq%20%22grp-1%22&excludedAttributes=members`)).body.Resources[0].members).toBeUndefined();
  });

  it('deprovisions with DELETE: inactive for the API, gone for SCIM', async () => {
    const d = await buildDirectorySetup(app, 'azure scim v2.0');
    const user = (await d.scim('POST', '/Users', entraUser('gone@acme.com'))).body;
    expect((await d.scim('DELETE', `/Users/${user.id}`)).status).toBe(204);
    expect((await d.scim('GET', `/Users/${user.id}`)).status).toBe(404);
    const listed = await d.workos.directorySync.getUser(user.id);
    expect(listed.state).toBe('inactive');
    expect((await d.scim('POST', '/Users', entraUser('gone@acme.com'))).status).toBe(201);
  });
});

describe('SCIM protocol edges', () => {
  it('pages with startIndex and count, serves discovery, and answers errors with scimType', async () => {
    const d = await buildDirectorySetup(app, 'generic scim v2.0');
    for (let i = 0; i < 5; i += 1) await d.scim('POST', '/Users', oktaUser(`u${i}@acme.com`));
    const page = await d.scim('GET', '/Users?startIndex=2&count=2');
    expect(page.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 5, startIndex: 2, itemsPerPage: 2 });
    expect(page.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(['u1@acme.com', 'u2@acme.com']);
    expect((await d.scim('GET', '/ServiceProviderConfig')).body.patch.supported).toBe(true);
    expect((await d.scim('GET', '/ResourceTypes')).body.Resources.map((r: { id: string }) => r.id)).toEqual(['User', 'Group']);
    expect((await d.scim('GET', '/Schemas')).body.totalResults).toBe(3);
    expect((await d.scim('GET', '/Users?filter=password%20eq%20%22x%22')).body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
    expect((await d.scim('POST', '/Users', { name: { givenName: 'No user name' } })).body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    expect((await d.scim('PATCH', '/Users/directory_user_01HZZZZZZZZZZZZZZZZZZZZZZZ', { Operations: [{ op: 'replace', value: { active: false } }] })).status).toBe(404);
    expect((await d.scim('PATCH', `/Users/${page.body.Resources[0].id}`, { Operations: [{ op: 'move', path: 'x' }] })).body).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
  });

  it('refuses a bad token with 401, and another directory’s IDs with 404', async () => {
    const a = await buildDirectorySetup(app);
    const b = await buildDirectorySetup(app);
    const bUser = (await b.scim('POST', '/Users', oktaUser('b@acme.com'))).body;
    expect((await a.scim('GET', '/Users', undefined, 'scim_wrong')).status).toBe(401);
    expect((await a.scim('GET', '/Users', undefined, b.token)).status).toBe(401);
    expect((await a.scim('GET', `/Users/${bUser.id}`)).status).toBe(404);
    expect((await a.scim('DELETE', `/Users/${bUser.id}`)).status).toBe(404);
    expect((await b.scim('GET', `/Users/${bUser.id}`)).status).toBe(200);
  });

  it('rotates the token: the old one stops working and marks the directory invalid_credentials until the new one is used', async () => {
    const d = await buildDirectorySetup(app);
    await d.scim('GET', '/Users');
    const { rotateDirectoryToken } = await d.admin.data(`mutation($id: ID!) { rotateDirectoryToken(id: $id) { token directory { tokenLastFour } } }`, { id: d.directoryId });
    expect(rotateDirectoryToken.directory.tokenLastFour).toBe(rotateDirectoryToken.token.slice(-4));
    expect((await d.scim('GET', '/Users')).status).toBe(401);
    const state = async () => (await d.admin.data(`query($id: ID!) { directory(id: $id) { state } }`, { id: d.directoryId })).directory.state;
    expect(await state()).toBe('invalid_credentials');
    expect((await d.scim('GET', '/Users', undefined, rotateDirectoryToken.token)).status).toBe(200);
    expect(await state()).toBe('linked');
  });

  it('logs each request (failed authentications and deletions included), keeping bodies only for failures', async () => {
    const d = await buildDirectorySetup(app);
    const user = (await d.scim('POST', '/Users', oktaUser('ok@acme.com'))).body;
    await d.scim('POST', '/Users', { nope: true });
    await d.scim('GET', '/Users', undefined, 'scim_wrong_token');
    await d.scim('DELETE', `/Users/${user.id}`);
    const { directory } = await d.admin.data(`query($id: ID!) { directory(id: $id) { scimRequests(first: 10) { edges { node { method path status requestBody responseBody } } } } }`, { id: d.directoryId });
    const [deleted, unauthorized, failed, ok] = directory.scimRequests.edges.map((e: { node: unknown }) => e.node);
    expect(deleted).toMatchObject({ method: 'DELETE', path: `/Users/${user.id}`, status: 204 });
    expect(unauthorized).toMatchObject({ method: 'GET', path: '/Users', status: 401, requestBody: null });
    expect(ok).toMatchObject({ method: 'POST', path: '/Users', status: 201, requestBody: null, responseBody: null });
    expect(failed).toMatchObject({ method: 'POST', path: '/Users', status: 400, requestBody: { nope: true } });
    expect(failed.responseBody).toContain('userName is required');
  });
});

describe('SCIM hardening', () => {
  const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

  it('never stores an end user’s password: not in raw attributes, events, nor the SCIM log (request or response), at any depth', async () => {
    const d = await buildDirectorySetup(app);
    const failedPost = await d.scim('POST', '/Users', { name: { givenName: 'No user name' }, password: 'S3cret-post', 'urn:example:custom': { credentials: { Password: 'S3cret-nested-fail' } } });
    expect(failedPost.status).toBe(400);
    const user = await d.scim('POST', '/Users', oktaUser('pw@acme.com', { [ENTERPRISE]: { department: 'Ops', password: 'S3cret-enterprise' }, credentials: [{ PASSWORD: 'S3cret-in-array' }] }));
    expect(user.status).toBe(201);
    const failedPatch = await d.scim('PATCH', `/Users/${user.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'password', value: 'S3cret-patch-fail' }, { op: 'move', path: 'x' }] });
    expect(failedPatch.status).toBe(400);
    expect((await d.scim('PATCH', `/Users/${user.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'password', value: 'S3cret-reset' }] })).status).toBe(200);
    expect((await d.scim('PATCH', `/Users/${user.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', value: { name: { password: 'S3cret-merge' } } }] })).status).toBe(200);
    const failedGroup = await d.scim('POST', '/Groups', { displayName: '', password: 'S3cret-group' });
    expect(failedGroup.status).toBe(400);

    const stored = async (sql: string) => JSON.stringify(await app.db.query(sql, [d.directoryId]));
    expect(await stored('SELECT raw_attributes FROM directory_users WHERE directory_id = $1')).not.toMatch(/S3cret|password/i);
    expect(await stored('SELECT request_body, response_body FROM scim_requests WHERE directory_id = $1')).not.toContain('S3cret');
    expect(await stored(`SELECT e.data FROM events e JOIN directories d ON d.environment_id = e.environment_id WHERE d.id = $1`)).not.toContain('S3cret');
    const { directory } = await d.admin.data(`query($id: ID!) { directory(id: $id) { scimRequests(first: 20) { edges { node { method status requestBody responseBody } } } } }`, { id: d.directoryId });
    const failures = directory.scimRequests.edges.map((e: { node: { status: number } }) => e.node).filter((n: { status: number }) => n.status >= 400);
    expect(JSON.stringify(failures)).not.toContain('S3cret');
    const [group, patch, post] = failures;
    expect(group.requestBody).toMatchObject({ password: '[redacted]' });
    expect(patch.requestBody.Operations[0]).toMatchObject({ path: 'password', value: '[redacted]' });
    expect(post.requestBody).toMatchObject({ password: '[redacted]', 'urn:example:custom': { credentials: { Password: '[redacted]' } } });
    const { directoryUser } = await d.admin.data(`query($id: ID!) { directoryUser(id: $id) { rawAttributes } }`, { id: user.body.id });
    expect(directoryUser.rawAttributes[ENTERPRISE]).toEqual({ department: 'Ops' });
  });

  it('answers 409 uniqueness, never 500, to concurrent creates of one userName', async () => {
    const d = await buildDirectorySetup(app);
    const results = await Promise.all(Array.from({ length: 12 }, () => d.scim('POST', '/Users', oktaUser('race@acme.com'))));
    expect(results.map((r) => r.status).sort()).toEqual([201, ...Array(11).fill(409)]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body).toMatchObject({ status: '409', scimType: 'uniqueness' });
    expect((await d.scim('GET', '/Users')).body.totalResults).toBe(1);
  });

  it('answers CONFLICT, never an internal error, to concurrent creates of one custom attribute key', async () => {
    const d = await buildDirectorySetup(app);
    const create = `mutation($input: CreateCustomAttributeInput!) { createCustomAttribute(input: $input) { id } }`;
    const results = await Promise.all(Array.from({ length: 8 }, () => d.admin.request(create, { input: { environmentId: d.environment.id, key: 'cost_center', label: 'Cost center' } })));
    const codes = results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort();
    expect(codes).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'OK']);
  });

  it('caps what unauthenticated requests write to the SCIM log: short paths, no query, a rate per directory, the rest counted', async () => {
    const d = await buildDirectorySetup(app);
    const sent = UNAUTHENTICATED_LOG_RULE.limit + 15;
    for (let i = 0; i < sent; i += 1) {
      expect((await d.scim('GET', `/Users/${'x'.repeat(3000)}?filter=${'y'.repeat(3000)}`, undefined, 'scim_wrong')).status).toBe(401);
    }
    // The log is written after the response is sent: wait for the last writes.
    const read = async () => (await app.db.query('SELECT path, suppressed_count FROM scim_requests WHERE directory_id = $1 AND status = 401', [d.directoryId])) as { path: string; suppressed_count: number }[];
    let rows = await read();
    for (let i = 0; i < 40 && rows.length + rows.reduce((n, r) => n + r.suppressed_count, 0) < sent; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      rows = await read();
    }
    // The limiter slides: a burst across a minute boundary may let one more row through, never a flood.
    expect(rows.length).toBeGreaterThanOrEqual(UNAUTHENTICATED_LOG_RULE.limit);
    expect(rows.length).toBeLessThanOrEqual(UNAUTHENTICATED_LOG_RULE.limit + 1);
    expect(rows.length + rows.reduce((n, r) => n + r.suppressed_count, 0)).toBe(sent);
    for (const row of rows) {
      expect(row.path.length).toBeLessThanOrEqual(MAX_UNAUTHENTICATED_PATH);
      expect(row.path).not.toContain('?');
      expect(row.path).not.toContain('y');
    }
    const { directory } = await d.admin.data(`query($id: ID!) { directory(id: $id) { scimRequests(first: 1) { edges { node { status suppressedCount } } } } }`, { id: d.directoryId });
    expect(directory.scimRequests.edges[0].node).toMatchObject({ status: 401 });
    expect(directory.scimRequests.edges[0].node.suppressedCount).toBeGreaterThan(0);
    // A made-up directory ID leaves nothing behind, not even a rate-limit counter.
    const made = 'directory_01HMADEUP0000000000000000';
    expect((await fetch(`${app.url}/scim/v2/${made}/Users`, { headers: { authorization: 'Bearer scim_x' } })).status).toBe(401);
    expect(await app.db.query('SELECT 1 FROM rate_limits WHERE key LIKE $1', [`%${made}%`])).toEqual([]);
  });

  it.each([
    ['startIndex=1e20', 400],
    ['count=1e20', 400],
    ['startIndex=99999999999999999999', 400],
    ['count=-99999999999999999999', 400],
    ['startIndex=NaN', 400],
    ['count=abc', 400],
    ['startIndex=1.5', 400],
    ['count=', 400],
    ['startIndex=0x10', 400],
    ['startIndex=-5&count=2', 200],
    ['count=-3', 200],
    ['count=0', 200],
    ['startIndex=9007199254740991', 200],
    ['count=1000000', 200],
  ] as const)('lists with %s: %i, never 500', async (query, status) => {
    const d = await buildDirectorySetup(app);
    for (let i = 0; i < 3; i += 1) await d.scim('POST', '/Users', oktaUser(`p${i}@acme.com`));
    await d.scim('POST', '/Groups', { displayName: 'G' });
    for (const resource of ['Users', 'Groups']) {
      const res = await d.scim('GET', `/${resource}?${query}`);
      expect(res.status).toBe(status);
      if (status === 400) {
        expect(res.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
        expect(res.body.detail).toMatch(/startIndex|count/);
        continue;
      }
      const total = resource === 'Users' ? 3 : 1;
      expect(res.body.totalResults).toBe(total);
      const params = new URLSearchParams(query);
      const count = params.has('count') ? Math.min(Math.max(0, Number(params.get('count'))), 200) : 100;
      const start = Math.max(1, Number(params.get('startIndex') ?? 1));
      expect(res.body.startIndex).toBe(start);
      expect(res.body.Resources).toHaveLength(Math.max(0, Math.min(count, total - start + 1)));
    }
  });
});
