import { PASSWORD, buildUser, buildWorkspace, signedInClient, uniqueEmail } from '../helpers/factories';
import { GqlClient } from '../helpers/client';
import { startTestApp, type TestApp } from '../helpers/app';

const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { user { id email name theme } workspace { id name environments { kind clientId } } role permissions } }`;
const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) { user { email } role } }`;
const VIEWER = `{ viewer { user { email } workspace { id } role } }`;

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

const signUpInput = (overrides: Record<string, string> = {}) => ({ name: 'Grace Hopper', email: uniqueEmail('grace'), password: PASSWORD, workspaceName: 'Navy', ...overrides });

describe('signUp', () => {
  it('creates the user, an Admin seat, a workspace with Staging and Production, and a session cookie', async () => {
    const client = new GqlClient(app.url);
    // Unique per run: the test database outlives a run, and a fixed address is taken the second time.
    const tag = Math.random().toString(36).slice(2, 10);
    const input = signUpInput({ email: `  Grace.Hopper+${tag.toUpperCase()}@Example.COM ` });
    const { signUp } = await client.data(SIGN_UP, { input });
    expect(signUp.user).toMatchObject({ email: `grace.hopper+${tag}@example.com`, name: 'Grace Hopper', theme: 'SYSTEM' });
    expect(signUp.user.id).toMatch(/^user_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(signUp.role).toBe('ADMIN');
    expect(signUp.permissions).toContain('team:manage');
    expect(signUp.workspace.environments.map((e: { kind: string }) => e.kind)).toEqual(['STAGING', 'PRODUCTION']);
    expect(signUp.workspace.environments[0].clientId).toMatch(/^client_[0-9A-HJKMNP-TV-Z]{26}$/);
    const cookie = client.lastSetCookie.find((c) => c.startsWith('portico_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    const { viewer } = await client.data(VIEWER);
    expect(viewer.workspace.id).toBe(signUp.workspace.id);
  });

  it.each([
    ['name', { name: '' }, 'isNotEmpty'],
    ['email', { email: 'not-an-email' }, 'isEmail'],
    ['password', { password: 'short' }, 'passwordPolicy'],
    ['workspaceName', { workspaceName: '' }, 'isNotEmpty'],
  ])('refuses a bad %s, naming the field and the rule', async (field, overrides, rule) => {
    // Other test files sign up in parallel: look for this attempt's own rows, not at global counts.
    const input = signUpInput({ workspaceName: `Navy ${uniqueEmail('ws')}`, ...overrides });
    const error = await new GqlClient(app.url).error(SIGN_UP, { input });
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.details).toEqual([expect.objectContaining({ field, code: rule })]);
    expect(await app.db.query('SELECT id FROM workspaces WHERE name = $1 AND $1 <> \'\'', [input.workspaceName])).toEqual([]);
    expect(await app.db.query('SELECT id FROM dashboard_users WHERE email = lower($1)', [input.email])).toEqual([]);
  });

  it('rate-limits sign-ups per client IP, refused attempts included, and writes nothing for the refused one', async () => {
    const ip = `2001:db8:5::${Math.floor(Math.random() * 0xffff).toString(16)}`;
    const taken = await buildUser(app.db);
    await new GqlClient(app.url, { ip }).error(SIGN_UP, { input: signUpInput({ email: taken.email }) });
    for (let i = 0; i < 9; i += 1) await new GqlClient(app.url, { ip }).data(SIGN_UP, { input: signUpInput() });
    const refused = signUpInput();
    const limited = await new GqlClient(app.url, { ip }).error(SIGN_UP, { input: refused });
    expect(limited.code).toBe('RATE_LIMITED');
    expect(await app.db.query('SELECT 1 FROM dashboard_users WHERE email = $1', [refused.email])).toEqual([]);
    expect((await new GqlClient(app.url).data(SIGN_UP, { input: signUpInput() })).signUp.role).toBe('ADMIN');
  });

  it('refuses a password that contains the email address', async () => {
    const error = await new GqlClient(app.url).error(SIGN_UP, { input: signUpInput({ email: 'marguerite@example.com', password: 'marguerite-is-my-name' }) });
    expect(error.details).toEqual([expect.objectContaining({ field: 'password', code: 'passwordPolicy', message: expect.stringMatching(/email/) })]);
  });

  it('reports every bad field at once', async () => {
    const error = await new GqlClient(app.url).error(SIGN_UP, { input: signUpInput({ name: '', email: 'x', password: 'x' }) });
    expect(error.details.map((d) => d.field).sort()).toEqual(['email', 'name', 'password']);
  });

  it('refuses an email that already has an account, whatever its case, without a half-written workspace', async () => {
    const user = await buildUser(app.db);
    const input = signUpInput({ email: user.email.toUpperCase(), workspaceName: `Navy ${uniqueEmail('ws')}` });
    const error = await new GqlClient(app.url).error(SIGN_UP, { input });
    expect(error.code).toBe('CONFLICT');
    expect(error.details).toEqual([expect.objectContaining({ field: 'email' })]);
    expect(await app.db.query('SELECT id FROM workspaces WHERE name = $1', [input.workspaceName])).toEqual([]);
  });
});

describe('signIn and signOut', () => {
  it('signs in with the right password and out again; the old cookie then stops working', async () => {
    const { admin } = await buildWorkspace(app.db);
    const client = new GqlClient(app.url);
    const { signIn } = await client.data(SIGN_IN, { input: { email: admin.email, password: PASSWORD } });
    expect(signIn).toEqual({ user: { email: admin.email }, role: 'ADMIN' });
    const oldCookie = client.cookie;
    expect(await client.data(`mutation { signOut }`)).toEqual({ signOut: true });
    expect(client.cookie).toBeUndefined();
    const replay = new GqlClient(app.url, { cookie: oldCookie });
    expect((await replay.data(VIEWER)).viewer).toBeNull();
  });

  it('answers a wrong password and an unknown email the same way', async () => {
    const user = await buildUser(app.db);
    const wrong = await new GqlClient(app.url).error(SIGN_IN, { input: { email: user.email, password: 'not the password at all' } });
    const unknown = await new GqlClient(app.url).error(SIGN_IN, { input: { email: uniqueEmail('nobody'), password: PASSWORD } });
    expect(wrong.code).toBe('UNAUTHENTICATED');
    expect(unknown).toMatchObject({ code: wrong.code, message: wrong.message });
  });

  it('rate-limits attempts per email, even from many addresses, and the right password then waits too', async () => {
    const user = await buildUser(app.db);
    for (let i = 0; i < 10; i += 1) {
      expect((await new GqlClient(app.url).error(SIGN_IN, { input: { email: user.email, password: 'wrong password here' } })).code).toBe('UNAUTHENTICATED');
    }
    const limited = await new GqlClient(app.url).error(SIGN_IN, { input: { email: user.email, password: PASSWORD } });
    expect(limited.code).toBe('RATE_LIMITED');
  });

  it('rate-limits attempts per client IP across emails', async () => {
    const ip = '2001:db8::dead:beef';
    for (let i = 0; i < 50; i += 1) {
      await new GqlClient(app.url, { ip }).error(SIGN_IN, { input: { email: uniqueEmail('spray'), password: 'guess guess guess' } });
    }
    const user = await buildUser(app.db);
    expect((await new GqlClient(app.url, { ip }).error(SIGN_IN, { input: { email: user.email, password: PASSWORD } })).code).toBe('RATE_LIMITED');
    expect((await new GqlClient(app.url).data(SIGN_IN, { input: { email: user.email, password: PASSWORD } })).signIn.user.email).toBe(user.email);
  });

  it('refuses an empty password with the field named', async () => {
    const error = await new GqlClient(app.url).error(SIGN_IN, { input: { email: 'a@b.co', password: '' } });
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', details: [expect.objectContaining({ field: 'password' })] });
  });
});

describe('sessions', () => {
  it('shows a signed-out visitor as a null viewer and refuses protected operations with UNAUTHENTICATED', async () => {
    const anonymous = new GqlClient(app.url);
    expect((await anonymous.data(VIEWER)).viewer).toBeNull();
    expect((await anonymous.error(`mutation { updateTheme(theme: DARK) { id } }`)).code).toBe('UNAUTHENTICATED');
  });

  it('ignores a forged session cookie', async () => {
    const forged = new GqlClient(app.url, { cookie: 'portico_session=forged-token-value' });
    expect((await forged.data(VIEWER)).viewer).toBeNull();
  });

  it('refuses a form-encoded cross-site POST (Apollo CSRF prevention)', async () => {
    const { admin, workspace } = await buildWorkspace(app.db);
    const client = await signedInClient(app.db, app.url, admin, workspace.id);
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: client.cookie! },
      body: 'query=mutation%20%7B%20signOut%20%7D',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF/i);
    expect((await client.data(VIEWER)).viewer).not.toBeNull();
  });

  it('switches between the viewer’s workspaces, and refuses one they do not belong to as NOT_FOUND', async () => {
    const first = await buildWorkspace(app.db);
    const second = await buildWorkspace(app.db, { admin: first.admin, name: 'Second' });
    const stranger = await buildWorkspace(app.db);
    const client = await signedInClient(app.db, app.url, first.admin, first.workspace.id);
    const SWITCH = `mutation($id: ID!) { switchWorkspace(workspaceId: $id) { workspace { id } workspaces { workspace { id } } } }`;
    const { switchWorkspace } = await client.data(SWITCH, { id: second.workspace.id });
    expect(switchWorkspace.workspace.id).toBe(second.workspace.id);
    expect(switchWorkspace.workspaces).toHaveLength(2);
    expect((await client.data(VIEWER)).viewer.workspace.id).toBe(second.workspace.id);
    expect((await client.error(SWITCH, { id: stranger.workspace.id })).code).toBe('NOT_FOUND');
  });
});
