import { startTestApp, type TestApp } from '../helpers/app';
import { buildDirectorySetup, ENTERPRISE, entraUser, oktaUser } from '../helpers/scim';

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

const MANAGER_PATH = `${ENTERPRISE}.manager.value`;

describe('Directory Sync through the official SDK', () => {
  it('lists and reads directories, users (each with its groups) and groups, and deletes a directory', async () => {
    const d = await buildDirectorySetup(app);
    const ada = (await d.scim('POST', '/Users', oktaUser('ada@acme.com'))).body;
    const bob = (await d.scim('POST', '/Users', oktaUser('bob@acme.com', { name: { givenName: 'Bob', familyName: 'Byte' } }))).body;
    const eng = (await d.scim('POST', '/Groups', { displayName: 'Engineering', members: [{ value: ada.id }] })).body;

    const directories = await d.workos.directorySync.listDirectories({ organizationId: d.org.id });
    expect(directories.data).toEqual([expect.objectContaining({ id: d.directoryId, organizationId: d.org.id, type: 'okta scim v2.0', state: 'active', domain: 'acme.com' })]);
    expect((await d.workos.directorySync.getDirectory(d.directoryId)).name).toBe('Acme Okta');

    const users = await d.workos.directorySync.listUsers({ directory: d.directoryId });
    expect(users.data.map((u) => u.email).sort()).toEqual(['ada@acme.com', 'bob@acme.com']);
    const adaUser = users.data.find((u) => u.id === ada.id)!;
    expect(adaUser).toMatchObject({ idpId: '00u12okta', firstName: 'Ada', lastName: 'Lovelace', state: 'active', directoryId: d.directoryId, organizationId: d.org.id });
    expect(adaUser.groups.map((g) => g.name)).toEqual(['Engineering']);
    expect((await d.workos.directorySync.getUser(bob.id)).groups).toEqual([]);
    expect((await d.workos.directorySync.listUsers({ group: eng.id })).data.map((u) => u.id)).toEqual([ada.id]);

    expect((await d.workos.directorySync.listGroups({ directory: d.directoryId })).data.map((g) => g.name)).toEqual(['Engineering']);
    expect((await d.workos.directorySync.listGroups({ user: bob.id })).data).toEqual([]);
    expect(await d.workos.directorySync.getGroup(eng.id)).toMatchObject({ id: eng.id, name: 'Engineering', directoryId: d.directoryId });

    await d.workos.directorySync.deleteDirectory(d.directoryId);
    await expect(d.workos.directorySync.getDirectory(d.directoryId)).rejects.toMatchObject({ name: 'NotFoundException' });
    expect((await d.scim('GET', '/Users')).status).toBe(401);
  });

  it('maps a custom attribute end to end: define manager → map it → SCIM-push → custom_attributes; remap → the value changes', async () => {
    const d = await buildDirectorySetup(app, 'azure scim v2.0');
    const { createCustomAttribute } = await d.admin.data(`mutation($input: CreateCustomAttributeInput!) { createCustomAttribute(input: $input) { id key } }`, {
      input: { environmentId: d.environment.id, key: 'manager', label: 'Manager' },
    });
    const grace = (await d.scim('POST', '/Users', entraUser('grace@acme.com', 'mgr-42'))).body;
    const { directory } = await d.admin.data(`query($id: ID!) { directory(id: $id) { rawAttributePaths { path sample users } attributeMappings { customAttribute { key } path } } }`, { id: d.directoryId });
    expect(directory.rawAttributePaths).toEqual(expect.arrayContaining([{ path: MANAGER_PATH, sample: 'mgr-42', users: 1 }, { path: 'title', sample: 'Rear Admiral', users: 1 }]));
    expect(directory.attributeMappings).toEqual([{ customAttribute: { key: 'manager' }, path: null }]);
    expect((await d.workos.directorySync.getUser(grace.id)).customAttributes).toEqual({ manager: null });

    const MAP = `mutation($d: ID!, $a: ID!, $p: String) { mapCustomAttribute(directoryId: $d, customAttributeId: $a, path: $p) { id } }`;
    const refused = await d.admin.error(MAP, { d: d.directoryId, a: createCustomAttribute.id, p: `${ENTERPRISE}.costCenter` });
    expect(refused.details[0]).toMatchObject({ field: 'path', code: 'path_not_in_raw_data' });
    await d.admin.data(MAP, { d: d.directoryId, a: createCustomAttribute.id, p: MANAGER_PATH });
    const listed = await d.workos.directorySync.listUsers({ directory: d.directoryId });
    expect(listed.data[0]!.customAttributes).toEqual({ manager: 'mgr-42' });

    // a user pushed after the mapping gets it too; one without a manager gets null
    const noManager = entraUser('nomgr@acme.com');
    delete (noManager[ENTERPRISE] as Record<string, unknown>).manager;
    const late = (await d.scim('POST', '/Users', noManager)).body;
    expect((await d.workos.directorySync.getUser(late.id)).customAttributes).toEqual({ manager: null });

    await d.admin.data(MAP, { d: d.directoryId, a: createCustomAttribute.id, p: 'title' });
    expect((await d.workos.directorySync.getUser(grace.id)).customAttributes).toEqual({ manager: 'Rear Admiral' });

    // renaming the attribute keeps the mapping (it refers to the ID)
    await d.admin.data(`mutation($input: UpdateCustomAttributeInput!) { updateCustomAttribute(input: $input) { key } }`, { input: { id: createCustomAttribute.id, key: 'boss' } });
    expect((await d.workos.directorySync.getUser(grace.id)).customAttributes).toEqual({ boss: 'Rear Admiral' });
    // and a SCIM update recomputes it
    await d.scim('PATCH', `/Users/${grace.id}`, { Operations: [{ op: 'Replace', path: 'title', value: 'Admiral' }] });
    expect((await d.workos.directorySync.getUser(grace.id)).customAttributes).toEqual({ boss: 'Admiral' });
  });

  it('lists a directory’s users with their groups in GraphQL in the same number of SQL statements for 2 users or 20', async () => {
    const count = async (n: number) => {
      const d = await buildDirectorySetup(app);
      const ids: string[] = [];
      for (let i = 0; i < n; i += 1) ids.push((await d.scim('POST', '/Users', oktaUser(`u${i}@acme.com`))).body.id);
      await d.scim('POST', '/Groups', { displayName: 'All', members: ids.map((value) => ({ value })) });
      const before = app.queries.count;
      const { directory } = await d.admin.data(`query($id: ID!) { directory(id: $id) { users(first: 50) { edges { node { id groups { name } } } } } }`, { id: d.directoryId });
      expect(directory.users.edges.every((e: { node: { groups: unknown[] } }) => e.node.groups.length === 1)).toBe(true);
      return app.queries.count - before;
    };
    expect(await count(20)).toBe(await count(2));
  });

  it('lists dsync events through the Events API', async () => {
    const d = await buildDirectorySetup(app);
    const started = new Date(Date.now() - 1000).toISOString();
    const ada = (await d.scim('POST', '/Users', oktaUser('ada@acme.com'))).body;
    const group = (await d.scim('POST', '/Groups', { displayName: 'Ops', members: [{ value: ada.id }] })).body;
    const list = await d.workos.events.listEvents({ events: ['dsync.user.created', 'dsync.group.user_added'], rangeStart: started, organizationId: d.org.id, order: 'asc' });
    expect(list.data.map((e) => e.event)).toEqual(['dsync.user.created', 'dsync.group.user_added']);
    expect(list.data[1]).toMatchObject({ data: { directoryId: d.directoryId, user: { id: ada.id }, group: { id: group.id } } });
    const all = await d.workos.events.listEvents({ events: ['dsync.activated'] });
    expect(all.data.map((e) => e.event)).toEqual(['dsync.activated']);
  });

  it('keeps every environment’s directories, users and groups to itself', async () => {
    const mine = await buildDirectorySetup(app);
    const theirs = await buildDirectorySetup(app);
    const user = (await theirs.scim('POST', '/Users', oktaUser('x@acme.com'))).body;
    const group = (await theirs.scim('POST', '/Groups', { displayName: 'X' })).body;
    await expect(mine.workos.directorySync.getDirectory(theirs.directoryId)).rejects.toMatchObject({ name: 'NotFoundException' });
    await expect(mine.workos.directorySync.deleteDirectory(theirs.directoryId)).rejects.toMatchObject({ name: 'NotFoundException' });
    await expect(mine.workos.directorySync.getUser(user.id)).rejects.toMatchObject({ name: 'NotFoundException' });
    await expect(mine.workos.directorySync.getGroup(group.id)).rejects.toMatchObject({ name: 'NotFoundException' });
    expect((await mine.workos.directorySync.listUsers({ directory: theirs.directoryId })).data).toEqual([]);
    expect((await mine.admin.error(`query($id: ID!) { directory(id: $id) { id } }`, { id: theirs.directoryId })).code).toBe('NOT_FOUND');
    expect((await mine.workos.events.listEvents({ events: ['dsync.user.created'], organizationId: theirs.org.id })).data).toEqual([]);
  });
});
