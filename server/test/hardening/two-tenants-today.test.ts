import { routeFamily } from '../../src/http/ops/request-metrics';
import { MAX_WEBHOOK_ENDPOINTS } from '../../src/modules/webhooks/webhooks.service';
import { startTestApp, type TestApp } from '../helpers/app';
import { GqlClient } from '../helpers/client';
import { enableBilling } from '../helpers/factories';
import { buildDirectorySetup, oktaUser } from '../helpers/scim';
import { buildSsoSetup, CALLBACK, postToAcs, startSignIn } from '../helpers/sso';

/**
 * An attacker holding two workspaces (A and B), each with Staging and Production, every role and a key of every
 * scope, against what landed together: webhook endpoints (REST and GraphQL), their delivery log, resend and test
 * event, the Events API, idempotent replays, sessions and certificate usage. Findings first, then the probes that held.
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ PORTICO_METRICS: 'true' });
});
afterAll(async () => {
  await app.close();
});

type Scope = 'READ_ONLY' | 'SSO_ADMIN' | 'FULL_ENVIRONMENT';
const SCOPES: Scope[] = ['READ_ONLY', 'SSO_ADMIN', 'FULL_ENVIRONMENT'];

const CREATE_KEY = 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }';
const CREATE_ENDPOINT = 'mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret endpoint { id } } }';

/** A tenant: an SSO setup in Staging, a key of every scope in Staging and one in Production, and an endpoint in each. */
async function tenant() {
  const setup = await buildSsoSetup(app);
  await enableBilling(app.db, setup.team.workspace.id);
  const admin: GqlClient = setup.admin;
  const staging = setup.team.environments.find((e) => e.kind === 'STAGING')!;
  const production = setup.team.environments.find((e) => e.kind === 'PRODUCTION')!;
  const key = async (environmentId: string, scope: Scope) => (await admin.data(CREATE_KEY, { i: { environmentId, name: `probe ${scope}`, scope } })).createApiKey.secret as string;
  const keys = {} as Record<Scope, string>;
  for (const scope of SCOPES) keys[scope] = await key(staging.id, scope);
  const productionKey = await key(production.id, 'FULL_ENVIRONMENT');
  const endpoint = async (environmentId: string, url: string) => (await admin.data(CREATE_ENDPOINT, { i: { environmentId, endpointUrl: url, events: ['organization.created'] } })).createWebhookEndpoint.endpoint.id as string;
  const stagingEndpoint = await endpoint(staging.id, 'https://hooks.example.com/staging');
  const productionEndpoint = await endpoint(production.id, 'https://hooks.example.com/production');
  const testDelivery = (await admin.data('mutation($id: ID!) { sendTestWebhookEvent(endpointId: $id) }', { id: stagingEndpoint })).sendTestWebhookEvent as string;
  const [{ event_id: eventId }] = await app.db.query('SELECT event_id FROM webhook_deliveries WHERE id = $1', [testDelivery]);
  return { ...setup, staging, production, keys, productionKey, stagingEndpoint, productionEndpoint, eventId: eventId as string, deliveryId: testDelivery };
}

