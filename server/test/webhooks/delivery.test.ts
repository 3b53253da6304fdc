import { startTestApp, type TestApp } from '../helpers/app';
import { startReceiver } from '../helpers/receiver';
import { buildSsoSetup, CALLBACK, postToAcs, startSignIn } from '../helpers/sso';
import { buildDirectorySetup, oktaUser } from '../helpers/scim';
import { loadConfig } from '../../src/config';
import { postWebhook } from '../../src/lib/post-webhook';
import { JobQueue } from '../../src/modules/jobs/job-queue';
import { porticoWorkers } from '../../src/modules/jobs/workers';

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

const attemptsOf = async (endpointId: string) =>
  (await app.db.query(
    `SELECT a.response_status, a.response_body, a.error, a.succeeded, a.duration_ms, d.status, d.event_id FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.endpoint_id = $1 ORDER BY a.id`,
    [endpointId],
  )) as { response_status: number | null; response_body: string | null; error: string | null; succeeded: boolean; duration_ms: number; status: string; event_id: string }[];

describe('webhook delivery', () => {
  it('POSTs the compact event signed so the SDK verifies it, with the ID the Events API lists', async () => {
    const receiver = await startReceiver();
    try {
      const { workos } = await buildSsoSetup(app, { scope: 'FULL_ENVIRONMENT' });
      const endpoint = await workos.webhooks.createWebhookEndpoint({ endpointUrl: `${receiver.url}/hooks`, events: ['organization.created'] });
      expect(endpoint).toMatchObject({ object: 'webhook_endpoint', endpointUrl: `${receiver.url}/hooks`, status: 'enabled', events: ['organization.created'] });
      expect(endpoint.secret).toMatch(/^[\w-]{32}$/);
      const org = await workos.organizations.createOrganization({ name: 'Hooked' });
      const [got] = await receiver.waitFor(1);
      expect(got!.signature).toMatch(/^t=\d{13}, v1=[0-9a-f]{64}$/);
      // Parsed, as most receivers do: the SDK re-stringifies it, which only works when Portico sent the compact form.
      const event = await workos.webhooks.constructEvent({ payload: JSON.parse(got!.body), sigHeader: got!.signature, secret: endpoint.secret! });
      expect(event).toMatchObject({ event: 'organization.created', data: { id: org.id, name: 'Hooked' } });
      await expect(workos.webhooks.constructEvent({ payload: JSON.parse(got!.body), sigHeader: got!.signature, secret: 'another-secret' })).rejects.toThrow();
      const listed = await workos.events.listEvents({ events: ['organization.created'], organizationId: org.id });
      expect(listed.data.map((e) => e.id)).toEqual([event.id]);
      // The listing no longer shows the secret; the endpoint is listed and can be switched off.
      const all = await workos.webhooks.listWebhookEndpoints();
      expect(all.data).toEqual([expect.objectContaining({ id: endpoint.id, secret: undefined })]);
      await workos.webhooks.updateWebhookEndpoint({ id: endpoint.id, status: 'disabled' } as never);
      await workos.organizations.createOrganization({ name: 'Not hooked' });
      await new Promise((r) => setTimeout(r, 1500));
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('delivers dsync.user.created for a SCIM user creation (its one-statement path sets off the same deliveries)', async () => {
    const receiver = await startReceiver();
    try {
      const d = await buildDirectorySetup(app, undefined, 'FULL_ENVIRONMENT');
      const endpoint = await d.workos.webhooks.createWebhookEndpoint({ endpointUrl: `${receiver.url}/hooks`, events: ['dsync.user.created'] });
      const created = await d.scim('POST', '/Users', oktaUser('hooked@acme.com'));
      expect(created.status).toBe(201);
      const [got] = await receiver.waitFor(1);
      const event = await d.workos.webhooks.constructEvent({ payload: JSON.parse(got!.body), sigHeader: got!.signature, secret: endpoint.secret! });
      expect(event).toMatchObject({ event: 'dsync.user.created', data: { directoryId: d.directoryId } });
      // A userName clash writes nothing: no event, no delivery.
      expect((await d.scim('POST', '/Users', oktaUser('hooked@acme.com'))).status).toBe(409);
      await new Promise((r) => setTimeout(r, 1000));
      expect(receiver.received).toHaveLength(1);
      expect(await app.db.query('SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1', [endpoint.id])).toEqual([{ n: 1 }]);
    } finally {
      await receiver.close();
    }
  });

  it('delivers authentication.sso_succeeded and connection.activated from a sign-in, with the IDs the Events API lists', async () => {
    const receiver = await startReceiver();
    try {
      const setup = await buildSsoSetup(app, { scope: 'FULL_ENVIRONMENT' });
      const endpoint = await setup.workos.webhooks.createWebhookEndpoint({ endpointUrl: `${receiver.url}/hooks`, events: ['authentication.sso_succeeded', 'connection.activated'] });
      const signIn = async () => {
        const started = await startSignIn(setup.workos.sso.getAuthorizationUrl({ connection: setup.connection.id, redirectUri: CALLBACK, state: 's', clientId: setup.environment.clientId }));
        const answer = await postToAcs(app, setup.connection.id, await setup.idp.response(setup.connection, { inResponseTo: started.requestId }), started.relayState);
        expect(answer.location?.searchParams.get('code')).toBeTruthy();
        return started.relayState!;
      };
      const first = await signIn(); // validating: the sign-in activates the connection
      const second = await signIn(); // active, with a subscriber: the statement runs in a transaction with its deliveries
      const got = await receiver.waitFor(3);
      const events = await Promise.all(got.map((r) => setup.workos.webhooks.constructEvent({ payload: JSON.parse(r.body), sigHeader: r.signature, secret: endpoint.secret! })));
      const byName = (name: string) => events.filter((e) => e.event === name) as Array<{ id: string; event: string; data: any }>;
      expect(byName('connection.activated')).toEqual([expect.objectContaining({ data: expect.objectContaining({ id: setup.connection.id, state: 'active' }) })]);
      expect(byName('authentication.sso_succeeded').map((e) => e.data.sso.sessionId ?? e.data.sso.session_id).sort()).toEqual([first, second].sort());
      const listed = await setup.workos.events.listEvents({ events: ['authentication.sso_succeeded', 'connection.activated'], organizationId: setup.org.id });
      expect(listed.data.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
      await new Promise((r) => setTimeout(r, 500));
      expect(receiver.received).toHaveLength(3);
    } finally {
      await receiver.close();
    }
  });

  it('retries a receiver that fails, with the same event, until it answers 2xx; every attempt is logged', async () => {
    let calls = 0;
    const receiver = await startReceiver((_req, res) => {
      calls += 1;
      res.statusCode = calls === 1 ? 503 : 200;
      res.end(calls === 1 ? 'busy, try later' : 'thanks');
    });
    try {
      const { workos } = await buildSsoSetup(app, { scope: 'FULL_ENVIRONMENT' });
      const endpoint = await workos.webhooks.createWebhookEndpoint({ endpointUrl: receiver.url, events: ['organization.created'] });
      await workos.organizations.createOrganization({ name: 'Flaky' });
      const got = await receiver.waitFor(2, 30_000);
      expect(got).toHaveLength(2);
      expect(JSON.parse(got[1]!.body).id).toBe(JSON.parse(got[0]!.body).id);
      // Staging backs off 4–8 s before the first retry.
      expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(3_500);
      await new Promise((r) => setTimeout(r, 300));
      const attempts = await attemptsOf(endpoint.id);
      expect(attempts.map((a) => [a.response_status, a.succeeded, a.response_body])).toEqual([[503, false, 'busy, try later'], [200, true, 'thanks']]);
      expect(attempts[1]!.status).toBe('delivered');
    } finally {
      await receiver.close();
    }
  });

  it('a receiver that never answers, one that answers 10 MB and one that redirects cannot hold up another endpoint', async () => {
    const good = await startReceiver();
    const hostile = await startReceiver((req, res) => {
      if (req.url === '/hang') return; // never answers
      if (req.url === '/huge') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const chunk = Buffer.alloc(64 * 1024, 'x');
        let sent = 0;
        const pump = () => {
          while (sent < 10 * 1024 * 1024) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        return pump();
      }
      if (req.url === '/redirect') {
        res.writeHead(307, { location: `${good.url}/redirected` });
        return void res.end();
      }
      res.end('ok');
    });
    try {
      const { workos } = await buildSsoSetup(app, { scope: 'FULL_ENVIRONMENT' });
      const make = (url: string) => workos.webhooks.createWebhookEndpoint({ endpointUrl: url, events: ['organization.created'] });
      const hang = await make(`${hostile.url}/hang`);
      const huge = await make(`${hostile.url}/huge`);
      const redirect = await make(`${hostile.url}/redirect`);
      await make(`${good.url}/good`);
      const started = Date.now();
      await workos.organizations.createOrganization({ name: 'Hostile' });
      expect(await good.waitFor(1, 5_000, '/good')).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(5_000);

      await new Promise((r) => setTimeout(r, 1_000));
      const [hugeAttempt] = await attemptsOf(huge.id);
      expect(hugeAttempt).toMatchObject({ response_status: 200, succeeded: true });
      expect(hugeAttempt!.response_body!.length).toBeLessThanOrEqual(4096);
      const [redirectAttempt] = await attemptsOf(redirect.id);
      expect(redirectAttempt).toMatchObject({ response_status: 307, succeeded: false, error: 'http_307' });
      expect(good.received.filter((r) => r.path === '/redirected')).toHaveLength(0);

      // The hung receiver is given up on at the 10 s deadline, and retried later.
      const deadline = Date.now() + 15_000;
      while (!(await attemptsOf(hang.id)).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      const [hangAttempt] = await attemptsOf(hang.id);
      expect(hangAttempt).toMatchObject({ response_status: null, succeeded: false, error: 'timeout', status: 'pending' });
      expect(hangAttempt!.duration_ms).toBeGreaterThanOrEqual(9_900);
      expect(hangAttempt!.duration_ms).toBeLessThan(12_000);
    } finally {
      await good.close();
      await hostile.close();
    }
  }, 40_000);

  it('the dashboard sends a test event to one endpoint, resends an event with the same ID, and shows each attempt', async () => {
    const receiver = await startReceiver();
    try {
      const setup = await buildSsoSetup(app);
      const { createWebhookEndpoint } = await setup.admin.data('mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret endpoint { id } } }', {
        i: { environmentId: setup.environment.id, endpointUrl: `${receiver.url}/dash`, events: ['organization.created'] },
      });
      const endpointId = createWebhookEndpoint.endpoint.id;
      await setup.admin.data('mutation($id: ID!) { sendTestWebhookEvent(endpointId: $id) }', { id: endpointId });
      const [test] = await receiver.waitFor(1);
      const event = await setup.workos.webhooks.constructEvent({ payload: JSON.parse(test!.body), sigHeader: test!.signature, secret: createWebhookEndpoint.secret });
      expect(event).toMatchObject({ event: 'webhook.test', data: { id: endpointId } });
      await setup.admin.data('mutation($e: ID!, $v: ID!) { resendWebhookEvent(endpointId: $e, eventId: $v) }', { e: endpointId, v: event.id });
      const both = await receiver.waitFor(2);
      expect(JSON.parse(both[1]!.body).id).toBe(event.id);
      await new Promise((r) => setTimeout(r, 300));
      const { webhookEndpoint } = await setup.admin.data('query($id: ID!) { webhookEndpoint(id: $id) { deliveries { eventId eventName status attempts { responseStatus responseBody succeeded durationMs } } } }', { id: endpointId });
      expect(webhookEndpoint.deliveries).toEqual([
        { eventId: event.id, eventName: 'webhook.test', status: 'delivered', attempts: [expect.objectContaining({ responseStatus: 200, responseBody: 'ok', succeeded: true })] },
        { eventId: event.id, eventName: 'webhook.test', status: 'delivered', attempts: [expect.objectContaining({ responseStatus: 200, responseBody: 'ok', succeeded: true })] },
      ]);
      // Support can't read or change webhooks (configuration is for Admins and Developers).
      await expect(setup.team.as.SUPPORT.data('query($id: ID!) { webhookEndpoint(id: $id) { id } }', { id: endpointId })).rejects.toThrow();
    } finally {
      await receiver.close();
    }
  });

  it('refuses private and loopback addresses unless PORTICO_ALLOW_PRIVATE_URLS (or its old name) is set', async () => {
    const receiver = await startReceiver();
    try {
      const refused = await postWebhook(`${receiver.url}/x`, '{}', {}, { allowPrivate: false });
      expect(refused).toMatchObject({ status: null, error: 'address_not_allowed' });
      const metadataName = await postWebhook(`http://10.0.0.1/x`, '{}', {}, { allowPrivate: false });
      expect(metadataName.error).toBe('address_not_allowed');
      expect(receiver.received).toHaveLength(0);
      expect(await postWebhook(`${receiver.url}/x`, '{}', {}, { allowPrivate: true })).toMatchObject({ status: 200, body: 'ok' });
    } finally {
      await receiver.close();
    }
    expect(loadConfig({}).allowPrivateUrls).toBe(false);
    expect(loadConfig({ PORTICO_ALLOW_PRIVATE_URLS: 'true' }).allowPrivateUrls).toBe(true);
    expect(loadConfig({ PORTICO_ALLOW_PRIVATE_METADATA_URLS: 'true' }).allowPrivateUrls).toBe(true);
    expect(loadConfig({ PORTICO_ALLOW_PRIVATE_URLS: 'false', PORTICO_ALLOW_PRIVATE_METADATA_URLS: 'true' }).allowPrivateUrls).toBe(false);
  });

  it('validates endpoint URLs and events like redirect URIs, naming the field and the rule', async () => {
    const { apiKey } = await buildSsoSetup(app, { scope: 'FULL_ENVIRONMENT' });
    const post = (body: unknown) =>
      fetch(`${app.url}/webhook_endpoints`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const bad = await post({ endpoint_url: 'ftp://example.com/hook', events: ['organization.created'] });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('endpointUrl');
    expect(JSON.stringify((await post({ endpoint_url: 'https://user:pw@example.com/hook', events: ['organization.created'] })).body)).toContain('credentials');
    expect(JSON.stringify((await post({ endpoint_url: 'https://example.com/hook', events: ['user.created'] })).body)).toContain('unknown_event');
    expect(JSON.stringify((await post({ endpoint_url: 'https://example.com/hook', events: [] })).body)).toContain('events');
    expect((await post({ endpoint_url: 'https://example.com/hook', events: ['organization.created'] })).status).toBe(201);
    const { webhookUrlProblems } = await import('@portico/shared');
    expect(webhookUrlProblems('http://example.com/hook', 'PRODUCTION')).toEqual([expect.objectContaining({ field: 'endpointUrl', code: 'https_required' })]);
    expect(webhookUrlProblems('http://example.com/hook', 'STAGING')).toEqual([]);
  });
});
