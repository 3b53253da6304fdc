import { startTestApp, type TestApp } from '../helpers/app';
import { buildPortalSetup, PortalBrowser } from '../helpers/portal';
import { ENTERPRISE, entraUser, oktaUser } from '../helpers/scim';

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

const DEPARTMENT = `${ENTERPRISE}.department`;
const CREATE_ATTRIBUTE = `mutation($input: CreateCustomAttributeInput!) { createCustomAttribute(input: $input) { id key } }`;

/** The identity provider's side: SCIM requests to the URL and token the IT admin copied from the portal. */
function scimClient(baseUrl: string, token: string) {
  const local = (url: string) => url.replace('http://portico.test', app.url);
  return async (method: string, path: string, body?: unknown, bearer = token) => {
    const res = await fetch(`${local(baseUrl)}${path}`, {
      method, headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/scim+json', accept: 'application/scim+json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
}

const actionsOf = async (orgId: string) => (await app.db.query('SELECT action FROM portal_actions WHERE organization_id = $1 ORDER BY id', [orgId])).map((r: { action: string }) => r.action);

describe('the Admin Portal’s Directory Sync intent through the official SDK', () => {
  it('generateLink(dsync) → pick Okta → token shown once → SCIM provisions users and groups → the portal shows them → map an attribute → rotate → complete', async () => {
    const { workos, org, admin: dashboard, environment } = await buildPortalSetup(app);
    const { createCustomAttribute: department } = await dashboard.data(CREATE_ATTRIBUTE, { input: { environmentId: environment.id, key: 'department', label: 'Department' } });
    const { link } = await workos.adminPortal.generateLink({ intent: 'dsync' as never, organization: org.id, returnUrl: 'https://app.example.com/settings', successUrl: 'https://app.example.com/dsync-done' });

    const itAdmin = new PortalBrowser(app);
    expect(await itAdmin.open(link)).toMatchObject({ status: 303, location: '/portal/dsync' });
    expect((await itAdmin.api('GET', '/session')).body).toMatchObject({ intent: 'dsync', organization: { id: org.id } });
    expect((await itAdmin.api('GET', '/dsync')).body).toEqual({ directory: null });
    // Nothing to finish before a provider is chosen.
    expect((await itAdmin.api('POST', '/complete', {})).body).toMatchObject({ errors: [{ field: 'provider', code: 'choose_provider_first' }] });

    const chosen = await itAdmin.api('POST', '/dsync/provider', { provider: 'okta' });
    expect(chosen.status).toBe(200);
    const token = chosen.body.token as string;
    expect(token).toMatch(/^scim_[A-Za-z0-9]{48}$/);
    const directoryId = chosen.body.directory.id as string;
    expect(chosen.body.directory).toMatchObject({ name: 'Acme Okta', provider: 'okta', type: 'okta scim v2.0', state: 'unlinked', tokenLastFour: token.slice(-4), providerLocked: false, scimBaseUrl: `http://portico.test/scim/v2/${directoryId}` });
    expect(chosen.body.counts).toEqual({ users: 0, activeUsers: 0, groups: 0 });
    expect(chosen.body.customAttributes).toEqual([{ id: department.id, key: 'department', label: 'Department', type: 'string', path: null }]);

    // Shown once: reading the setup again, or picking the same provider again, never returns it.
    const again = await itAdmin.api('GET', '/dsync');
    expect(again.body.directory.id).toBe(directoryId);
    expect(again.body).not.toHaveProperty('token');
    expect(JSON.stringify(again.body)).not.toContain(token);
    expect((await itAdmin.api('POST', '/dsync/provider', { provider: 'okta' })).body).not.toHaveProperty('token');
    // Reopening the portal with a new link shows the same directory, not a second one.
    const reopened = new PortalBrowser(app);
    await reopened.open((await workos.adminPortal.generateLink({ intent: 'dsync' as never, organization: org.id })).link);
    expect((await reopened.api('GET', '/dsync')).body.directory.id).toBe(directoryId);
    expect((await reopened.api('POST', '/dsync/provider', { provider: 'okta' })).body).not.toHaveProperty('token');
    expect((await workos.directorySync.listDirectories({ organizationId: org.id })).data.map((d) => d.id)).toEqual([directoryId]);

    // Not finished until users arrive.
    expect((await itAdmin.api('POST', '/complete', {})).body).toMatchObject({ code: 'bad_user_input', errors: [{ field: 'directory', code: 'no_users_yet' }] });

    // Okta provisions with the URL and token the admin copied.
    const scim = scimClient(chosen.body.directory.scimBaseUrl, token);
    const ada = await scim('POST', '/Users', oktaUser('ada@acme.com', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE], [ENTERPRISE]: { department: 'Research' } }));
    expect(ada.status).toBe(201);
    const bob = await scim('POST', '/Users', oktaUser('bob@acme.com', { name: { givenName: 'Bob', familyName: 'Byte' } }));
    expect((await scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Engineering', members: [{ value: ada.body.id }] })).status).toBe(201);
    await scim('PATCH', `/Users/${bob.body.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] });

    const live = (await itAdmin.api('GET', '/dsync')).body;
    expect(live.directory).toMatchObject({ state: 'linked', providerLocked: true });
    expect(live.counts).toEqual({ users: 2, activeUsers: 1, groups: 1 });
    expect(live.users.map((u: { email: string; state: string; groups: string[] }) => [u.email, u.state, u.groups])).toEqual([['bob@acme.com', 'inactive', []], ['ada@acme.com', 'active', ['Engineering']]]);
    expect(live.groups).toEqual([expect.objectContaining({ name: 'Engineering', members: 1 })]);
    expect(live.rawAttributePaths).toEqual(expect.arrayContaining([{ path: DEPARTMENT, sample: 'Research', users: 1 }]));

    // The custom attribute: a path the users don't carry is refused in words; a real one maps every user.
    const wrong = await itAdmin.api('PUT', `/dsync/attributes/${department.id}`, { path: `${ENTERPRISE}.costCenter` });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors[0]).toMatchObject({ field: 'path', code: 'path_not_in_raw_data' });
    const mapped = await itAdmin.api('PUT', `/dsync/attributes/${department.id}`, { path: DEPARTMENT });
    expect(mapped.body.customAttributes).toEqual([expect.objectContaining({ key: 'department', path: DEPARTMENT })]);
    expect((await workos.directorySync.getUser(ada.body.id)).customAttributes).toEqual({ department: 'Research' });

    // Once the provider has sent users, the provider can't be switched from the portal.
    expect((await itAdmin.api('POST', '/dsync/provider', { provider: 'entra' })).body.errors[0]).toMatchObject({ field: 'provider', code: 'provider_locked' });

    // Rotate: the new token is shown once, the old one is refused at once.
    const rotated = await itAdmin.api('POST', '/dsync/token', {});
    const newToken = rotated.body.token as string;
    expect(newToken).toMatch(/^scim_/);
    expect(newToken).not.toBe(token);
    expect(rotated.body.directory.tokenLastFour).toBe(newToken.slice(-4));
    expect((await scim('GET', '/Users')).status).toBe(401);
    expect((await scim('GET', '/Users', undefined, newToken)).status).toBe(200);
    expect((await itAdmin.api('GET', '/dsync')).body).not.toHaveProperty('token');

    expect((await itAdmin.api('POST', '/complete', {})).body).toEqual({ completed: true, redirectUrl: 'https://app.example.com/dsync-done' });
    expect(await actionsOf(org.id)).toEqual([
      'link_generated', 'link_opened', 'directory_created', 'link_generated', 'link_opened', 'attribute_mapped', 'directory_token_rotated', 'setup_completed',
    ]);
    const [created] = await app.db.query(`SELECT detail FROM portal_actions WHERE organization_id = $1 AND action = 'directory_created'`, [org.id]);
    expect(created.detail).toEqual({ directoryId, provider: 'okta', type: 'okta scim v2.0' });
  });

  it('switches provider while nothing has arrived (Google Workspace keeps its own steps though it is generic SCIM), keeping the token, until the provider has connected', async () => {
    const { workos, org } = await buildPortalSetup(app, 'Globex');
    const itAdmin = new PortalBrowser(app);
    await itAdmin.open((await workos.adminPortal.generateLink({ intent: 'dsync' as never, organization: org.id })).link);
    const first = (await itAdmin.api('POST', '/dsync/provider', { provider: 'google' })).body;
    expect(first.directory).toMatchObject({ provider: 'google', type: 'generic scim v2.0', name: 'Globex Google Workspace' });
    expect((await itAdmin.api('GET', '/dsync')).body.directory.provider).toBe('google');
    const switched = (await itAdmin.api('POST', '/dsync/provider', { provider: 'entra' })).body;
    expect(switched).not.toHaveProperty('token');
    expect(switched.directory).toMatchObject({ id: first.directory.id, provider: 'entra', type: 'azure scim v2.0', name: 'Globex Microsoft Entra ID', tokenLastFour: first.token.slice(-4) });
    // A provider that only knocked with a rotated-out token sent nothing: it can still be switched.
    const rotated = (await itAdmin.api('POST', '/dsync/token', {})).body;
    expect((await scimClient(first.directory.scimBaseUrl, first.token)('GET', '/Users')).status).toBe(401);
    expect((await itAdmin.api('GET', '/dsync')).body.directory).toMatchObject({ state: 'invalid_credentials', providerLocked: false });
    expect((await itAdmin.api('POST', '/dsync/provider', { provider: 'okta' })).status).toBe(200);
    expect((await itAdmin.api('POST', '/dsync/provider', { provider: 'entra' })).body.directory).toMatchObject({ provider: 'entra', tokenLastFour: rotated.token.slice(-4) });
    // The new token provisions, now as Entra ID, and that connection locks the provider.
    const scim = scimClient(first.directory.scimBaseUrl, rotated.token);
    expect((await scim('POST', '/Users', entraUser('grace@acme.com'))).status).toBe(201);
    const after = (await itAdmin.api('GET', '/dsync')).body;
    expect(after.users[0]).toMatchObject({ email: 'grace@acme.com', firstName: 'Grace', state: 'active' });
    expect(after.directory).toMatchObject({ state: 'linked', providerLocked: true });
    expect((await itAdmin.api('POST', '/dsync/provider', { provider: 'okta' })).body.errors[0]).toMatchObject({ code: 'provider_locked', message: 'Microsoft Entra ID is already connected to this directory. To switch providers, ask the application team.' });
    expect(await actionsOf(org.id)).toEqual(['link_generated', 'link_opened', 'directory_created', 'directory_provider_changed', 'directory_token_rotated', 'directory_provider_changed', 'directory_provider_changed']);
  });

  it('creates one directory when two tabs pick a provider at the same moment, and shows its token to one of them', async () => {
    const { workos, org } = await buildPortalSetup(app, 'Initech');
    const itAdmin = new PortalBrowser(app);
    await itAdmin.open((await workos.adminPortal.generateLink({ intent: 'dsync' as never, organization: org.id })).link);
    // Make the race certain: inserts into directories wait (reads don't) until every tab has looked for the directory.
    const blocker = app.db.createQueryRunner();
    await blocker.connect();
    await blocker.startTransaction();
    await blocker.query('LOCK TABLE directories IN SHARE MODE');
    const pending = Promise.all([1, 2, 3, 4].map(() => itAdmin.api('POST', '/dsync/provider', { provider: 'jumpcloud' })));
    await new Promise((r) => setTimeout(r, 1500));
    await blocker.commitTransaction();
    await blocker.release();
    const answers = await pending;
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(answers.filter((a) => a.body.token).length).toBe(1);
    expect(new Set(answers.map((a) => a.body.directory.id)).size).toBe(1);
    const [{ n }] = await app.db.query('SELECT count(*)::int AS n FROM directories WHERE organization_id = $1', [org.id]);
    expect(n).toBe(1);
  });

  it('says what is wrong with bad input, in the admin’s words', async () => {
    const { workos, org } = await buildPortalSetup(app, 'Umbrella');
    const itAdmin = new PortalBrowser(app);
    await itAdmin.open((await workos.adminPortal.generateLink({ intent: 'dsync' as never, organization: org.id })).link);
    expect((await itAdmin.api('POST', '/dsync/token', {})).body).toMatchObject({ errors: [{ field: 'provider', code: 'choose_provider_first', message: 'Choose your directory provider first.' }] });
    for (const provider of ['myspace', '__proto__', 'toString', 42, null]) {
      const refused = await itAdmin.api('POST', '/dsync/provider', { provider });
      expect(refused.status).toBe(422);
      expect(refused.body.errors[0]).toMatchObject({ field: 'provider', code: 'invalid_provider' });
      expect(refused.body.errors[0].message).toContain('okta, entra, google, onelogin, jumpcloud, generic');
    }
    await itAdmin.api('POST', '/dsync/provider', { provider: 'onelogin' });
    expect((await itAdmin.api('PUT', '/dsync/attributes/nope', { path: 42 })).body.errors[0]).toMatchObject({ field: 'path', code: 'invalid_path' });
    expect((await itAdmin.api('PUT', '/dsync/attributes/nope', { path: 'title' })).status).toBe(404);
  });
});
