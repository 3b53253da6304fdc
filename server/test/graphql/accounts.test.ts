import { PASSWORD, buildUser, buildWorkspace, signedInClient, uniqueEmail } from '../helpers/factories';
import { GqlClient } from '../helpers/client';
import { startTestApp, type TestApp } from '../helpers/app';

const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) { user { email } role } }`;
const VIEWER = `{ viewer { user { email } workspace { id } role } }`;

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

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

  it('answers a wrong password and an unknown email with the same status, body and no cookie', async () => {
    const user = await buildUser(app.db);
    const attempt = async (email: string, password: string) => {
      const res = await fetch(`${app.url}/graphql`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': new GqlClient(app.url).ip },
        body: JSON.stringify({ query: SIGN_IN, variables: { input: { email, password } } }),
      });
      return { status: res.status, setCookie: res.headers.getSetCookie(), body: await res.json() };
    };
    const wrong = await attempt(user.email, 'not the password at all');
    const unknown = await attempt(uniqueEmail('nobody'), PASSWORD);
    expect(wrong.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(unknown).toEqual(wrong);
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
