import { startTestApp, type TestApp } from '../helpers/app';
import { buildDirectorySetup, entraUser, oktaUser } from '../helpers/scim';
import { createDataSource } from '../../src/db/data-source';
import { DirectoryGroupEntity, DirectoryUserEntity } from '../../src/modules/directories/directory.entity';
import { patchGroupInOneStatement, readGroupWithNamedUsers, readUserWithGroups, updateUserInOneStatement } from '../../src/modules/directories/scim-store';
import { newId } from '../../src/lib/ids';

/**
 * What one user creation costs the database: providers send a POST /Users per user, so its round trips are the
 * provisioning rate. The user, its event and its log row are one statement; a clash writes none of them.
 */

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

describe('POST /Users cost', () => {
  it('is two SQL statements (authenticate, then write user + event + log row together, with no transaction when no webhook endpoint wants the event)', async () => {
    const d = await buildDirectorySetup(app);
    await d.scim('GET', '/Users'); // links the directory (its own statements, once)
    const before = app.queries.count;
    const created = await d.scim('POST', '/Users', oktaUser('cost@acme.com'));
    expect(created.status).toBe(201);
    // authenticate; the one statement (which writes nothing, and says so, when a webhook endpoint wants the event)
    expect(app.queries.count - before).toBe(2);

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

  it('deactivates with PATCH in one statement that holds the change, its event and the log row; a no-op PATCH records no event', async () => {
    const d = await buildDirectorySetup(app, 'azure scim v2.0');
    const user = (await d.scim('POST', '/Users', entraUser('patch@acme.com'))).body;
    const before = app.queries.count;
    const patched = await d.scim('PATCH', `/Users/${user.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect(patched.body.active).toBe(false);
    // authenticate; the user with its groups and version; one statement for the change, its event and the log row,
    // written if the user is still at that version and no webhook endpoint wants the event (no userName check: unchanged)
    expect(app.queries.count - before).toBe(3);
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

  it('creates in a transaction with the delivery when an endpoint wants dsync.user.created, and still answers a clash with 409', async () => {
    const d = await buildDirectorySetup(app, 'okta scim v2.0', 'FULL_ENVIRONMENT');
    const endpoint = await d.workos.webhooks.createWebhookEndpoint({ endpointUrl: 'https://hooks.example.com/portico', events: ['dsync.user.created'] });
    const created = await d.scim('POST', '/Users', oktaUser('hooked-create@acme.com'));
    expect(created.status).toBe(201);
    expect(await app.db.query(`SELECT e.event, e.data->>'id' AS id FROM webhook_deliveries w JOIN events e ON e.id = w.event_id WHERE w.endpoint_id = $1`, [endpoint.id]))
      .toEqual([{ event: 'dsync.user.created', id: created.body.id }]);
    expect((await d.scim('POST', '/Users', oktaUser('HOOKED-create@acme.com'))).body).toMatchObject({ status: '409', scimType: 'uniqueness' });
    expect(await app.db.query(`SELECT count(*)::int AS n FROM events WHERE environment_id = $1 AND event = 'dsync.user.created'`, [d.environment.id])).toEqual([{ n: 1 }]);
    expect(await app.db.query('SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1', [endpoint.id])).toEqual([{ n: 1 }]);
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

  it('writes the deactivation’s event with its webhook deliveries in the same transaction when an endpoint wants it', async () => {
    const d = await buildDirectorySetup(app, 'azure scim v2.0', 'FULL_ENVIRONMENT');
    const endpoint = await d.workos.webhooks.createWebhookEndpoint({ endpointUrl: 'https://hooks.example.com/portico', events: ['dsync.user.updated'] });
    const user = (await d.scim('POST', '/Users', entraUser('hooked@acme.com'))).body;
    const before = app.queries.count;
    expect((await d.scim('PATCH', `/Users/${user.id}`, DEACTIVATE)).body.active).toBe(false);
    // authenticate; the user (an endpoint follows its events); BEGIN, the change (wanted: yes), the endpoints, the
    // delivery row, its job, COMMIT
    expect(app.queries.count - before).toBeLessThanOrEqual(8);
    const deliveries = await app.db.query(
      `SELECT e.event, e.data->>'state' AS state FROM webhook_deliveries w JOIN events e ON e.id = w.event_id WHERE w.endpoint_id = $1`, [endpoint.id],
    );
    expect(deliveries).toEqual([{ event: 'dsync.user.updated', state: 'inactive' }]);
  });

  it('answers 404 for another directory’s user, writing nothing but the failed request’s log row', async () => {
    const mine = await buildDirectorySetup(app, 'azure scim v2.0');
    const theirs = await buildDirectorySetup(app, 'azure scim v2.0');
    const user = (await theirs.scim('POST', '/Users', entraUser('other@acme.com'))).body;
    const patched = await mine.scim('PATCH', `/Users/${user.id}`, DEACTIVATE);
    expect(patched.status).toBe(404);
    expect((await theirs.scim('GET', `/Users/${user.id}`)).body.active).toBe(true);
    expect(await app.db.query(`SELECT count(*)::int AS n FROM events WHERE environment_id = ANY($1) AND event = 'dsync.user.updated'`, [[mine.environment.id, theirs.environment.id]])).toEqual([{ n: 0 }]);
  });
});

const DEACTIVATE = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] };
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describe('PATCH /Groups cost', () => {
  async function groupWithUsers(type = 'okta scim v2.0', scope?: 'FULL_ENVIRONMENT') {
    const d = await buildDirectorySetup(app, type, scope);
    const users: string[] = [];
    for (const name of ['ann', 'bob', 'cy']) users.push((await d.scim('POST', '/Users', oktaUser(`${name}@acme.com`))).body.id);
    const group = (await d.scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Engineering', members: [{ value: users[0] }] })).body;
    return { d, users, group };
  }
  const members = async (groupId: string) => (await app.db.query('SELECT user_id FROM directory_group_members WHERE group_id = $1 ORDER BY user_id', [groupId])).map((r: { user_id: string }) => r.user_id);
  const events = async (environmentId: string, after: string) => app.db.query(
    `SELECT event, data->'user'->>'id' AS user_id, data->'group'->>'id' AS group_id FROM events WHERE environment_id = $1 AND id > $2 AND event LIKE 'dsync.group.%' ORDER BY id`, [environmentId, after],
  );
  const lastEventId = async (environmentId: string) => (await app.db.query('SELECT coalesce(max(id), \'\') AS id FROM events WHERE environment_id = $1', [environmentId]))[0].id as string;

  it('adds and removes members (as Okta sends them) in three statements, with their events and the 204 log row in the write', async () => {
    const { d, users, group } = await groupWithUsers();
    const mark = await lastEventId(d.environment.id);
    const before = app.queries.count;
    const patched = await d.scim('PATCH', `/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [
      { op: 'add', path: 'members', value: [{ value: users[1] }, { value: users[2] }, { value: users[0] }] },
      { op: 'remove', path: `members[value eq "${users[0]}"]` },
    ] });
    expect(patched.status).toBe(204);
    // authenticate; the group with its version and the users the operations name; one statement for the memberships,
    // their events and the log row
    expect(app.queries.count - before).toBe(3);
    expect(await members(group.id)).toEqual([users[1], users[2]].sort());
    expect(await events(d.environment.id, mark)).toEqual([
      { event: 'dsync.group.user_added', user_id: users[1], group_id: group.id },
      { event: 'dsync.group.user_added', user_id: users[2], group_id: group.id },
      { event: 'dsync.group.user_removed', user_id: users[0], group_id: group.id },
    ]);
    const logs = await app.db.query(`SELECT status FROM scim_requests WHERE directory_id = $1 AND method = 'PATCH'`, [d.directoryId]);
    expect(logs).toEqual([{ status: 204 }]);
  });

  it('records nothing for members already in (or already out of) the group', async () => {
    const { d, users, group } = await groupWithUsers();
    const mark = await lastEventId(d.environment.id);
    await d.scim('PATCH', `/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: users[0] }] }, { op: 'remove', path: `members[value eq "${users[1]}"]` }] });
    expect(await members(group.id)).toEqual([users[0]]);
    expect(await events(d.environment.id, mark)).toEqual([]);
  });

  it('refuses a member that is not a user of this directory with 400, writing no membership, event or success row', async () => {
    const { d, users, group } = await groupWithUsers('azure scim v2.0');
    const other = await buildDirectorySetup(app);
    const stranger = (await other.scim('POST', '/Users', oktaUser('stranger@acme.com'))).body.id;
    const mark = await lastEventId(d.environment.id);
    const refused = await d.scim('PATCH', `/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: users[1] }, { value: stranger }] }] });
    expect(refused.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    expect(refused.body.detail).toContain(stranger);
    expect(await members(group.id)).toEqual([users[0]]);
    expect(await events(d.environment.id, mark)).toEqual([]);
    const logs = await app.db.query(`SELECT status FROM scim_requests WHERE directory_id = $1 AND method = 'PATCH'`, [d.directoryId]);
    expect(logs).toEqual([{ status: 400 }]);
    // Nor can another directory patch this group.
    expect((await other.scim('PATCH', `/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: stranger }] }] })).status).toBe(404);
    expect(await members(group.id)).toEqual([users[0]]);
  });

  it('renames and changes members in one request, answering 200 with the members when asked (one more read)', async () => {
    const { d, users, group } = await groupWithUsers('azure scim v2.0');
    const mark = await lastEventId(d.environment.id);
    const before = app.queries.count;
    const patched = await d.scim('PATCH', `/Groups/${group.id}?attributes=members`, { schemas: [PATCH_OP], Operations: [
      { op: 'replace', path: 'displayName', value: 'Platform' }, { op: 'add', path: 'members', value: [{ value: users[2] }] },
    ] });
    expect(patched.status).toBe(200);
    expect(app.queries.count - before).toBe(4);
    expect(patched.body).toMatchObject({ id: group.id, displayName: 'Platform' });
    expect(patched.body.members.map((m: { value: string }) => m.value).sort()).toEqual([users[0], users[2]].sort());
    expect((await events(d.environment.id, mark)).map((e: { event: string }) => e.event)).toEqual(['dsync.group.updated', 'dsync.group.user_added']);
    expect((await d.scim('GET', `/Groups/${group.id}`)).body).toMatchObject({ displayName: 'Platform', meta: { version: patched.body.meta.version } });
  });

  it('queues the webhook deliveries of member events in the same transaction when an endpoint wants them', async () => {
    const { d, users, group } = await groupWithUsers('okta scim v2.0', 'FULL_ENVIRONMENT');
    const endpoint = await d.workos.webhooks.createWebhookEndpoint({ endpointUrl: 'https://hooks.example.com/portico', events: ['dsync.group.user_added'] });
    await d.scim('PATCH', `/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: users[1] }] }, { op: 'remove', path: `members[value eq "${users[0]}"]` }] });
    const deliveries = await app.db.query(`SELECT e.event, e.data->'user'->>'id' AS user_id FROM webhook_deliveries w JOIN events e ON e.id = w.event_id WHERE w.endpoint_id = $1`, [endpoint.id]);
    expect(deliveries).toEqual([{ event: 'dsync.group.user_added', user_id: users[1] }]);
  });
});