const rest = async (key: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(`${app.url}${path}`, {
    method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : null };
};

const keyClient = (key: string) => new GqlClient(app.url, { bearer: key });
const endpointRow = async (id: string) => (await app.db.query('SELECT endpoint_url, status, events FROM webhook_endpoints WHERE id = $1', [id]))[0];

describe('finding: REST webhook endpoints asked less of a key’s scope than GraphQL', () => {
  // GraphQL gives webhook endpoints to FULL_ENVIRONMENT keys only (environment:configure); REST let any key that could
  // write (SSO_ADMIN) create, repoint or delete them: an SSO_ADMIN key could send every directory user's data
  // (dsync.* events) to a URL of its choosing.
  it('an SSO_ADMIN key can neither create, repoint, disable nor delete an endpoint over REST; FULL_ENVIRONMENT can', async () => {
    const a = await tenant();
    const sso = a.keys.SSO_ADMIN;
    const created = await rest(sso, 'POST', '/webhook_endpoints', { endpoint_url: 'https://attacker.example.net/steal', events: ['dsync.user.created'] });
    expect(created.status).toBe(403);
    expect(created.body).toMatchObject({ code: 'scope_required', message: expect.stringContaining('Full environment') });
    const before = await endpointRow(a.stagingEndpoint);
    expect((await rest(sso, 'PATCH', `/webhook_endpoints/${a.stagingEndpoint}`, { endpoint_url: 'https://attacker.example.net/steal' })).status).toBe(403);
    expect((await rest(sso, 'PATCH', `/webhook_endpoints/${a.stagingEndpoint}`, { status: 'disabled' })).status).toBe(403);
    expect((await rest(sso, 'DELETE', `/webhook_endpoints/${a.stagingEndpoint}`)).status).toBe(403);
    expect(await endpointRow(a.stagingEndpoint)).toEqual(before);
    expect(await app.db.query('SELECT id FROM webhook_endpoints WHERE environment_id = $1 AND endpoint_url LIKE $2', [a.staging.id, 'https://attacker.example.net/%'])).toEqual([]);
    // What SSO_ADMIN is for still works over REST, and it may read the endpoints (reads are every scope's).
    expect((await rest(sso, 'POST', '/organizations', { name: 'Still allowed' })).status).toBe(201);
    expect((await rest(sso, 'GET', '/webhook_endpoints')).status).toBe(200);
    // READ_ONLY reads and changes nothing; FULL_ENVIRONMENT does it all.
    expect((await rest(a.keys.READ_ONLY, 'GET', `/webhook_endpoints/${a.stagingEndpoint}`)).status).toBe(200);
    expect((await rest(a.keys.READ_ONLY, 'POST', '/webhook_endpoints', { endpoint_url: 'https://hooks.example.com/x', events: ['organization.created'] })).body).toMatchObject({ code: 'scope_required' });
    const full = a.keys.FULL_ENVIRONMENT;
    const made = await rest(full, 'POST', '/webhook_endpoints', { endpoint_url: 'https://hooks.example.com/full', events: ['organization.created'] });
    expect(made.status).toBe(201);
    expect((await rest(full, 'PATCH', `/webhook_endpoints/${made.body.id}`, { status: 'disabled' })).body).toMatchObject({ status: 'disabled' });
    expect((await rest(full, 'DELETE', `/webhook_endpoints/${made.body.id}`)).status).toBe(204);
  });
});

describe('finding: an idempotent replay kept the once-shown signing secret in plain text, for any key of the environment', () => {
  // idempotency_keys stored the create response as is (the webhook secret sealed everywhere else sat there in
  // clear for 24 hours), and replayed it to whichever key of the environment sent the same Idempotency-Key and body.
  it('stores the response sealed and replays it only to the key that made the request', async () => {
    const a = await tenant();
    const key = `hook-${Date.now()}`;
    const body = { endpoint_url: 'https://hooks.example.com/idempotent', events: ['organization.created'] };
    const first = await rest(a.keys.FULL_ENVIRONMENT, 'POST', '/webhook_endpoints', body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    const secret = first.body.secret as string;
    expect(secret).toMatch(/^[\w-]{32}$/);
    const [stored] = await app.db.query('SELECT body::text AS body FROM idempotency_keys WHERE environment_id = $1 AND key = $2', [a.staging.id, key]);
    expect(stored.body).not.toContain(secret);
    expect(stored.body).not.toContain('webhook_endpoint');

    const replay = await rest(a.keys.FULL_ENVIRONMENT, 'POST', '/webhook_endpoints', body, { 'idempotency-key': key });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);

    // Another FULL_ENVIRONMENT key of the same environment, same Idempotency-Key and body: no secret for it.
    const other = (await a.admin.data(CREATE_KEY, { i: { environmentId: a.staging.id, name: 'second full', scope: 'FULL_ENVIRONMENT' } })).createApiKey.secret as string;
    const stolen = await rest(other, 'POST', '/webhook_endpoints', body, { 'idempotency-key': key });
    expect(stolen.status).toBe(400);
    expect(stolen.body).toMatchObject({ code: 'idempotency_key_reused' });
    expect(stolen.text).not.toContain(secret);
    expect(await app.db.query('SELECT id FROM webhook_endpoints WHERE environment_id = $1 AND endpoint_url = $2', [a.staging.id, body.endpoint_url])).toHaveLength(1);
  });
});

describe('finding: an environment could add webhook endpoints without bound', () => {
  // Each event becomes a delivery per subscribed endpoint, written in the change's transaction and queued in the job
  // queue every tenant shares: thousands of endpoints turned each SCIM user or sign-in into thousands of jobs.
  it('stops at MAX_WEBHOOK_ENDPOINTS, also for creations racing each other, naming the field and the rule', async () => {
    const a = await tenant(); // one Staging endpoint already
    const results = await Promise.all(Array.from({ length: MAX_WEBHOOK_ENDPOINTS + 4 }, (_, i) =>
      rest(a.keys.FULL_ENVIRONMENT, 'POST', '/webhook_endpoints', { endpoint_url: `https://hooks.example.com/many/${i}`, events: ['organization.created'] })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(MAX_WEBHOOK_ENDPOINTS - 1);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(5);
    for (const r of refused) {
      expect(r.status).toBe(422);
      expect(r.text).toContain('endpoint_limit');
      expect(r.text).toContain(`at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints`);
    }
    expect((await app.db.query('SELECT count(*)::int AS n FROM webhook_endpoints WHERE environment_id = $1', [a.staging.id]))[0].n).toBe(MAX_WEBHOOK_ENDPOINTS);
    // GraphQL says the same; Production, a separate environment, still has room.
    const full = await a.admin.error(CREATE_ENDPOINT, { i: { environmentId: a.staging.id, endpointUrl: 'https://hooks.example.com/one-more', events: ['organization.created'] } });
    expect(full.details).toEqual([expect.objectContaining({ field: 'endpointUrl', code: 'endpoint_limit' })]);
    expect((await rest(a.productionKey, 'POST', '/webhook_endpoints', { endpoint_url: 'https://hooks.example.com/prod-2', events: ['organization.created'] })).status).toBe(201);
  });
});

describe('probes that held', () => {
  let a: Awaited<ReturnType<typeof tenant>>;
  let b: Awaited<ReturnType<typeof tenant>>;
  beforeAll(async () => {
    a = await tenant();
    b = await tenant();
  });

  it('another workspace’s webhook endpoint, delivery, event and environment IDs answer NOT_FOUND over GraphQL, to every role', async () => {
    const probes: [string, Record<string, unknown>][] = [
      ['query($id: ID!) { webhookEndpoint(id: $id) { id endpointUrl } }', { id: a.stagingEndpoint }],
      ['query($id: ID!) { webhookEndpoint(id: $id) { deliveries { id attempts { responseBody } } } }', { id: a.productionEndpoint }],
      ['mutation($i: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $i) { id } }', { i: { id: a.stagingEndpoint, endpointUrl: 'https://attacker.example.net/' } }],
      ['mutation($id: ID!) { rotateWebhookEndpointSecret(id: $id) { secret } }', { id: a.stagingEndpoint }],
      ['mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { id } }', { id: a.stagingEndpoint }],
      ['mutation($id: ID!) { sendTestWebhookEvent(endpointId: $id) }', { id: a.stagingEndpoint }],
      // B's own endpoint with A's event: the event must belong to the endpoint's environment.
      ['mutation($e: ID!, $v: ID!) { resendWebhookEvent(endpointId: $e, eventId: $v) }', { e: b.stagingEndpoint, v: a.eventId }],
      // B's Production endpoint with B's Staging event: not across environments either.
      ['mutation($e: ID!, $v: ID!) { resendWebhookEvent(endpointId: $e, eventId: $v) }', { e: b.productionEndpoint, v: b.eventId }],
      ['mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret } }', { i: { environmentId: a.production.id, endpointUrl: 'https://attacker.example.net/', events: ['dsync.user.created'] } }],
    ];
    for (const role of ['ADMIN', 'DEVELOPER'] as const) {
      for (const [query, variables] of probes) expect([query, (await b.team.as[role].error(query, variables)).code]).toEqual([query, 'NOT_FOUND']);
    }
    expect(await a.admin.data('query($id: ID!) { webhookEndpoint(id: $id) { endpointUrl } }', { id: a.stagingEndpoint })).toEqual({ webhookEndpoint: { endpointUrl: 'https://hooks.example.com/staging' } });
    expect((await app.db.query('SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1', [b.productionEndpoint]))[0].n).toBe(0);
    // Support in A's own workspace: no webhook configuration, no delivery log.
    expect((await a.team.as.SUPPORT.error('query($id: ID!) { webhookEndpoint(id: $id) { id } }', { id: a.stagingEndpoint })).code).toBe('FORBIDDEN');
  });

  it('API keys: another tenant’s or environment’s endpoints and events are out of reach over REST and GraphQL', async () => {
    for (const key of [b.keys.FULL_ENVIRONMENT, b.productionKey, a.keys.FULL_ENVIRONMENT]) {
      // a's Staging key reaching a's Production endpoint is the cross-environment case.
      for (const [method, body] of [['GET', undefined], ['PATCH', { endpoint_url: 'https://attacker.example.net/' }], ['DELETE', undefined]] as const) {
        expect((await rest(key, method, `/webhook_endpoints/${a.productionEndpoint}`, body)).status).toBe(404);
      }
    }
    expect((await rest(a.productionKey, 'GET', `/webhook_endpoints/${a.stagingEndpoint}`)).status).toBe(404);
    const listed = await rest(b.keys.READ_ONLY, 'GET', '/webhook_endpoints');
    expect(listed.body.data.map((e: { id: string }) => e.id)).toEqual([b.stagingEndpoint]);
    expect(listed.text).not.toMatch(/"secret"/);
    // GET /events with B's key never lists A's events, even asked by A's organization.
    await rest(a.keys.SSO_ADMIN, 'POST', '/organizations', { name: 'A secret org' });
    const events = await rest(b.keys.READ_ONLY, 'GET', `/events?events=organization.created,webhook.test&organization_id=${a.org.id}`);
    expect(events.status).toBe(200);
    expect(events.text).not.toContain('A secret org');
    expect(events.text).not.toContain(a.eventId);
    const own = await rest(b.keys.READ_ONLY, 'GET', '/events?events=webhook.test');
    expect(own.body.data.map((e: { id: string }) => e.id)).toEqual([b.eventId]);
    // GraphQL with keys: A's endpoint by ID, and B's Staging key on B's Production endpoint.
    const asKey = keyClient;
    expect((await asKey(b.keys.FULL_ENVIRONMENT).error('query($id: ID!) { webhookEndpoint(id: $id) { id } }', { id: a.stagingEndpoint })).code).toBe('NOT_FOUND');
    expect((await asKey(b.keys.FULL_ENVIRONMENT).error('query($id: ID!) { webhookEndpoint(id: $id) { id } }', { id: b.productionEndpoint })).code).toBe('NOT_FOUND');
    expect((await asKey(b.keys.FULL_ENVIRONMENT).error('mutation($e: ID!, $v: ID!) { resendWebhookEvent(endpointId: $e, eventId: $v) }', { e: b.stagingEndpoint, v: a.eventId })).code).toBe('NOT_FOUND');
    // A READ_ONLY key writes nothing through GraphQL either.
    expect((await asKey(b.keys.READ_ONLY).error('mutation($id: ID!) { sendTestWebhookEvent(endpointId: $id) }', { id: b.stagingEndpoint })).reason).toBe('scope_required');
  });

  it('another workspace’s session and connection IDs: no session, decrypted assertion or certificate usage', async () => {
    const started = await startSignIn(a.workos.sso.getAuthorizationUrl({ connection: a.connection.id, redirectUri: CALLBACK, state: 's', clientId: a.environment.clientId }));
    await postToAcs(app, a.connection.id, await a.idp.response(a.connection, { inResponseTo: started.requestId }), started.relayState);
    const sessionId = started.relayState!;
    for (const client of [b.team.as.ADMIN, b.team.as.SUPPORT, keyClient(b.keys.FULL_ENVIRONMENT)]) {
      expect((await client.error('query($id: ID!) { session(id: $id) { id samlResponse decryptedAssertion } }', { id: sessionId })).code).toBe('NOT_FOUND');
      expect((await client.error('query($id: ID!) { ssoConnection(id: $id) { certificateUsage { fingerprintSha256 } } }', { id: a.connection.id })).code).toBe('NOT_FOUND');
    }
    // A's own Staging key sees them; A's Production key does not (another environment).
    const own = keyClient(a.keys.READ_ONLY);
    expect((await own.data('query($id: ID!) { ssoConnection(id: $id) { certificateUsage { signIns } } }', { id: a.connection.id })).ssoConnection.certificateUsage).toEqual([expect.objectContaining({ signIns: 1 })]);
    expect((await keyClient(a.productionKey).error('query($id: ID!) { session(id: $id) { id } }', { id: sessionId })).code).toBe('NOT_FOUND');
  });

  it('SCIM: a provider’s password never reaches an event, and filters keep values and names as data', async () => {
    const d = await buildDirectorySetup(app, undefined, 'FULL_ENVIRONMENT');
    const created = await d.scim('POST', '/Users', oktaUser('pat@acme.com', { password: 'Hunter2-plaintext' }));
    expect(created.status).toBe(201);
    await d.scim('PATCH', `/Users/${created.body.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'password', value: 'Hunter3-plaintext' }] });
    const events = await rest(d.apiKey, 'GET', '/events?events=dsync.user.created,dsync.user.updated');
    expect(events.body.data.length).toBeGreaterThan(0);
    expect(events.text).not.toMatch(/Hunter[23]-plaintext/);
    // Attacker-shaped filters: SQL in values and attribute names, an operator that isn't one, a value path nested.
    const filters = [
      'userName eq "x\' OR 1=1 --"', 'userName eq "nobody@acme.com" or "1" eq "1"', 'userName) or 1=1 -- eq "x"', 'emails[value co "\'); DROP TABLE events; --"]',
      'name.familyName;select pg_sleep(5) eq "x"', 'userName xx "pat"', 'emails[type eq "work" and value[value eq "x"]]',
      `userName eq "${'a'.repeat(3000)}"`, `${'('.repeat(400)}userName eq "x"${')'.repeat(400)}`, Array.from({ length: 60 }, (_, i) => `userName eq "u${i}"`).join(' or '),
    ];
    for (const filter of filters) {
      const started = Date.now();
      const res = await d.scim('GET', `/Users?filter=${encodeURIComponent(filter)}`);
      expect([filter, res.status === 200 ? res.body.totalResults : res.body.scimType]).toEqual([filter, res.status === 200 ? 0 : 'invalidFilter']);
      expect(Date.now() - started).toBeLessThan(2_000);
    }
  });

  it('/metrics after all of it: label values are fixed sets, never an ID or an email', async () => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(text).toContain('portico_http_requests_total');
    for (const t of [a, b]) {
      for (const secret of [t.org.id, t.connection.id, t.stagingEndpoint, t.productionEndpoint, t.eventId, t.staging.id, t.team.workspace.id, t.team.admin.email, 'ada@acme.com']) expect(text).not.toContain(secret);
    }
    // Webhook endpoint calls are counted as REST calls (they were "other").
    expect(routeFamily('/webhook_endpoints')).toBe('rest');
    expect(routeFamily(`/webhook_endpoints/${a.stagingEndpoint}`)).toBe('rest');
    expect(routeFamily('/webhook_endpointsX')).toBe('other');
  });
});
