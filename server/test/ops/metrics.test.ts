import { startTestApp, type TestApp } from '../helpers/app';
import { parseMetrics, scrape, total, type Sample } from '../helpers/metrics';
import { buildDirectorySetup, oktaUser } from '../helpers/scim';
import { CALLBACK, postToAcs, startSignIn } from '../helpers/sso';
import { uniqueEmail } from '../helpers/factories';
import { startReceiver } from '../helpers/receiver';
import { buildSsoSetup } from '../helpers/sso';
import { JobQueue } from '../../src/modules/jobs/job-queue';
import { porticoWorkers } from '../../src/modules/jobs/workers';
import { freshDatabase, onPostgres } from '../helpers/databases';

const TOKEN = 'metrics-token-0123456789';

let app: TestApp;
let own: Awaited<ReturnType<typeof freshDatabase>> | undefined;
// Metrics are per process, and on the shared PostgreSQL test database another test process's job worker may deliver
// this file's webhook (and count it in its own registry). A database of its own keeps the deliveries here.
beforeAll(async () => {
  own = onPostgres ? await freshDatabase('metrics') : undefined;
  app = await startTestApp({ PORTICO_METRICS: 'true', PORTICO_METRICS_TOKEN: TOKEN }, { databaseUrl: own?.url });
});
afterAll(async () => {
  await app.close();
  await own?.drop();
});

type Setup = Awaited<ReturnType<typeof buildDirectorySetup>>;

async function signIn(setup: Setup, opts: { audience?: string } = {}) {
  const started = await startSignIn(setup.workos.sso.getAuthorizationUrl({ connection: setup.connection.id, redirectUri: CALLBACK, state: 's', clientId: setup.environment.clientId }));
  expect(started.status).toBe(302);
  return postToAcs(app, setup.connection.id, await setup.idp.response(setup.connection, { inResponseTo: started.requestId, ...opts }), started.relayState);
}

