import { PASSWORD, buildUser, confirmationTokenFor, uniqueEmail } from '../helpers/factories';
import { GqlClient } from '../helpers/client';
import { startTestApp, type TestApp } from '../helpers/app';
import { setLogLevel } from '../../src/lib/logger';
import { purgeExpiredSignUps } from '../../src/modules/sign-ups/sign-ups.service';
import * as password from '../../src/modules/accounts/password';

const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { email linkValidForHours } }`;
const CONFIRM = `mutation($token: String!, $password: String!) { confirmSignUp(token: $token, password: $password) { user { id email name theme } workspace { id name environments { kind clientId } } role permissions } }`;
const VIEWER = `{ viewer { user { email } workspace { id } role } }`;

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

const signUpInput = (overrides: Record<string, string> = {}) => ({ name: 'Grace Hopper', email: uniqueEmail('grace'), password: PASSWORD, workspaceName: `Navy ${uniqueEmail('ws')}`, ...overrides });
const mailTo = (email: string): Promise<{ subject: string; text_body: string; workspace_id: string | null }[]> =>
  app.db.query('SELECT subject, text_body, workspace_id FROM outbox_messages WHERE to_address = $1 ORDER BY id', [email]);

/** The raw HTTP answer, so headers (a session cookie) and the whole body can be compared. */
async function rawSignUp(input: Record<string, string>) {
  const res = await fetch(`${app.url}/graphql`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': new GqlClient(app.url).ip }, body: JSON.stringify({ query: SIGN_UP, variables: { input } }),
  });
  return { status: res.status, setCookie: res.headers.getSetCookie(), body: await res.json() };
}

describe('signUp never says whether an account exists', () => {
  it('answers an address with an account exactly as a new one, creating nothing, and tells the owner someone tried', async () => {
    const owner = await buildUser(app.db);
    const fresh = uniqueEmail('fresh');
    const existing = await rawSignUp(signUpInput({ email: owner.email.toUpperCase() }));
    const created = await rawSignUp(signUpInput({ email: fresh.toUpperCase() }));
    // The only difference is the address the caller typed, echoed back normalized.
    expect(existing.status).toBe(created.status);
    expect(existing.setCookie).toEqual(created.setCookie);
    expect(existing.body).toEqual({ data: { signUp: { email: owner.email, linkValidForHours: 24 } } });
    expect(JSON.stringify(created.body).replace(fresh, owner.email)).toBe(JSON.stringify(existing.body));
    expect(existing.setCookie.filter((c) => c.startsWith('portico_session='))).toEqual([]);
    expect(await app.db.query('SELECT 1 FROM dashboard_users WHERE email = $1', [fresh])).toEqual([]);

    const [attempt, ...more] = await mailTo(owner.email);
    expect(more).toEqual([]);
    expect(attempt).toMatchObject({ subject: 'Someone tried to sign up for Portico with your email address', workspace_id: null });
    expect(attempt!.text_body).toMatch(/If it was you, sign in instead: http:\/\/portico\.test\/dashboard\/sign-in/);
    expect(attempt!.text_body).not.toMatch(/token=/);
    expect(await app.db.query('SELECT 1 FROM pending_sign_ups WHERE email = $1', [owner.email])).toEqual([]);

    const [confirmation] = await mailTo(fresh);
    expect(confirmation).toMatchObject({ subject: 'Confirm your email to finish creating your Portico account', workspace_id: null });
    expect(confirmation!.text_body).toMatch(/http:\/\/portico\.test\/dashboard\/confirm-sign-up\?token=[A-Za-z0-9_-]{43}\n/);
    expect(confirmation!.text_body).toMatch(/enter the password you chose/);
  });

  it('does the same expensive work either way: one password hash and one email per sign-up, taken address or not', async () => {
    const owner = await buildUser(app.db);
    const fresh = uniqueEmail('fresh');
    const hash = jest.spyOn(password, 'hashPassword');
    try {
      await new GqlClient(app.url).data(SIGN_UP, { input: signUpInput({ email: owner.email }) });
      expect(hash).toHaveBeenCalledTimes(1);
      await new GqlClient(app.url).data(SIGN_UP, { input: signUpInput({ email: fresh }) });
      expect(hash).toHaveBeenCalledTimes(2);
      expect([(await mailTo(owner.email)).length, (await mailTo(fresh)).length]).toEqual([1, 1]);
    } finally {
      hash.mockRestore();
    }
  });

  it('keeps only a hash of the link’s token', async () => {
    const input = signUpInput();
    await new GqlClient(app.url).data(SIGN_UP, { input });
    const token = await confirmationTokenFor(app.db, input.email);
    const rows: { token_hash: string; password_hash: string }[] = await app.db.query('SELECT token_hash, password_hash FROM pending_sign_ups WHERE email = $1', [input.email]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).not.toContain(token);
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('prints the link on the console when there is no mail server, a line for a taken address too', async () => {
    const owner = await buildUser(app.db);
    const input = signUpInput();
    const printed: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { printed.push(String(chunk)); return true; });
    setLogLevel('info');
    try {
      await new GqlClient(app.url).data(SIGN_UP, { input });
      await new GqlClient(app.url).data(SIGN_UP, { input: signUpInput({ email: owner.email }) });
    } finally {
      setLogLevel('silent');
      write.mockRestore();
    }
    const token = await confirmationTokenFor(app.db, input.email);
    expect(printed.filter((l) => l.includes(input.email))).toEqual([
      `  [no SMTP_URL] Sign-up confirmation link for ${input.email} (valid 24 h): http://portico.test/dashboard/confirm-sign-up?token=${token}\n`,
    ]);
    expect(printed.filter((l) => l.includes(owner.email))).toEqual([
      `  [no SMTP_URL] Sign-up attempted for ${owner.email}, which already has an account: no link was made; sign in instead.\n`,
    ]);
  });

  it.each([
    ['name', { name: '' }, 'isNotEmpty'],
    ['email', { email: 'not-an-email' }, 'isEmail'],
    ['password', { password: 'short' }, 'passwordPolicy'],
    ['workspaceName', { workspaceName: '' }, 'isNotEmpty'],
  ])('refuses a bad %s at once, naming the field and the rule', async (field, overrides, rule) => {
    const input = signUpInput(overrides);
    const error = await new GqlClient(app.url).error(SIGN_UP, { input });
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.details).toEqual([expect.objectContaining({ field, code: rule })]);
    expect(await app.db.query('SELECT 1 FROM pending_sign_ups WHERE lower(email) = lower($1)', [input.email])).toEqual([]);
    expect(await mailTo(input.email.toLowerCase())).toEqual([]);
  });

  it('refuses a password that contains the email address, for a taken address as for a new one', async () => {
    const owner = await buildUser(app.db, { email: `marguerite-${uniqueEmail('m')}` });
    for (const email of [owner.email, uniqueEmail('marguerite')]) {
      const error = await new GqlClient(app.url).error(SIGN_UP, { input: signUpInput({ email, password: `${email.split('@')[0]}-is-my-name` }) });
      expect(error.details).toEqual([expect.objectContaining({ field: 'password', code: 'passwordPolicy', message: expect.stringMatching(/email/) })]);
    }
  });

  it('reports every bad field at once', async () => {
    const error = await new GqlClient(app.url).error(SIGN_UP, { input: signUpInput({ name: '', email: 'x', password: 'x' }) });
    expect(error.details.map((d) => d.field).sort()).toEqual(['email', 'name', 'password']);
  });

  it('rate-limits sign-ups per client IP, taken-address attempts included, sending nothing for the refused one', async () => {
    const ip = `2001:db8:5::${Math.floor(Math.random() * 0xffff).toString(16)}`;
    const taken = await buildUser(app.db);
    await new GqlClient(app.url, { ip }).data(SIGN_UP, { input: signUpInput({ email: taken.email }) });
    for (let i = 0; i < 9; i += 1) await new GqlClient(app.url, { ip }).data(SIGN_UP, { input: signUpInput() });
    const refused = signUpInput();
    const limited = await new GqlClient(app.url, { ip }).error(SIGN_UP, { input: refused });
    expect(limited.code).toBe('RATE_LIMITED');
    expect(await app.db.query('SELECT 1 FROM pending_sign_ups WHERE email = $1', [refused.email])).toEqual([]);
    expect(await mailTo(refused.email)).toEqual([]);
    expect((await new GqlClient(app.url).data(SIGN_UP, { input: signUpInput() })).signUp.linkValidForHours).toBe(24);
  });

  it('rate-limits sign-ups per email, alike for a taken and a new address, so nobody is mail-bombed', async () => {
    const taken = await buildUser(app.db);
    const fresh = uniqueEmail('bomb');
    for (const email of [taken.email, fresh]) {
      for (let i = 0; i < 5; i += 1) await new GqlClient(app.url).data(SIGN_UP, { input: signUpInput({ email }) });
      expect((await new GqlClient(app.url).error(SIGN_UP, { input: signUpInput({ email }) })).code).toBe('RATE_LIMITED');
      expect(await mailTo(email)).toHaveLength(5);
    }
  });
});

