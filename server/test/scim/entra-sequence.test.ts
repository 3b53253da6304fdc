import { startTestApp, type TestApp } from '../helpers/app';
import { buildDirectorySetup, ENTERPRISE } from '../helpers/scim';

/**
 * The requests Microsoft Entra ID's provisioning service sends, in the order and shapes of Microsoft's published
 * "SCIM endpoint request examples" and the Entra SCIM Validator (email as a matching attribute, manager PATCHes in
 * both the compliant and the older `aadOptscim062020`-less form, group PATCHes answered 204).
 */

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const q = (filter: string) => `filter=${encodeURIComponent(filter)}`;

const entraCreate = (userName: string, email: string, externalId: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  externalId,
  userName,
  active: true,
  emails: [{ primary: true, type: 'work', value: email }],
  meta: { resourceType: 'User' },
  name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
  roles: [],
});

describe('Entra ID provisioning, request by request', () => {
  it('creates, finds (by userName and by work email), updates, disables and deletes users', async () => {
    const d = await buildDirectorySetup(app, 'azure scim v2.0');
    const userName = 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1';
    const email = 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com';

    // Matching attribute: email. Entra looks the user up by its work email before creating it.
    const none = await d.scim('GET', `/Users?${q(`emails[type eq "work"].value eq "${email}"`)}`);
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, Resources: [] });

    const created = await d.scim('POST', '/Users', entraCreate(userName, email, '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ userName, active: true, externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef', meta: { resourceType: 'User' } });
    const id = created.body.id as string;

    expect((await d.scim('GET', `/Users/${id}`)).body).toMatchObject({ id, userName, emails: [{ value: email }] });
    for (const filter of [`userName eq "${userName}"`, `emails[type eq "work"].value eq "${email.toUpperCase()}"`, `externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"`]) {
      const found = await d.scim('GET', `/Users?${q(filter)}`);
      expect([filter, found.status, found.body.totalResults]).toEqual([filter, 200, 1]);
      expect(found.body.Resources[0].id).toBe(id);
    }
    expect((await d.scim('GET', `/Users?${q('userName eq "non-existent user"')}`)).body).toMatchObject({ totalResults: 0, Resources: [] });

    // Update user [multi-valued properties]
    const multi = await d.scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
      { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
    ] });
    expect(multi.status).toBe(200);
    expect(multi.body).toMatchObject({ emails: [{ type: 'work', value: 'updatedEmail@microsoft.com' }], name: { familyName: 'updatedFamilyName' } });
    expect((await d.scim('GET', `/Users?${q('emails[type eq "work"].value eq "updatedemail@microsoft.com"')}`)).body.totalResults).toBe(1);
    expect((await d.scim('GET', `/Users?${q(`emails[type eq "work"].value eq "${email}"`)}`)).body.totalResults).toBe(0);

    // Update user [single-valued properties]
    const renamed = await d.scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'userName', value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' }] });
    expect(renamed.body.userName).toBe('5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com');

    // Disable user
    const disabled = await d.scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: false }] });
    expect(disabled.body.active).toBe(false);
    expect((await d.scim('GET', `/Users?${q('active eq false')}`)).body.Resources.map((u: { id: string }) => u.id)).toEqual([id]);

    expect((await d.scim('DELETE', `/Users/${id}`)).status).toBe(204);
    expect((await d.scim('GET', `/Users/${id}`)).status).toBe(404);
  });

  it('sets the manager in each form Entra sends and always returns it complex (RFC 7643 §4.3), so later reads deserialize', async () => {
    const d = await buildDirectorySetup(app, 'azure scim v2.0');
    const boss = (await d.scim('POST', '/Users', entraCreate('boss@testuser.com', 'boss@testuser.com', 'boss'))).body;
    const user = (await d.scim('POST', '/Users', entraCreate('report@testuser.com', 'report@testuser.com', 'report'))).body;
    const managerOf = async () => (await d.scim('GET', `/Users/${user.id}`)).body[ENTERPRISE]?.manager;
    const complex = { value: boss.id, $ref: `${d.scimBaseUrl}/Users/${boss.id}` };

    // Compliant form: the qualified path, the id as a string.
    const patched = await d.scim('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: `${ENTERPRISE}:manager`, value: boss.id }] });
    expect(patched.status).toBe(200);
    expect(patched.body[ENTERPRISE].manager).toEqual(complex);
    expect(patched.body.schemas).toContain(ENTERPRISE);
    expect(await managerOf()).toEqual(complex);
    const listed = await d.scim('GET', `/Users?${q(`userName eq "report@testuser.com"`)}`);
    expect(listed.body.Resources[0][ENTERPRISE].manager).toEqual(complex);

    // Removed, then set again with the older form: an unqualified path and a [{ value }] list.
    await d.scim('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Remove', path: `${ENTERPRISE}:manager` }] });
    expect(await managerOf()).toBeUndefined();
    const older = await d.scim('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'manager', value: [{ $ref: null, value: boss.id }] }] });
    expect(older.status).toBe(200);
    expect(older.body.manager).toBeUndefined();
    expect(older.body[ENTERPRISE].manager).toEqual(complex);
    const [row] = await app.db.query('SELECT raw_attributes FROM directory_users WHERE id = $1', [user.id]);
    expect(row.raw_attributes.manager).toBeUndefined();
    expect(row.raw_attributes[ENTERPRISE].manager).toEqual({ value: boss.id });

    // An object value and an unqualified department (the core schema has none) land in the extension too.
    await d.scim('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [
      { op: 'Replace', path: `${ENTERPRISE}:manager`, value: { value: 'another-id' } },
      { op: 'Replace', path: 'department', value: 'Research' },
    ] });
    expect((await d.scim('GET', `/Users/${user.id}`)).body[ENTERPRISE]).toMatchObject({ department: 'Research', manager: { value: 'another-id' } });
    expect((await d.scim('GET', `/Users?${q(`${ENTERPRISE}:manager.value eq "another-id"`)}`)).body.totalResults).toBe(1);
    expect((await d.scim('GET', `/Users?${q('department eq "research"')}`)).body.totalResults).toBe(1);

    // Entra clears the manager with an empty value.
    await d.scim('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: `${ENTERPRISE}:manager`, value: '' }] });
    expect(await managerOf()).toBeUndefined();
  });

  it('maps the manager of a custom attribute from the older unqualified form', async () => {
    const d = await buildDirectorySetup(app, 'azure scim v2.0');
    const { createCustomAttribute } = await d.admin.data(`mutation($input: CreateCustomAttributeInput!) { createCustomAttribute(input: $input) { id } }`, {
      input: { environmentId: d.environment.id, key: 'manager_id', label: 'Manager' },
    });
    const user = (await d.scim('POST', '/Users', entraCreate('mapped@testuser.com', 'mapped@testuser.com', 'mapped'))).body;
    await d.scim('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'manager', value: [{ value: 'boss-object-id' }] }] });
    await d.admin.data(`mutation($d: ID!, $a: ID!, $p: String) { mapCustomAttribute(directoryId: $d, customAttributeId: $a, path: $p) { id } }`, {
      d: d.directoryId, a: createCustomAttribute.id, p: `${ENTERPRISE}.manager.value`,
    });
    expect((await d.workos.directorySync.getUser(user.id)).customAttributes).toEqual({ manager_id: 'boss-object-id' });
    await d.scim('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'manager', value: 'next-boss-id' }] });
    expect((await d.workos.directorySync.getUser(user.id)).customAttributes).toEqual({ manager_id: 'next-boss-id' });
  });

  it('creates, finds, renames and re-members groups; PATCH answers 204 unless attributes are asked for', async () => {
    const d = await buildDirectorySetup(app, 'azure scim v2.0');
    const a = (await d.scim('POST', '/Users', entraCreate('a@testuser.com', 'a@testuser.com', 'a'))).body;
    const b = (await d.scim('POST', '/Users', entraCreate('b@testuser.com', 'b@testuser.com', 'b'))).body;
    const created = await d.scim('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group', 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', displayName: 'displayName', meta: { resourceType: 'Group' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ displayName: 'displayName', members: [], meta: { resourceType: 'Group' } });
    const id = created.body.id as string;

    const got = await d.scim('GET', `/Groups/${id}?excludedAttributes=members`);
    expect(got.body).toMatchObject({ id, displayName: 'displayName' });
    expect(got.body.members).toBeUndefined();
    const byName = await d.scim('GET', `/Groups?excludedAttributes=members&${q('displayName eq "displayName"')}`);
    expect(byName.body).toMatchObject({ totalResults: 1, Resources: [{ id }] });

    const rename = await d.scim('PATCH', `/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'displayName', value: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName' }] });
    expect(rename.status).toBe(204);
    expect(rename.body).toBeNull();
    const add = await d.scim('PATCH', `/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: [{ $ref: null, value: a.id }, { $ref: null, value: b.id }] }] });
    expect(add.status).toBe(204);
    const remove = await d.scim('PATCH', `/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: a.id }] }] });
    expect(remove.status).toBe(204);

    const group = (await d.scim('GET', `/Groups/${id}`)).body;
    expect(group).toMatchObject({ displayName: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName', members: [{ value: b.id }] });
    expect((await d.scim('GET', `/Groups?${q(`members[value eq "${b.id}"]`)}`)).body.totalResults).toBe(1);
    expect((await d.scim('GET', `/Groups?${q(`members[value eq "${a.id}"]`)}`)).body.totalResults).toBe(0);
    // Asked for, the resource comes back: 200 with it.
    const withBody = await d.scim('PATCH', `/Groups/${id}?attributes=members`, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: [{ value: a.id }] }] });
    expect(withBody.status).toBe(200);
    expect(withBody.body.members.map((m: { value: string }) => m.value).sort()).toEqual([a.id, b.id].sort());

    expect((await d.scim('DELETE', `/Groups/${id}`)).status).toBe(204);
  });

  it('answers writes to the discovery endpoints with 405, the SCIM error schema and an Allow header', async () => {
    const d = await buildDirectorySetup(app, 'azure scim v2.0');
    for (const path of ['/ServiceProviderConfig', '/ResourceTypes', '/Schemas', '/ResourceTypes/User', `/Schemas/${ENTERPRISE}`]) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        const res = await d.scim(method, path, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'x' });
        expect([method, path, res.status]).toEqual([method, path, 405]);
        expect(res.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '405' });
        expect(res.body.detail).toContain(method);
        expect(res.headers.get('allow')).toBe('GET, HEAD');
      }
      expect((await d.scim('GET', path)).status).toBe(200);
    }
    expect((await d.scim('GET', `/Schemas/${ENTERPRISE}`)).body.attributes.map((a: { name: string }) => a.name)).toContain('manager');
    expect((await d.scim('GET', '/Schemas/urn:nope')).status).toBe(404);
  });
});
