import { buildTeam, buildUser, signedInClient, uniqueEmail, PASSWORD } from '../helpers/factories';
import { GqlClient } from '../helpers/client';
import { startTestApp, type TestApp } from '../helpers/app';

const INVITE = `mutation($input: InviteMemberInput!) { inviteMember(input: $input) { id email role status sendCount invitedBy { email } } }`;
const RESEND = `mutation($id: ID!) { resendInvitation(id: $id) { id status sendCount } }`;
const REVOKE = `mutation($id: ID!) { revokeInvitation(id: $id) { id status } }`;
const PREVIEW = `query($token: String!) { invitationPreview(token: $token) { email role status workspaceName invitedByName accountExists } }`;
const ACCEPT = `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { user { email name } workspace { id } role } }`;
const OUTBOX = `{ outbox(first: 100) { edges { node { to subject text } } } }`;

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

/** The token in the newest outbox email to `email`, read as an invitee would: from the link. */
async function linkTokenFor(admin: GqlClient, email: string): Promise<string> {
  const { outbox } = await admin.data(OUTBOX);
  const message = outbox.edges.map((e: any) => e.node).find((m: any) => m.to === email);
  const link = /(http\S+)/.exec(message.text)![1]!;
  expect(link.startsWith('http://portico.test/dashboard/invitations/accept?token=')).toBe(true);
  return new URL(link).searchParams.get('token')!;
}

describe('inviteMember', () => {
  it('records the invitation and emails a 7-day link to the dev outbox', async () => {
    const team = await buildTeam(app.db, app.url);
    const email = uniqueEmail('new');
    const { inviteMember } = await team.as.ADMIN.data(INVITE, { input: { email: email.toUpperCase(), role: 'DEVELOPER' } });
    expect(inviteMember).toMatchObject({ email, role: 'DEVELOPER', status: 'PENDING', sendCount: 1, invitedBy: { email: team.admin.email } });
    expect(inviteMember.id).toMatch(/^invitation_/);
    const token = await linkTokenFor(team.as.ADMIN, email);
    const { invitationPreview } = await new GqlClient(app.url).data(PREVIEW, { token });
    expect(invitationPreview).toEqual({ email, role: 'DEVELOPER', status: 'PENDING', workspaceName: 'Acme', invitedByName: 'Ada Admin', accountExists: false });
    const [{ days }] = await app.db.query(`SELECT round(extract(epoch FROM expires_at - created_at) / 86400)::int AS days FROM invitations WHERE id = $1`, [inviteMember.id]);
    expect(days).toBe(7);
    const [{ token_hash }] = await app.db.query('SELECT token_hash FROM invitations WHERE id = $1', [inviteMember.id]);
    expect(token_hash).not.toContain(token);
  });

  it('refuses a malformed email with the field named', async () => {
    const team = await buildTeam(app.db, app.url);
    const error = await team.as.ADMIN.error(INVITE, { input: { email: 'nobody', role: 'SUPPORT' } });
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', details: [expect.objectContaining({ field: 'email', code: 'isEmail' })] });
  });

  it('refuses a current member and a second pending invitation as CONFLICT on email', async () => {
    const team = await buildTeam(app.db, app.url);
    expect(await team.as.ADMIN.error(INVITE, { input: { email: team.support.user.email, role: 'ADMIN' } })).toMatchObject({ code: 'CONFLICT', details: [expect.objectContaining({ field: 'email' })] });
    const email = uniqueEmail();
    await team.as.ADMIN.data(INVITE, { input: { email, role: 'SUPPORT' } });
    expect((await team.as.ADMIN.error(INVITE, { input: { email, role: 'ADMIN' } })).code).toBe('CONFLICT');
  });

  it('replaces an expired invitation with a new one', async () => {
    const team = await buildTeam(app.db, app.url);
    const email = uniqueEmail();
    const first = (await team.as.ADMIN.data(INVITE, { input: { email, role: 'SUPPORT' } })).inviteMember;
    await app.db.query(`UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = $1`, [first.id]);
    const second = (await team.as.ADMIN.data(INVITE, { input: { email, role: 'DEVELOPER' } })).inviteMember;
    expect(second.id).not.toBe(first.id);
    const [{ revoked_at }] = await app.db.query('SELECT revoked_at FROM invitations WHERE id = $1', [first.id]);
    expect(revoked_at).not.toBeNull();
  });

  it.each(['DEVELOPER', 'SUPPORT'] as const)('refuses a %s, and sends nothing', async (role) => {
    const team = await buildTeam(app.db, app.url);
    const email = uniqueEmail();
    expect(await team.as[role].error(INVITE, { input: { email, role: 'ADMIN' } })).toMatchObject({ code: 'FORBIDDEN', reason: 'role_required' });
    const [{ n }] = await app.db.query('SELECT count(*)::int AS n FROM outbox_messages WHERE to_address = $1', [email]);
    expect(n).toBe(0);
  });

  it('refuses a signed-out caller', async () => {
    expect((await new GqlClient(app.url).error(INVITE, { input: { email: uniqueEmail(), role: 'ADMIN' } })).code).toBe('UNAUTHENTICATED');
  });

  it('tells the inviter nothing about whether the address has a Portico account: the answer, the list and the email are alike', async () => {
    const team = await buildTeam(app.db, app.url);
    const elsewhere = await buildUser(app.db, { name: 'Has An Account' });
    const nobody = uniqueEmail('nobody');
    const LIST = `{ viewer { workspace { invitations(first: 10) { edges { node { email role status sendCount invitedBy { email } } } } } } }`;
    const invited = async (email: string) => {
      const { inviteMember } = await team.as.ADMIN.data(INVITE, { input: { email, role: 'DEVELOPER' } });
      const [mail] = await app.db.query('SELECT subject, text_body FROM outbox_messages WHERE to_address = $1', [email]);
      return { answer: { ...inviteMember, id: 'ID', email: 'EMAIL' }, mail: { ...mail, text_body: mail.text_body.replace(/token=\S+/, 'token=T') } };
    };
    expect(await invited(elsewhere.email)).toEqual(await invited(nobody));
    const nodes = (await team.as.ADMIN.data(LIST)).viewer.workspace.invitations.edges.map((e: any) => e.node);
    const [a, b] = [nodes.find((n: any) => n.email === elsewhere.email), nodes.find((n: any) => n.email === nobody)];
    expect({ ...a, email: 'EMAIL' }).toEqual({ ...b, email: 'EMAIL' });
  });
});