describe('writes computed from a row read without a lock', () => {
  const userEvents = async (environmentId: string) => (await app.db.query(`SELECT count(*)::int AS n FROM events WHERE environment_id = $1 AND event = 'dsync.user.updated'`, [environmentId]))[0].n;
  const change = (user: DirectoryUserEntity) => Object.assign(new DirectoryUserEntity(), user, { state: 'inactive', rawAttributes: { ...user.rawAttributes, active: false }, updatedAt: new Date() });
  const eventOf = (user: DirectoryUserEntity) => [{ id: newId('event'), environmentId: user.environmentId, organizationId: user.organizationId, event: 'dsync.user.updated', data: { id: user.id } }];

  it('keeps every one of concurrent PATCHes to one user (none is lost to another computed from the same row)', async () => {
    const d = await buildDirectorySetup(app, 'azure scim v2.0');
    const user = (await d.scim('POST', '/Users', entraUser('many@acme.com'))).body;
    const addresses = Array.from({ length: 10 }, (_, i) => `alias${i}@acme.com`);
    const answers = await Promise.all(addresses.map((value) => d.scim('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'emails', value: [{ value, type: 'other' }] }] })));
    expect(answers.map((a) => a.status)).toEqual(addresses.map(() => 200));
    const emails = (await d.scim('GET', `/Users/${user.id}`)).body.emails.map((e: { value: string }) => e.value);
    expect(emails).toEqual(expect.arrayContaining(addresses));
    expect(await userEvents(d.environment.id)).toBe(addresses.length);
    expect(await app.db.query(`SELECT count(*)::int AS n FROM scim_requests WHERE directory_id = $1 AND method = 'PATCH'`, [d.directoryId])).toEqual([{ n: addresses.length }]);
  });

  it('keeps every one of concurrent PATCHes when an endpoint follows them, each event with its one delivery', async () => {
    const d = await buildDirectorySetup(app, 'azure scim v2.0', 'FULL_ENVIRONMENT');
    const endpoint = await d.workos.webhooks.createWebhookEndpoint({ endpointUrl: 'https://hooks.example.com/portico', events: ['dsync.user.updated'] });
    const user = (await d.scim('POST', '/Users', entraUser('followed@acme.com'))).body;
    const addresses = Array.from({ length: 8 }, (_, i) => `followed${i}@acme.com`);
    const answers = await Promise.all(addresses.map((value) => d.scim('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'emails', value: [{ value, type: 'other' }] }] })));
    expect(answers.map((a) => a.status)).toEqual(addresses.map(() => 200));
    expect((await d.scim('GET', `/Users/${user.id}`)).body.emails.map((e: { value: string }) => e.value)).toEqual(expect.arrayContaining(addresses));
    expect(await userEvents(d.environment.id)).toBe(addresses.length);
    const deliveries = await app.db.query(`SELECT e.id FROM webhook_deliveries w JOIN events e ON e.id = w.event_id WHERE w.endpoint_id = $1`, [endpoint.id]);
    expect(new Set(deliveries.map((r: { id: string }) => r.id)).size).toBe(addresses.length);
    expect(deliveries).toHaveLength(addresses.length);
  });

  it('keeps every member of concurrent member PATCHes to one group, each with one user_added event (also the one every PATCH adds)', async () => {
    const d = await buildDirectorySetup(app);
    const users: string[] = [];
    for (let i = 0; i < 8; i += 1) users.push((await d.scim('POST', '/Users', oktaUser(`member${i}@acme.com`))).body.id);
    const group = (await d.scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Crowd', members: [] })).body;
    const answers = await Promise.all(users.map((value) => d.scim('PATCH', `/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: users[0] }, { value }] }] })));
    expect(answers.map((a) => a.status)).toEqual(users.map(() => 204));
    const members = (await app.db.query('SELECT user_id FROM directory_group_members WHERE group_id = $1 ORDER BY user_id', [group.id])).map((r: { user_id: string }) => r.user_id);
    expect(members).toEqual([...users].sort());
    const added = await app.db.query(`SELECT data->'user'->>'id' AS id FROM events WHERE environment_id = $1 AND event = 'dsync.group.user_added' ORDER BY 1`, [d.environment.id]);
    expect(added.map((r: { id: string }) => r.id)).toEqual([...users].sort());
  });

  it('writes nothing (no change, event nor log row) when the row changed after it was read', async () => {
    const d = await buildDirectorySetup(app, 'azure scim v2.0');
    const { id } = (await d.scim('POST', '/Users', entraUser('stale@acme.com'))).body;
    const read = (await readUserWithGroups(app.db, d.directoryId, id, false))!;
    await app.db.query('UPDATE directory_users SET updated_at = updated_at WHERE id = $1', [id]); // another request's change
    const stale = await updateUserInOneStatement(app.db, change(read.user), eventOf(read.user), null, { since: read.version, unwanted: true });
    expect(stale.updated).toBe(false);
    expect((await d.scim('GET', `/Users/${id}`)).body.active).toBe(true);
    expect(await userEvents(d.environment.id)).toBe(0);
    // At the row's current version, the same write goes through.
    const current = (await readUserWithGroups(app.db, d.directoryId, id, false))!;
    expect(current.version).not.toBe(read.version);
    expect((await updateUserInOneStatement(app.db, change(current.user), eventOf(current.user), null, { since: current.version, unwanted: true })).updated).toBe(true);
    expect((await d.scim('GET', `/Users/${id}`)).body.active).toBe(false);
    expect(await userEvents(d.environment.id)).toBe(1);
  });

  it('records a membership event only with its change: not a member DELETE /Users removed meanwhile, nor a user it deleted', async () => {
    const d = await buildDirectorySetup(app);
    const [ann, bob] = [(await d.scim('POST', '/Users', oktaUser('ann@acme.com'))).body.id as string, (await d.scim('POST', '/Users', oktaUser('bob@acme.com'))).body.id as string];
    const group = (await d.scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Raced', members: [{ value: ann }] })).body;
    const read = (await readGroupWithNamedUsers(app.db, d.directoryId, group.id, [ann, bob], false))!;
    // Between the read and the write: both users deprovisioned (their memberships go; the group row is not touched).
    expect((await d.scim('DELETE', `/Users/${ann}`)).status).toBe(204);
    expect((await d.scim('DELETE', `/Users/${bob}`)).status).toBe(204);
    const membership = (event: string, userId: string) => ({ id: newId('event'), environmentId: read.group.environmentId, organizationId: read.group.organizationId, event, data: { user: { id: userId }, group: { id: group.id } } });
    const events = [membership('dsync.group.user_added', bob), membership('dsync.group.user_removed', ann)];
    const after = Object.assign(new DirectoryGroupEntity(), read.group, { updatedAt: new Date() });
    const outcome = await patchGroupInOneStatement(app.db, after, { added: [bob], removed: [ann] }, events, null, { since: read.version, unwanted: true });
    expect(outcome.updated).toBe(true);
    expect(outcome.written).toEqual(new Set());
    expect(await app.db.query('SELECT user_id FROM directory_group_members WHERE group_id = $1', [group.id])).toEqual([]);
    const recorded = await app.db.query(`SELECT event, data->'user'->>'id' AS user_id FROM events WHERE environment_id = $1 AND event LIKE 'dsync.group.user_%' ORDER BY id`, [d.environment.id]);
    // ann: added with the group, removed once by her deletion; bob: never a member.
    expect(recorded).toEqual([{ event: 'dsync.group.user_added', user_id: ann }, { event: 'dsync.group.user_removed', user_id: ann }]);
  });

  it('writes nothing outside a transaction when a webhook endpoint wants the event (its delivery could not be queued with it)', async () => {
    const d = await buildDirectorySetup(app, 'azure scim v2.0', 'FULL_ENVIRONMENT');
    const { id } = (await d.scim('POST', '/Users', entraUser('watched@acme.com'))).body;
    const unwatched = (await readUserWithGroups(app.db, d.directoryId, id, false))!;
    expect(unwatched.followed).toBe(false);
    await d.workos.webhooks.createWebhookEndpoint({ endpointUrl: 'https://hooks.example.com/portico', events: ['dsync.user.updated'] });
    // An endpoint created after the read: the write sees it and writes nothing; the read now says so.
    expect((await updateUserInOneStatement(app.db, change(unwatched.user), eventOf(unwatched.user), null, { since: unwatched.version, unwanted: true })).updated).toBe(false);
    expect(await userEvents(d.environment.id)).toBe(0);
    expect((await readUserWithGroups(app.db, d.directoryId, id, false))!.followed).toBe(true);
    // Through SCIM, the deactivation is then written with its delivery.
    expect((await d.scim('PATCH', `/Users/${id}`, DEACTIVATE)).body.active).toBe(false);
    expect(await app.db.query(`SELECT e.event FROM webhook_deliveries w JOIN events e ON e.id = w.event_id WHERE e.environment_id = $1`, [d.environment.id])).toEqual([{ event: 'dsync.user.updated' }]);
  });
});

describe('lookups by primary key', () => {
  /** How each statement reaches directory_users and directory_groups, from EXPLAIN ANALYZE: the index (or scan) and the rows it read for nothing. */
  async function accessesOf(statements: { query: string; parameters: unknown[] }[]) {
    const out: { relation: string; index: string; removedByFilter: number }[] = [];
    const visit = (node: Record<string, any>) => {
      if (['directory_users', 'directory_groups'].includes(node['Relation Name'])) {
        const bitmapIndex = node.Plans?.find((p: Record<string, any>) => p['Node Type'] === 'Bitmap Index Scan')?.['Index Name'];
        out.push({ relation: node['Relation Name'], index: node['Index Name'] ?? bitmapIndex ?? node['Node Type'], removedByFilter: node['Rows Removed by Filter'] ?? 0 });
      }
      for (const child of node.Plans ?? []) visit(child);
    };
    // On a database other tests share, these tables can be small enough for a sequential scan to be the planner's
    // honest choice; the question here is which index it reaches the row by, so sequential scans are priced out.
    await app.db.transaction(async (m) => {
      await m.query('SET LOCAL enable_seqscan = off');
      for (const s of statements) {
        const [row] = await m.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${s.query}`, s.parameters);
        visit(row['QUERY PLAN'][0].Plan);
      }
    });
    return out;
  }

  it('reaches the group and the users a member PATCH or a deactivation names through their primary keys, with statistics older than the directory’s 2,000 users', async () => {
    const d = await buildDirectorySetup(app, 'azure scim v2.0');
    const ann = (await d.scim('POST', '/Users', entraUser('ann@acme.com'))).body.id;
    const bob = (await d.scim('POST', '/Users', entraUser('bob@acme.com'))).body.id;
    const group = (await d.scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Engineering', members: [{ value: ann }] })).body;
    // Statistics taken before a directory's first sync say it has hardly any rows: then an index led by directory_id
    // looks as cheap as the primary key, and a planner that takes it reads the whole directory (a first sync, or
    // any database where ANALYZE hasn't run since).
    await app.db.query('ANALYZE directory_users');
    await app.db.query('ANALYZE directory_groups');
    await app.db.query(
      `INSERT INTO directory_users (id, directory_id, environment_id, organization_id, user_name, idp_id, state, raw_attributes)
       SELECT d.id || '_user_' || i, d.id, d.environment_id, d.organization_id, 'bulk' || i || '@acme.com', 'bulk' || i, 'active', '{}' FROM directories d, generate_series(1, 2000) i WHERE d.id = $1`,
      [d.directoryId],
    );
    await app.db.query(
      `INSERT INTO directory_groups (id, directory_id, environment_id, organization_id, name, idp_id, raw_attributes)
       SELECT d.id || '_group_' || i, d.id, d.environment_id, d.organization_id, 'Bulk ' || i, 'bulk' || i, '{}' FROM directories d, generate_series(1, 50) i WHERE d.id = $1`,
      [d.directoryId],
    );

    app.queries.recorded = [];
    const patched = await d.scim('PATCH', `/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: bob }] }, { op: 'remove', path: `members[value eq "${ann}"]` }] });
    const deactivated = await d.scim('PATCH', `/Users/${bob}`, DEACTIVATE);
    const reads = app.queries.recorded.filter((s) => /^\s*SELECT\b/i.test(s.query));
    app.queries.recorded = null;
    expect([patched.status, deactivated.status]).toEqual([204, 200]);

    const accesses = await accessesOf(reads);
    expect(new Set(accesses.map((a) => a.relation))).toEqual(new Set(['directory_users', 'directory_groups']));
    expect(accesses).toEqual(accesses.map((a) => ({ ...a, index: `${a.relation}_pkey`, removedByFilter: 0 })));
  });
});

describe('plans', () => {
  // On PostgreSQL: the embedded engine serves every connection (and every test file's) from one session, whose
  // prepared statements can't be told apart here; its planner is PostgreSQL's.
  (process.env.PORTICO_TEST_DATABASE_KIND !== 'embedded' ? it : it.skip)('keeps one generic plan per connection for the writes a provider sends most (PostgreSQL plans each of them only its first five times)', async () => {
    const d = await buildDirectorySetup(app);
    const users: string[] = [];
    for (let i = 0; i < 14; i += 1) users.push((await d.scim('POST', '/Users', oktaUser(`planned${i}@acme.com`))).body.id);
    const group = (await d.scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Planned', members: [{ value: users[0] }] })).body;
    // One connection: the session whose prepared statements are read back.
    const db = await createDataSource({ url: process.env.PORTICO_TEST_DATABASE_URL! }, 1).initialize();
    try {
      for (let i = 0; i < 12; i += 1) {
        const read = (await readGroupWithNamedUsers(db, d.directoryId, group.id, [users[i + 1]!, users[i]!], false))!;
        const events = [{ id: newId('event'), environmentId: read.group.environmentId, organizationId: read.group.organizationId, event: 'dsync.group.user_added', data: {} }];
        const after = Object.assign(new DirectoryGroupEntity(), read.group, { updatedAt: new Date() });
        expect((await patchGroupInOneStatement(db, after, { added: [users[i + 1]!], removed: [users[i]!] }, events, null, { since: read.version, unwanted: true })).updated).toBe(true);
        const user = (await readUserWithGroups(db, d.directoryId, users[i]!, false))!;
        expect((await updateUserInOneStatement(db, Object.assign(new DirectoryUserEntity(), user.user, { updatedAt: new Date() }), [], null, { since: user.version, unwanted: true })).updated).toBe(true);
      }
      const plans = (await db.query(`SELECT statement, generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE name LIKE 'portico_%'`)) as { statement: string; generic: number; custom: number }[];
      const hot = plans.filter((p) => /directory_groups|directory_users/.test(p.statement));
      expect(hot).toHaveLength(4);
      for (const p of hot) expect({ statement: p.statement.replace(/\s+/g, ' ').slice(0, 60), custom: p.custom, generic: p.generic }).toEqual({ statement: p.statement.replace(/\s+/g, ' ').slice(0, 60), custom: 5, generic: 7 });
    } finally {
      await db.destroy();
    }
  });
});