describe('/metrics', () => {
  it('counts webhook deliveries by outcome and their latency, and shows the job queue backlog by queue and state', async () => {
    const receiver = await startReceiver();
    const queue = new JobQueue(app.db);
    try {
      const before = await scrape(app.url, TOKEN);
      const { workos } = await buildSsoSetup(app, { scope: 'FULL_ENVIRONMENT' });
      await workos.webhooks.createWebhookEndpoint({ endpointUrl: `${receiver.url}/hooks`, events: ['organization.created'] });
      await workos.organizations.createOrganization({ name: 'Metered' });
      // Queued, not yet delivered (no worker runs): the backlog shows it.
      const waiting = await scrape(app.url, TOKEN);
      expect(total(waiting, 'portico_queue_jobs', { queue: 'webhook-delivery' })).toBeGreaterThanOrEqual(1);
      await queue.start(porticoWorkers(app.deps));
      expect(await receiver.waitFor(1)).toHaveLength(1);
      let after: Sample[] = [];
      for (let i = 0; i < 50; i += 1) {
        after = await scrape(app.url, TOKEN);
        if (total(after, 'portico_webhook_deliveries_total', { outcome: 'delivered' }) > total(before, 'portico_webhook_deliveries_total', { outcome: 'delivered' })) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(total(after, 'portico_webhook_deliveries_total', { outcome: 'delivered' }) - total(before, 'portico_webhook_deliveries_total', { outcome: 'delivered' })).toBeGreaterThanOrEqual(1);
      expect(total(after, 'portico_webhook_delivery_latency_seconds_count') - total(before, 'portico_webhook_delivery_latency_seconds_count')).toBeGreaterThanOrEqual(1);
    } finally {
      await queue.stop();
      await receiver.close();
    }
  });

  it('requires the bearer token when PORTICO_METRICS_TOKEN is set, and answers the Prometheus text format with it', async () => {
    expect((await fetch(`${app.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } })).status).toBe(401);
    expect((await fetch(`${app.url}/metrics`, { headers: { authorization: 'Bearer short' } })).status).toBe(401);
    const res = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(parseMetrics(await res.text()).length).toBeGreaterThan(20);
  });

  it('is not served at all unless PORTICO_METRICS=true', async () => {
    const off = await startTestApp();
    try {
      const res = await fetch(`${off.url}/metrics`);
      expect(res.status).toBe(404);
    } finally {
      await off.close();
    }
  });

  it('counts sign-ins by environment kind, outcome and dashboard error, HTTP by family, GraphQL by outcome, and SCIM by status and directory type', async () => {
    const setup = await buildDirectorySetup(app);
    const before = await scrape(app.url, TOKEN);

    expect((await signIn(setup)).status).toBe(302);
    expect((await signIn(setup, { audience: 'https://someone-else.example.com' })).location?.searchParams.get('error')).toBeTruthy();
    expect((await setup.scim('POST', '/Users', oktaUser(uniqueEmail('metrics')))).status).toBe(201);
    expect((await setup.scim('GET', '/Users/nope')).status).toBe(404);
    expect((await setup.scim('GET', '/Users', undefined, 'wrong-token')).status).toBe(401);
    await setup.admin.data('{ viewer { user { id } } }');
    const refused = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ nope }' }) });
    expect(refused.status).toBe(400);

    const after = await scrape(app.url, TOKEN);
    const moved = (name: string, labels: Record<string, string> = {}) => total(after, name, labels) - total(before, name, labels);
    expect(moved('portico_sign_in_attempts_total', { environment: 'staging', outcome: 'authorized', error: 'none' })).toBe(1);
    expect(moved('portico_sign_in_attempts_total', { environment: 'staging', outcome: 'failed', error: 'malformed_saml_response' })).toBe(1);
    expect(moved('portico_acs_validation_duration_seconds_count', { result: 'valid' })).toBe(1);
    expect(moved('portico_acs_validation_duration_seconds_count', { result: 'refused' })).toBe(1);
    expect(moved('portico_http_requests_total', { family: 'sso', method: 'POST', status: '302' })).toBe(2);
    expect(moved('portico_http_requests_total', { family: 'sso', method: 'GET', status: '302' })).toBe(2);
    expect(moved('portico_scim_requests_total', { method: 'POST', status: '201', directory_type: 'okta scim v2.0' })).toBe(1);
    expect(moved('portico_scim_requests_total', { method: 'GET', status: '404', directory_type: 'okta scim v2.0' })).toBe(1);
    expect(moved('portico_scim_requests_total', { method: 'GET', status: '401', directory_type: 'unauthenticated' })).toBe(1);
    expect(moved('portico_http_requests_total', { family: 'scim' })).toBe(3);
    expect(moved('portico_graphql_operations_total', { type: 'unknown', outcome: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(moved('portico_graphql_operations_total', { type: 'query', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(moved('portico_db_query_duration_seconds_count')).toBeGreaterThan(10);
  });

  // After the test above, so every labelled counter has samples.
  it('exports every family under portico_ names, with the labels operators group by', async () => {
    const samples = await scrape(app.url, TOKEN);
    const names = new Set(samples.map((s) => s.name));
    for (const name of [
      'portico_http_requests_total', 'portico_http_request_duration_seconds_bucket', 'portico_graphql_operations_total', 'portico_sign_in_attempts_total', 'portico_scim_requests_total', 'portico_acs_validation_duration_seconds_bucket',
      'portico_validation_pool_queue_depth', 'portico_validation_pool_shed_total', 'portico_db_pool_clients', 'portico_db_query_duration_seconds_bucket',
      'portico_db_query_errors_total', 'portico_nodejs_eventloop_lag_seconds', 'portico_nodejs_eventloop_lag_p99_seconds', 'portico_process_cpu_user_seconds_total',
      'portico_process_resident_memory_bytes', 'portico_nodejs_heap_size_used_bytes',
    ]) expect(names).toContain(name);
    expect([...names].filter((n) => !n.startsWith('portico_'))).toEqual([]);
    expect(samples.find((s) => s.name === 'portico_http_requests_total')?.labels).toEqual({ family: expect.any(String), method: expect.any(String), status: expect.stringMatching(/^\d{3}$/) });
    expect(samples.filter((s) => s.name === 'portico_db_pool_clients').map((s) => s.labels.state).sort()).toEqual(['idle', 'total', 'waiting']);
  });

  it('never carries an ID, an email, a token or a path as a label value, and stays small while a scanner walks random URLs', async () => {
    const setup = await buildDirectorySetup(app);
    await signIn(setup);
    for (let i = 0; i < 30; i += 1) await fetch(`${app.url}/scan/${i}/${setup.org.id}?email=ada${i}@acme.com`);
    await fetch(`${app.url}/sso/saml/acs/conn_01JZZZZZZZZZZZZZZZZZZZZZZZ`, { method: 'POST', body: new URLSearchParams({ SAMLResponse: 'x' }) });
    await setup.scim('GET', `/Users/${setup.org.id}`);
    const samples: Sample[] = await scrape(app.url, TOKEN);
    const values = samples.flatMap((s) => Object.values(s.labels));
    const suspicious = values.filter((v) => /@|\/|[0-9A-HJKMNP-TV-Z]{26}|[0-9a-f]{8}-[0-9a-f]{4}-|[A-Za-z0-9_-]{32,}|\d{5,}/.test(v));
    expect(suspicious).toEqual([]);
    const distinctValues = new Set(samples.filter((s) => s.name === 'portico_http_requests_total').map((s) => JSON.stringify(s.labels)));
    expect(distinctValues.size).toBeLessThan(40);
  });
});