describe('resendInvitation and revokeInvitation', () => {
  it('resends with a new link; the old link stops working', async () => {
    const team = await buildTeam(app.db, app.url);
    const email = uniqueEmail();
    const { inviteMember } = await team.as.ADMIN.data(INVITE, { input: { email, role: 'SUPPORT' } });
    const oldToken = await linkTokenFor(team.as.ADMIN, email);
    const { resendInvitation } = await team.as.ADMIN.data(RESEND, { id: inviteMember.id });
    expect(resendInvitation).toEqual({ id: inviteMember.id, status: 'PENDING', sendCount: 2 });
    const newToken = await linkTokenFor(team.as.ADMIN, email);
    expect(newToken).not.toBe(oldToken);
    expect((await new GqlClient(app.url).error(PREVIEW, { token: oldToken })).code).toBe('NOT_FOUND');
    expect((await new GqlClient(app.url).data(PREVIEW, { token: newToken })).invitationPreview.status).toBe('PENDING');
  });

  it('revokes; the link then shows REVOKED and cannot be accepted', async () => {
    const team = await buildTeam(app.db, app.url);
    const email = uniqueEmail();
    const { inviteMember } = await team.as.ADMIN.data(INVITE, { input: { email, role: 'SUPPORT' } });
    const token = await linkTokenFor(team.as.ADMIN, email);
    expect((await team.as.ADMIN.data(REVOKE, { id: inviteMember.id })).revokeInvitation.status).toBe('REVOKED');
    expect((await new GqlClient(app.url).data(PREVIEW, { token })).invitationPreview.status).toBe('REVOKED');
    expect(await new GqlClient(app.url).error(ACCEPT, { input: { token, name: 'Eve', password: PASSWORD } })).toMatchObject({ code: 'FORBIDDEN', reason: 'invitation_revoked' });
    expect((await team.as.ADMIN.error(RESEND, { id: inviteMember.id })).code).toBe('CONFLICT');
  });

  it.each(['DEVELOPER', 'SUPPORT'] as const)('refuses resend and revoke by a %s', async (role) => {
    const team = await buildTeam(app.db, app.url);
    const { inviteMember } = await team.as.ADMIN.data(INVITE, { input: { email: uniqueEmail(), role: 'SUPPORT' } });
    expect((await team.as[role].error(RESEND, { id: inviteMember.id })).code).toBe('FORBIDDEN');
    expect((await team.as[role].error(REVOKE, { id: inviteMember.id })).code).toBe('FORBIDDEN');
  });

  it('answers NOT_FOUND for another workspace’s invitation', async () => {
    const team = await buildTeam(app.db, app.url);
    const other = await buildTeam(app.db, app.url);
    const { inviteMember } = await other.as.ADMIN.data(INVITE, { input: { email: uniqueEmail(), role: 'SUPPORT' } });
    expect((await team.as.ADMIN.error(RESEND, { id: inviteMember.id })).code).toBe('NOT_FOUND');
    expect((await team.as.ADMIN.error(REVOKE, { id: inviteMember.id })).code).toBe('NOT_FOUND');
  });
});

