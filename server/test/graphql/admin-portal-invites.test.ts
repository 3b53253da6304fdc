import { startTestApp, type TestApp } from '../helpers/app';
import { buildPortalSetup, PortalBrowser } from '../helpers/portal';

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

const INVITE = `mutation($i: InvitePortalAdminInput!) { invitePortalAdmin(input: $i) { link portalLink { id intent status sentTo createdBy expiresAt } } }`;
const TRAIL = `query($id: ID!) { organization(id: $id) { portalLinks { id status intent } portalActions { action actor intent } } }`;
const REVOKE = `mutation($id: ID!) { revokePortalLink(id: $id) }`;

describe('Invite IT admin (dashboard)', () => {
  it('emails a 30-day setup link that replies to the support email, keeps one live link per intent, and shows the audit trail', async () => {
    const { admin, org, team } = await buildPortalSetup(app);
    await app.db.query(`UPDATE workspaces SET support_email = 'help@acme-app.example' WHERE id = $1`, [team.workspace.id]);
    const first = (await admin.data(INVITE, { i: { organizationId: org.id, intent: 'SSO', email: 'IT@Acme.com' } })).invitePortalAdmin;
    expect(first.portalLink).toMatchObject({ intent: 'SSO', status: 'ACTIVE', sentTo: 'it@acme.com', createdBy: team.admin.email });
    const days = (new Date(first.portalLink.expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    const [mail] = await app.db.query('SELECT subject, text_body, reply_to, workspace_id FROM outbox_messages WHERE to_address = $1 ORDER BY created_at DESC LIMIT 1', ['it@acme.com']);
    expect(mail).toMatchObject({ reply_to: 'help@acme-app.example', workspace_id: team.workspace.id, subject: `Acme: set up single sign-on for Acme` });
    expect(mail.text_body).toContain(first.link);
    expect(mail.text_body).toContain('help@acme-app.example');

    // An invite opens the portal more than once (the IT admin may come back), unlike an API link.
    const itAdmin = new PortalBrowser(app);
    expect((await itAdmin.open(first.link)).status).toBe(303);
    expect((await new PortalBrowser(app).open(first.link)).status).toBe(303);
    expect((await itAdmin.api('GET', '/session')).body.intent).toBe('sso');

    // A second invite for the same intent replaces the first: its link and sessions stop working.
    const second = (await admin.data(INVITE, { i: { organizationId: org.id, intent: 'SSO' } })).invitePortalAdmin;
    const refused = await new PortalBrowser(app).open(first.link);
    expect(refused.status).toBe(410);
    expect(refused.body).toContain('revoked');
    expect((await itAdmin.api('GET', '/session')).status).toBe(401);
    // Another intent has its own live link.
    await admin.data(INVITE, { i: { organizationId: org.id, intent: 'DSYNC' } });

    // Revoking from the dashboard ends the second link's session too.
    const other = new PortalBrowser(app);
    await other.open(second.link);
    expect(await admin.data(REVOKE, { id: second.portalLink.id })).toEqual({ revokePortalLink: true });
    expect((await other.api('GET', '/session')).status).toBe(401);

    const trail = (await admin.data(TRAIL, { id: org.id })).organization;
    expect(trail.portalLinks.map((l: { status: string; intent: string }) => `${l.intent}:${l.status}`)).toEqual(['DSYNC:ACTIVE', 'SSO:REVOKED', 'SSO:REVOKED']);
    expect(trail.portalActions.map((a: { action: string }) => a.action).reverse()).toEqual([
      'invite_created', 'invite_emailed', 'link_opened', 'link_opened', 'invite_created', 'invite_created', 'link_opened', 'link_revoked',
    ]);
    expect(trail.portalActions[0]).toMatchObject({ action: 'link_revoked', actor: team.admin.email });
  });

  it('ends an invite when setup completes', async () => {
    const { admin, org } = await buildPortalSetup(app);
    // Certificate renewal completes with no precondition (a Directory Sync setup needs its first provisioned user,
    // which admin-portal-dsync.test.ts covers).
    const { link } = (await admin.data(INVITE, { i: { organizationId: org.id, intent: 'CERTIFICATE_RENEWAL' } })).invitePortalAdmin;
    const itAdmin = new PortalBrowser(app);
    await itAdmin.open(link);
    expect((await itAdmin.api('POST', '/complete', {})).status).toBe(200);
    const again = await new PortalBrowser(app).open(link);
    expect(again.status).toBe(410);
    expect(again.body).toContain('already complete');
  });

  it('refuses bad input by field, and another workspace’s organization and links', async () => {
    const a = await buildPortalSetup(app);
    const b = await buildPortalSetup(app);
    const bad = await a.admin.request(INVITE, { i: { organizationId: a.org.id, intent: 'SSO', email: 'not-an-email' } });
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', details: [{ field: 'email', code: 'invalid_email' }] });
    expect((await a.admin.request(INVITE, { i: { organizationId: b.org.id, intent: 'SSO' } })).errors![0]!.extensions!.code).toBe('NOT_FOUND');
    const bLink = (await b.admin.data(INVITE, { i: { organizationId: b.org.id, intent: 'SSO' } })).invitePortalAdmin.portalLink.id;
    expect((await a.admin.request(REVOKE, { id: bLink })).errors![0]!.extensions!.code).toBe('NOT_FOUND');
    expect((await a.admin.request(TRAIL, { id: b.org.id })).errors![0]!.extensions!.code).toBe('NOT_FOUND');
    const [row] = await app.db.query('SELECT revoked_at FROM portal_links WHERE id = $1', [bLink]);
    expect(row.revoked_at).toBeNull();
  });
});
