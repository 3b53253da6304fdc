import { startTestApp, type TestApp } from '../helpers/app';
import { buildDirectorySetup } from '../helpers/scim';

/**
 * Okta's "SCIM 2.0 SPEC Test" (the Runscope suite Okta publishes for SCIM servers), step by step with its
 * assertions, then the CRUD requests of Okta's SCIM 2.0 reference: deactivate with PATCH, PUT updates, and group
 * push (displayName lookup, member add/remove, rename) where Okta accepts 200 with the group or 204.
 */

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const filter = (f: string) => `filter=${encodeURIComponent(f)}`;

const oktaCreate = (userName: string, givenName: string, familyName: string, email: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, name: { givenName, familyName },
  emails: [{ primary: true, value: email, type: 'work' }], displayName: `${givenName} ${familyName}`, active: true,
});

describe('Okta SCIM 2.0 SPEC Test, in order', () => {
  it('passes every required step', async () => {
    const d = await buildDirectorySetup(app);
    // The suite expects at least one user in the app already.
    await d.scim('POST', '/Users', oktaCreate('existing@example.com', 'Existing', 'User', 'existing@example.com'));

    // Required Test: Test Users endpoint
    const users = await d.scim('GET', '/Users?count=1&startIndex=1');
    expect(users.status).toBe(200);
    expect(users.body.schemas).toContain(LIST);
    for (const n of ['itemsPerPage', 'startIndex', 'totalResults']) expect(typeof users.body[n]).toBe('number');
    const first = users.body.Resources[0];
    for (const v of [first.id, first.name.familyName, first.name.givenName, first.userName, first.active, first.emails[0].value]) expect(v).toBeTruthy();
    const isvUserId = first.id as string;

    // Required Test: Get Users/{{id}}
    const one = await d.scim('GET', `/Users/${isvUserId}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: isvUserId, name: { familyName: 'User', givenName: 'Existing' }, userName: 'existing@example.com', active: true, emails: [{ value: 'existing@example.com' }] });

    // Required Test: Test invalid User by username
    const invalidByName = await d.scim('GET', `/Users?${filter('userName eq "invalid-user-8d1e@example.com"')}`);
    expect(invalidByName.status).toBe(200);
    expect(invalidByName.body).toMatchObject({ schemas: [LIST], totalResults: 0 });

    // Required Test: Test invalid User by ID
    const invalidById = await d.scim('GET', '/Users/010101001010101');
    expect(invalidById.status).toBe(404);
    expect(invalidById.body.detail).toBeTruthy();
    expect(invalidById.body.schemas).toContain(ERROR);

    // Required Test: Make sure random user doesn't exist
    const random = { userName: 'Nadia.Runolfsdottir@example.com', given: 'Nadia', family: 'Runolfsdottir', email: 'nadia.runolfsdottir@example.com' };
    const absent = await d.scim('GET', `/Users?${filter(`userName eq "${random.email}"`)}`);
    expect(absent.status).toBe(200);
    expect(absent.body).toMatchObject({ totalResults: 0, schemas: [LIST] });

    // Required Test: Create Okta user with realistic values
    const created = await d.scim('POST', '/Users', oktaCreate(random.userName, random.given, random.family, random.email));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ active: true, name: { familyName: random.family, givenName: random.given }, userName: random.userName });
    expect(created.body.schemas).toContain('urn:ietf:params:scim:schemas:core:2.0:User');
    const idUserOne = created.body.id as string;
    expect(idUserOne).toBeTruthy();

    // Required Test: Verify that user was created
    expect((await d.scim('GET', `/Users/${idUserOne}`)).body).toMatchObject({ userName: random.userName, name: { familyName: random.family, givenName: random.given } });

    // Required Test: Expect failure when recreating user with same values
    expect((await d.scim('POST', '/Users', oktaCreate(random.userName, random.given, random.family, random.userName))).status).toBe(409);

    // Required Test: Username Case Sensitivity Check
    const caps = await d.scim('GET', `/Users?${filter(`userName eq "${random.userName.toUpperCase()}"`)}`);
    expect(caps.status).toBe(200);
    expect(caps.body.Resources.map((u: { id: string }) => u.id)).toEqual([idUserOne]);

    // Optional Test: Verify Groups endpoint
    const groups = await d.scim('GET', '/Groups');
    expect(groups.status).toBe(200);
    expect(Array.isArray(groups.body.Resources)).toBe(true);

    // Required Test: Check status 401
    const res401 = await d.scim('GET', `/Users?${filter(`userName eq "${random.userName.toUpperCase()}"`)}`, undefined, 'non-token');
    expect(res401.status).toBe(401);
    expect(res401.body).toMatchObject({ status: '401', schemas: [ERROR] });
    expect(res401.body.detail).toBeTruthy();

    // Required Test: Check status 404
    const res404 = await d.scim('GET', '/Users/00919288221112222');
    expect(res404.status).toBe(404);
    expect(res404.body).toMatchObject({ status: '404', schemas: [ERROR] });
    expect(res404.body.detail).toBeTruthy();
  });
});

describe('Okta provisioning (SCIM 2.0 reference requests)', () => {
  it('updates with PUT, deactivates and reactivates with PATCH, and pushes groups', async () => {
    const d = await buildDirectorySetup(app);
    const lookup = await d.scim('GET', `/Users?${filter('userName eq "test.user@okta.local"')}&startIndex=1&count=100`);
    expect(lookup.body.totalResults).toBe(0);
    const user = (await d.scim('POST', '/Users', { ...oktaCreate('test.user@okta.local', 'Test', 'User', 'test.user@okta.local'), locale: 'en-US', externalId: '00ujl29u0le5T6Aj10h7', groups: [], password: '1mz050nq' })).body;
    expect(user.password).toBeUndefined();

    const put = await d.scim('PUT', `/Users/${user.id}`, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id: user.id, userName: 'test.user@okta.local', name: { givenName: 'Another', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }], displayName: 'Another User', locale: 'en-US', externalId: '00ujl29u0le5T6Aj10h7', groups: [], active: true,
      meta: { resourceType: 'User', created: '2019-11-26T00:52:48.000Z', lastModified: '2019-11-26T00:52:48.000Z' },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: user.id, name: { givenName: 'Another' }, displayName: 'Another User' });

    const deactivated = await d.scim('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.active).toBe(false);
    expect((await d.scim('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] })).body.active).toBe(true);

    // Group push: Okta looks the group up by displayName, creates it, then adds, removes and renames.
    expect((await d.scim('GET', `/Groups?${filter('displayName eq "Test SCIMv2"')}&startIndex=1&count=100`)).body.totalResults).toBe(0);
    const group = await d.scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Test SCIMv2', members: [] });
    expect(group.status).toBe(201);
    const gid = group.body.id as string;
    expect((await d.scim('GET', `/Groups?${filter('displayName eq "test scimv2"')}`)).body.Resources.map((g: { id: string }) => g.id)).toEqual([gid]);
    expect((await d.scim('GET', `/Groups/${gid}?excludedAttributes=members`)).body.members).toBeUndefined();

    const added = await d.scim('PATCH', `/Groups/${gid}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: user.id, display: 'test.user@okta.local' }] }] });
    expect([200, 204]).toContain(added.status);
    expect((await d.scim('GET', `/Groups/${gid}`)).body.members).toEqual([expect.objectContaining({ value: user.id, display: 'test.user@okta.local' })]);
    const renamed = await d.scim('PATCH', `/Groups/${gid}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { id: gid, displayName: 'Test SCIMv2 renamed' } }] });
    expect([200, 204]).toContain(renamed.status);
    const removed = await d.scim('PATCH', `/Groups/${gid}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${user.id}"]` }] });
    expect([200, 204]).toContain(removed.status);
    expect((await d.scim('GET', `/Groups/${gid}`)).body).toMatchObject({ displayName: 'Test SCIMv2 renamed', members: [] });
    expect((await d.scim('DELETE', `/Groups/${gid}`)).status).toBe(204);
  });
});
