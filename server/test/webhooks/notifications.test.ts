import { startTestApp, type TestApp } from '../helpers/app';
import { buildDirectorySetup } from '../helpers/scim';
import { buildSsoSetup, CALLBACK, postToAcs, startSignIn } from '../helpers/sso';
import { startReceiver } from '../helpers/receiver';
import { JobQueue } from '../../src/modules/jobs/job-queue';
import { porticoWorkers } from '../../src/modules/jobs/workers';
import { recordCertificateRenewalNotices } from '../../src/modules/connections/certificate-events';
import { setConnectionEnabled } from '../../src/modules/connections/connections.service';

let app: TestApp;
let queue: JobQueue;
beforeAll(async () => {
  app = await startTestApp();
  queue = new JobQueue(app.db);
  await queue.start(porticoWorkers(app.deps));
});
afterAll(async () => {
  await queue.stop();
  await app.close();
});

type Setup = Awaited<ReturnType<typeof buildSsoSetup>>;
const emails = (setup: Setup) => ({ admin: setup.team.admin.email, developer: setup.team.developer.user.email, support: setup.team.support.user.email });

/** The outbox messages to the team's members, waited for until `count` arrived (and a little longer, to see extras). */
async function outbox(setup: Setup, count: number, match: RegExp) {
  const to = Object.values(emails(setup));
  const read = async () => (await app.db.query('SELECT to_address, subject, text_body FROM outbox_messages WHERE to_address = ANY($1) ORDER BY created_at', [to])).filter((m: { subject: string }) => match.test(m.subject)) as { to_address: string; subject: string; text_body: string }[];
  const deadline = Date.now() + 15_000;
  while ((await read()).length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  await new Promise((r) => setTimeout(r, 1_500));
  return read();
}

const setSetting = (setup: Setup, who: 'ADMIN' | 'DEVELOPER' | 'SUPPORT', input: Record<string, boolean>) =>
  setup.team.as[who].data('mutation($i: UpdateNotificationSettingsInput!) { updateNotificationSettings(input: $i) { id } }', { i: input });

async function signIn(setup: Setup, opts: Record<string, unknown> = {}) {
  const started = await startSignIn(setup.workos.sso.getAuthorizationUrl({ connection: setup.connection.id, redirectUri: CALLBACK, clientId: setup.environment.clientId }));
  return postToAcs(app, setup.connection.id, await setup.idp.response(setup.connection, { inResponseTo: started.requestId, ...opts }), started.relayState);
}

describe('email notifications, by each user’s settings and role', () => {
  it('connection activated and deactivated: to every role with Connection activity on, once each, linking to the connection', async () => {
    const setup = await buildSsoSetup(app);
    await setSetting(setup, 'SUPPORT', { connectionActivity: false });
    await signIn(setup);
    await signIn(setup);
    const activated = await outbox(setup, 2, /was activated/);
    expect(activated.map((m) => m.to_address).sort()).toEqual([emails(setup).admin, emails(setup).developer].sort());
    // The link is the Portico's own PUBLIC_URL: in a parallel test run, any server on this database (this file's, or
    // another file's with its own PUBLIC_URL) may be the one whose worker sends the email, as any replica may.
    expect(activated[0]!.text_body).toMatch(new RegExp(`^See what happened: http://(portico\\.test|127\\.0\\.0\\.1:\\d+)/dashboard/connections/${setup.connection.id}$`, 'm'));
    await setConnectionEnabled(app.db, { kind: 'environment', environmentId: setup.environment.id }, setup.connection.id, false);
    expect((await outbox(setup, 2, /was deactivated/)).map((m) => m.to_address).sort()).toEqual([emails(setup).admin, emails(setup).developer].sort());
  });

  it('certificate expiring in 30 and in 7 days: one email each', async () => {
    const setup = await buildSsoSetup(app);
    await setSetting(setup, 'DEVELOPER', { connectionActivity: false });
    await setSetting(setup, 'SUPPORT', { connectionActivity: false });
    const [{ idp_certificates: [pem] }] = await app.db.query('SELECT idp_certificates FROM connections WHERE id = $1', [setup.connection.id]);
    const expires = new Date(new (await import('node:crypto')).X509Certificate(pem).validTo).getTime();
    await recordCertificateRenewalNotices(app.db, new Date(expires - 29 * 86_400_000), setup.connection.id);
    await recordCertificateRenewalNotices(app.db, new Date(expires - 28 * 86_400_000), setup.connection.id);
    await recordCertificateRenewalNotices(app.db, new Date(expires - 6 * 86_400_000), setup.connection.id);
    const mails = await outbox(setup, 2, /certificate of/);
    // Notification jobs run in parallel: the two emails may arrive in either order.
    expect(mails.map((m) => m.to_address)).toEqual([emails(setup).admin, emails(setup).admin]);
    expect(mails.map((m) => m.subject).sort()).toEqual(['The IdP certificate of Acme expires in 29 days', 'The IdP certificate of Acme expires in 6 days']);
  });

  it('a burst of 10 failed sign-ins after a success: one email, linking to the Sessions tab filtered to the failures', async () => {
    const setup = await buildSsoSetup(app);
    await setSetting(setup, 'ADMIN', { connectionActivity: false });
    await signIn(setup);
    for (let i = 0; i < 12; i++) await signIn(setup, { audience: 'https://wrong.example.com' });
    const mails = await outbox(setup, 2, /are failing/);
    expect(mails.map((m) => m.to_address).sort()).toEqual([emails(setup).developer, emails(setup).support].sort());
    expect(mails[0]!.text_body).toContain(`/dashboard/connections/${setup.connection.id}/sessions?status=FAILED`);
    // 10 or more, by the time the job reads them; one email each however many followed.
    expect(mails[0]!.text_body).toMatch(/1\d sign-ins .* failed/);
  });

  it('a directory losing its credentials: to users with Directory activity on', async () => {
    const d = await buildDirectorySetup(app);
    await setSetting(d, 'ADMIN', { directoryActivity: false });
    const old = d.token;
    const { rotateDirectoryToken } = await d.admin.data('mutation($id: ID!) { rotateDirectoryToken(id: $id) { token } }', { id: d.directoryId });
    expect(rotateDirectoryToken.token).not.toBe(old);
    expect((await d.scim('GET', '/Users', undefined, old)).status).toBe(401);
    expect((await d.scim('GET', '/Users', undefined, old)).status).toBe(401);
    const mails = await outbox(d, 2, /lost its credentials/);
    expect(mails.map((m) => m.to_address).sort()).toEqual([emails(d).developer, emails(d).support].sort());
    expect(mails[0]!.text_body).toContain(`/dashboard/directories/${d.directoryId}/log`);
  });

  it('a webhook endpoint that used up its attempts: to Admins and Developers only', async () => {
    const receiver = await startReceiver((_q, res) => { res.statusCode = 500; res.end('down'); });
    try {
      const setup = await buildSsoSetup(app, { scope: 'FULL_ENVIRONMENT' });
      const endpoint = await setup.workos.webhooks.createWebhookEndpoint({ endpointUrl: receiver.url, events: ['organization.created'] });
      await setup.workos.organizations.createOrganization({ name: 'Unlucky' });
      await receiver.waitFor(1);
      // Fast-forward: once the first failure is recorded (the job waits to retry), make the next attempt its last.
      const jobOf = `name = 'webhook-delivery' AND data->>'deliveryId' IN (SELECT id FROM webhook_deliveries WHERE endpoint_id = $1)`;
      const deadline = Date.now() + 10_000;
      while ((await app.db.query(`SELECT 1 FROM pgboss.job WHERE ${jobOf} AND state = 'retry'`, [endpoint.id])).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await app.db.query(`UPDATE pgboss.job SET retry_count = retry_limit, start_after = now() WHERE name = 'webhook-delivery' AND data->>'deliveryId' IN (SELECT id FROM webhook_deliveries WHERE endpoint_id = $1)`, [endpoint.id]);
      const mails = await outbox(setup, 2, /webhook endpoint is failing/);
      expect(mails.map((m) => m.to_address).sort()).toEqual([emails(setup).admin, emails(setup).developer].sort());
      expect(mails[0]!.text_body).toContain(`/dashboard/configuration/webhooks/${endpoint.id}`);
      const [row] = await app.db.query('SELECT failing_since FROM webhook_endpoints WHERE id = $1', [endpoint.id]);
      expect(row.failing_since).not.toBeNull();
    } finally {
      await receiver.close();
    }
  });
});
