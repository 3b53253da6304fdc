import { startTestApp, type TestApp } from '../helpers/app';
import { buildDirectorySetup, entraUser, oktaUser } from '../helpers/scim';

/**
 * What one user creation costs the database: providers send a POST /Users per user, so its round trips are the
 * provisioning rate. The user, its event and its log row are one statement; a clash writes none of them.
 */

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

describe('POST /Users cost', () => {
  it('is two SQL statements (authenticate, then write user + event + log row together, in a transaction with its webhook deliveries)', async () => {
    const d = await buildDirectorySetup(app);
    await d.scim('GET', '/Users'); // links the directory (its own statements, once)
    const before = app.queries.count;
    const created = await d.scim('POST', '/Users', oktaUser('cost@acme.com'));
    expect(created.status).toBe(201);
    // authenticate; BEGIN, the one statement (which also says whether a webhook endpoint wants the event), COMMIT
    expect(app.queries.count - before).toBe(4);

    const events = await app.db.query(`SELECT event, data FROM events WHERE environment_id = $1 AND event = 'dsync.user.created'`, [d.environment.id]);
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({ object: 'directory_user', id: created.body.id, email: 'cost@acme.com', username: 'cost@acme.com', state: 'active', first_name: 'Ada' });
    const logs = await app.db.query(`SELECT method, path, status, request_body, response_body FROM scim_requests WHERE directory_id = $1 AND method = 'POST'`, [d.directoryId]);
    expect(logs).toEqual([{ method: 'POST', path: '/Users', status: 201, request_body: null, response_body: null }]);
    // What was returned is what is stored.
    expect((await d.scim('GET', `/Users/${created.body.id}`)).body).toEqual({ ...created.body, meta: { ...created.body.meta } });
  });

  it('writes no user, event nor success row on a userName clash, and logs the 409 with its body', async () => {
    const d = await buildDirectorySetup(app);
    await d.scim('POST', '/Users', oktaUser('dup@acme.com'));
    const clash = await d.scim('POST', '/Users', oktaUser('DUP@acme.com'));
    expect(clash.body).toMatchObject({ status: '409', scimType: 'uniqueness' });
    expect(await app.db.query('SELECT count(*)::int AS n FROM directory_users WHERE directory_id = $1', [d.directoryId])).toEqual([{ n: 1 }]);
    expect(await app.db.query(`SELECT count(*)::int AS n FROM events WHERE environment_id = $1 AND event = 'dsync.user.created'`, [d.environment.id])).toEqual([{ n: 1 }]);
    let rows: { status: number; request_body: unknown }[] = [];
    for (let i = 0; i < 40 && rows.length < 2; i += 1) {
      rows = await app.db.query(`SELECT status, request_body FROM scim_requests WHERE directory_id = $1 AND method = 'POST' ORDER BY id`, [d.directoryId]);
      if (rows.length < 2) await new Promise((r) => setTimeout(r, 25));
    }
    expect(rows.map((r) => r.status)).toEqual([201, 409]);
    expect(rows[1]!.request_body).toMatchObject({ userName: 'DUP@acme.com', password: '[redacted]' });
  });

  it('deactivates with PATCH in one transaction that holds the change, its event and the log row; a no-op PATCH records no event', async () => {
    const d = await buildDirectorySetup(app, 'azure scim v2.0');
    const user = (await d.scim('POST', '/Users', entraUser('patch@acme.com'))).body;
    const before = app.queries.count;
    const patched = await d.scim('PATCH', `/Users/${user.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect(patched.body.active).toBe(false);
    // authenticate; BEGIN, the user locked, its groups, UPDATE, event, the webhook endpoints wanting it, log row,
    // COMMIT (no userName check: unchanged)
    expect(app.queries.count - before).toBe(9);
    const logs = await app.db.query(`SELECT status FROM scim_requests WHERE directory_id = $1 AND method = 'PATCH'`, [d.directoryId]);
    expect(logs).toEqual([{ status: 200 }]);
    const updates = async () => (await app.db.query(`SELECT count(*)::int AS n FROM events WHERE environment_id = $1 AND event = 'dsync.user.updated'`, [d.environment.id]))[0].n;
    expect(await updates()).toBe(1);
    // The same value again (the raw data read back from jsonb orders its keys otherwise): no change, no event.
    await d.scim('PATCH', `/Users/${user.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect(await updates()).toBe(1);
    // A rename to another user's userName is still refused.
    await d.scim('POST', '/Users', entraUser('taken@acme.com'));
    expect((await d.scim('PATCH', `/Users/${user.id}`, { Operations: [{ op: 'Replace', path: 'userName', value: 'TAKEN@acme.com' }] })).body).toMatchObject({ status: '409', scimType: 'uniqueness' });
  });

  it('maps custom attributes on create from the attributes read with the directory', async () => {
    const d = await buildDirectorySetup(app, 'azure scim v2.0');
    const { createCustomAttribute } = await d.admin.data(`mutation($input: CreateCustomAttributeInput!) { createCustomAttribute(input: $input) { id } }`, {
      input: { environmentId: d.environment.id, key: 'department', label: 'Department' },
    });
    await d.scim('POST', '/Users', entraUser('first@acme.com'));
    await d.admin.data(`mutation($d: ID!, $a: ID!, $p: String) { mapCustomAttribute(directoryId: $d, customAttributeId: $a, path: $p) { id } }`, {
      d: d.directoryId, a: createCustomAttribute.id, p: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User.department',
    });
    const second = (await d.scim('POST', '/Users', entraUser('second@acme.com'))).body;
    expect((await d.workos.directorySync.getUser(second.id)).customAttributes).toEqual({ department: 'Navy' });
  });
});