describe('acceptInvitation', () => {
  it('creates the account for a new address, signs it in, and seats it with the invited role', async () => {
    const team = await buildTeam(app.db, app.url);
    const email = uniqueEmail('joiner');
    await team.as.ADMIN.data(INVITE, { input: { email, role: 'DEVELOPER' } });
    const token = await linkTokenFor(team.as.ADMIN, email);
    const invitee = new GqlClient(app.url);
    const { acceptInvitation } = await invitee.data(ACCEPT, { input: { token, name: 'Jo Iner', password: PASSWORD } });
    expect(acceptInvitation).toEqual({ user: { email, name: 'Jo Iner' }, workspace: { id: team.workspace.id }, role: 'DEVELOPER' });
    expect((await invitee.data(`{ viewer { role } }`)).viewer.role).toBe('DEVELOPER');
    expect((await new GqlClient(app.url).data(PREVIEW, { token })).invitationPreview.status).toBe('ACCEPTED');
    expect(await new GqlClient(app.url).error(ACCEPT, { input: { token, name: 'Again', password: PASSWORD } })).toMatchObject({ code: 'FORBIDDEN', reason: 'invitation_accepted' });
  });

  it('asks a new invitee for a name and a password that meets the policy, creating nothing otherwise', async () => {
    const team = await buildTeam(app.db, app.url);
    const email = uniqueEmail();
    await team.as.ADMIN.data(INVITE, { input: { email, role: 'SUPPORT' } });
    const token = await linkTokenFor(team.as.ADMIN, email);
    const missing = await new GqlClient(app.url).error(ACCEPT, { input: { token } });
    expect(missing.code).toBe('BAD_USER_INPUT');
    expect(missing.details.map((d) => d.field).sort()).toEqual(['name', 'password']);
    const weak = await new GqlClient(app.url).error(ACCEPT, { input: { token, name: 'Al', password: 'short' } });
    expect(weak.details).toEqual([expect.objectContaining({ field: 'password' })]);
    const [{ n }] = await app.db.query('SELECT count(*)::int AS n FROM dashboard_users WHERE email = $1', [email]);
    expect(n).toBe(0);
  });

  it('makes an existing account sign in first, then accepts for it and switches to the new workspace', async () => {
    const team = await buildTeam(app.db, app.url);
    const existing = await buildUser(app.db);
    await team.as.ADMIN.data(INVITE, { input: { email: existing.email, role: 'SUPPORT' } });
    const token = await linkTokenFor(team.as.ADMIN, existing.email);
    expect((await new GqlClient(app.url).data(PREVIEW, { token })).invitationPreview.accountExists).toBe(true);
    expect((await new GqlClient(app.url).error(ACCEPT, { input: { token, name: 'Hijack', password: PASSWORD } })).code).toBe('UNAUTHENTICATED');
    const signedIn = await signedInClient(app.db, app.url, existing, null);
    const { acceptInvitation } = await signedIn.data(ACCEPT, { input: { token } });
    expect(acceptInvitation).toMatchObject({ workspace: { id: team.workspace.id }, role: 'SUPPORT' });
    const [{ password_hash }] = await app.db.query('SELECT password_hash FROM dashboard_users WHERE id = $1', [existing.id]);
    expect(password_hash).toBe(existing.passwordHash);
  });

  it('refuses a signed-in user whose email is not the invited one', async () => {
    const team = await buildTeam(app.db, app.url);
    const email = uniqueEmail();
    await team.as.ADMIN.data(INVITE, { input: { email, role: 'ADMIN' } });
    const token = await linkTokenFor(team.as.ADMIN, email);
    const stranger = await signedInClient(app.db, app.url, await buildUser(app.db), null);
    expect(await stranger.error(ACCEPT, { input: { token } })).toMatchObject({ code: 'FORBIDDEN', reason: 'invitation_email_mismatch' });
  });

  it('refuses an expired invitation and an unknown token', async () => {
    const team = await buildTeam(app.db, app.url);
    const email = uniqueEmail();
    const { inviteMember } = await team.as.ADMIN.data(INVITE, { input: { email, role: 'ADMIN' } });
    const token = await linkTokenFor(team.as.ADMIN, email);
    await app.db.query(`UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1`, [inviteMember.id]);
    expect(await new GqlClient(app.url).error(ACCEPT, { input: { token, name: 'Late', password: PASSWORD } })).toMatchObject({ code: 'FORBIDDEN', reason: 'invitation_expired' });
    expect((await new GqlClient(app.url).error(ACCEPT, { input: { token: 'forged-token', name: 'X', password: PASSWORD } })).code).toBe('NOT_FOUND');
  });
});