describe('confirmSignUp', () => {
  async function requested(overrides: Record<string, string> = {}) {
    const input = signUpInput(overrides);
    await new GqlClient(app.url).data(SIGN_UP, { input });
    return { input, token: await confirmationTokenFor(app.db, input.email.trim().toLowerCase()) };
  }

  it('creates the user, a workspace with Staging and Production, the Admin seat and a session, from the emailed link', async () => {
    const tag = Math.random().toString(36).slice(2, 10);
    const { input, token } = await requested({ email: `  Grace.Hopper+${tag.toUpperCase()}@Example.COM ` });
    const client = new GqlClient(app.url);
    const { confirmSignUp } = await client.data(CONFIRM, { token, password: PASSWORD });
    expect(confirmSignUp.user).toMatchObject({ email: `grace.hopper+${tag}@example.com`, name: 'Grace Hopper', theme: 'SYSTEM' });
    expect(confirmSignUp.user.id).toMatch(/^user_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(confirmSignUp.workspace.name).toBe(input.workspaceName);
    expect(confirmSignUp.role).toBe('ADMIN');
    expect(confirmSignUp.permissions).toContain('team:manage');
    expect(confirmSignUp.workspace.environments.map((e: { kind: string }) => e.kind)).toEqual(['STAGING', 'PRODUCTION']);
    expect(confirmSignUp.workspace.environments[0].clientId).toMatch(/^client_[0-9A-HJKMNP-TV-Z]{26}$/);
    const cookie = client.lastSetCookie.find((c) => c.startsWith('portico_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect((await client.data(VIEWER)).viewer.workspace.id).toBe(confirmSignUp.workspace.id);
    // The password typed at sign-up is the one that signs in.
    const signIn = await new GqlClient(app.url).data(`mutation($input: SignInInput!) { signIn(input: $input) { user { email } } }`, { input: { email: input.email, password: PASSWORD } });
    expect(signIn.signIn.user.email).toBe(`grace.hopper+${tag}@example.com`);
  });

  it('refuses a link used once already, creating nothing more', async () => {
    const { input, token } = await requested();
    await new GqlClient(app.url).data(CONFIRM, { token, password: PASSWORD });
    const again = await new GqlClient(app.url).error(CONFIRM, { token, password: PASSWORD });
    expect(again).toMatchObject({ code: 'FORBIDDEN', reason: 'sign_up_link_used', message: 'This sign-up link was already used. Sign in instead.' });
    expect(await app.db.query('SELECT id FROM workspaces WHERE name = $1', [input.workspaceName])).toHaveLength(1);
  });

  it('refuses an expired link, creating nothing', async () => {
    const { input, token } = await requested();
    await app.db.query(`UPDATE pending_sign_ups SET expires_at = now() - interval '1 second' WHERE email = $1`, [input.email]);
    const error = await new GqlClient(app.url).error(CONFIRM, { token, password: PASSWORD });
    expect(error).toMatchObject({ code: 'FORBIDDEN', reason: 'sign_up_link_expired', message: 'This sign-up link has expired. Sign up again to get a new one.' });
    expect(await app.db.query('SELECT 1 FROM dashboard_users WHERE email = $1', [input.email])).toEqual([]);
  });

  it('refuses a forged link as not found', async () => {
    const { token } = await requested();
    for (const forged of [`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, 'x', '']) {
      const error = await new GqlClient(app.url).error(CONFIRM, { token: forged, password: PASSWORD });
      expect(error).toMatchObject({ code: 'NOT_FOUND', message: 'Sign-up link not found' });
    }
  });

  it('re-checks the address: taken since the link was sent, it refuses and leaves no half-made workspace', async () => {
    const { input, token } = await requested();
    await buildUser(app.db, { email: input.email });
    const client = new GqlClient(app.url);
    const error = await client.error(CONFIRM, { token, password: PASSWORD });
    expect(error).toMatchObject({ code: 'CONFLICT', details: [expect.objectContaining({ field: 'email' })] });
    expect(await app.db.query('SELECT id FROM workspaces WHERE name = $1', [input.workspaceName])).toEqual([]);
    expect(client.cookie).toBeUndefined();
    expect(await app.db.query('SELECT confirmed_at FROM pending_sign_ups WHERE email = $1', [input.email])).toEqual([{ confirmed_at: null }]);
  });

  it('of two links for one address, the first confirmed wins and the second is refused', async () => {
    const email = uniqueEmail('twice');
    const first = await requested({ email });
    await new GqlClient(app.url).data(SIGN_UP, { input: signUpInput({ email }) });
    const second = await confirmationTokenFor(app.db, email);
    expect(second).not.toBe(first.token);
    await new GqlClient(app.url).data(CONFIRM, { token: first.token, password: PASSWORD });
    expect((await new GqlClient(app.url).error(CONFIRM, { token: second, password: PASSWORD })).code).toBe('CONFLICT');
    expect(await app.db.query('SELECT 1 FROM dashboard_users WHERE email = $1', [email])).toHaveLength(1);
  });

  it('is forgotten a day after its link expired, by housekeeping', async () => {
    const { input, token } = await requested();
    await app.db.query(`UPDATE pending_sign_ups SET expires_at = now() - interval '23 hours' WHERE email = $1`, [input.email]);
    await purgeExpiredSignUps(app.db);
    expect((await new GqlClient(app.url).error(CONFIRM, { token, password: PASSWORD })).reason).toBe('sign_up_link_expired');
    await app.db.query(`UPDATE pending_sign_ups SET expires_at = now() - interval '25 hours' WHERE email = $1`, [input.email]);
    await purgeExpiredSignUps(app.db);
    expect(await app.db.query('SELECT 1 FROM pending_sign_ups WHERE email = $1', [input.email])).toEqual([]);
    expect((await new GqlClient(app.url).error(CONFIRM, { token, password: PASSWORD })).code).toBe('NOT_FOUND');
  });
});

describe('confirmSignUp asks for the password chosen at sign-up (no account pre-hijacking)', () => {
  async function requested(overrides: Record<string, string> = {}) {
    const input = signUpInput(overrides);
    await new GqlClient(app.url).data(SIGN_UP, { input });
    return { input, token: await confirmationTokenFor(app.db, input.email.trim().toLowerCase()) };
  }
  const WRONG = 'the victim typed their own password';
  const createdFor = async (email: string, workspaceName: string) => ({
    users: await app.db.query('SELECT 1 FROM dashboard_users WHERE email = $1', [email]),
    workspaces: await app.db.query('SELECT 1 FROM workspaces WHERE name = $1', [workspaceName]),
  });

  it('refuses the link with a wrong password, naming the field, and creates no user, workspace or session', async () => {
    // An attacker signed up with the victim's address and a password of their own; the victim opens the link.
    const { input, token } = await requested();
    const victim = new GqlClient(app.url);
    const error = await victim.error(CONFIRM, { token, password: WRONG });
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', details: [{ field: 'password', code: 'wrong_password', message: "This isn't the password you chose when you signed up" }] });
    expect(await createdFor(input.email, input.workspaceName)).toEqual({ users: [], workspaces: [] });
    expect(victim.cookie).toBeUndefined();
    expect(await app.db.query('SELECT wrong_passwords, confirmed_at FROM pending_sign_ups WHERE email = $1', [input.email])).toEqual([{ wrong_passwords: 1, confirmed_at: null }]);
    // An empty password is a field error too, and is not counted.
    expect(await victim.error(CONFIRM, { token, password: '' })).toMatchObject({ code: 'BAD_USER_INPUT', details: [expect.objectContaining({ field: 'password', code: 'required' })] });
    // The one who signed up still can: the wrong guess cost a try, not the link.
    await new GqlClient(app.url).data(CONFIRM, { token, password: PASSWORD });
    expect((await createdFor(input.email, input.workspaceName)).users).toHaveLength(1);
  });

  it('voids the link after 5 wrong passwords: the right one is then refused too, and nothing is created', async () => {
    const { input, token } = await requested();
    for (let i = 0; i < 5; i += 1) {
      expect((await new GqlClient(app.url).error(CONFIRM, { token, password: `${WRONG} ${i}` })).details[0].code).toBe('wrong_password');
    }
    const error = await new GqlClient(app.url).error(CONFIRM, { token, password: PASSWORD });
    expect(error).toMatchObject({ code: 'FORBIDDEN', reason: 'sign_up_link_void', message: 'This sign-up link no longer works: a wrong password was entered too many times. Sign up again to get a new one.' });
    expect(await createdFor(input.email, input.workspaceName)).toEqual({ users: [], workspaces: [] });
  });

  it('counts parallel wrong guesses one by one: no more than 5 get checked', async () => {
    const { token } = await requested();
    const verify = jest.spyOn(password, 'verifyPassword');
    try {
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => new GqlClient(app.url).error(CONFIRM, { token, password: `${WRONG} ${i}` })));
      expect(answers.filter((a) => a.code === 'BAD_USER_INPUT')).toHaveLength(5);
      expect(answers.filter((a) => a.reason === 'sign_up_link_void')).toHaveLength(3);
      expect(verify).toHaveBeenCalledTimes(5);
    } finally {
      verify.mockRestore();
    }
  });

  it('with the right password creates the account, which then signs in with it', async () => {
    const { input, token } = await requested();
    const client = new GqlClient(app.url);
    expect((await client.data(CONFIRM, { token, password: PASSWORD })).confirmSignUp.user.email).toBe(input.email);
    expect((await client.data(VIEWER)).viewer.user.email).toBe(input.email);
    const signIn = await new GqlClient(app.url).data(`mutation($input: SignInInput!) { signIn(input: $input) { user { email } } }`, { input: { email: input.email, password: PASSWORD } });
    expect(signIn.signIn.user.email).toBe(input.email);
  });

  it('rate-limits confirmation attempts per client IP, whatever the link', async () => {
    const client = new GqlClient(app.url);
    for (let i = 0; i < 20; i += 1) expect((await client.error(CONFIRM, { token: `forged-${i}`, password: WRONG })).code).toBe('NOT_FOUND');
    const { token } = await requested();
    expect((await client.error(CONFIRM, { token, password: PASSWORD })).code).toBe('RATE_LIMITED');
    expect((await new GqlClient(app.url).data(CONFIRM, { token, password: PASSWORD })).confirmSignUp.user.id).toMatch(/^user_/);
  });
});
