import { buildTeam, enableBilling } from '../helpers/factories';
import { GqlClient } from '../helpers/client';
import { startTestApp, type TestApp } from '../helpers/app';

const CREATE = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id name maskedValue lastUsedAt } } }`;
const LIST = `query($id: ID!) { environment(id: $id) { kind apiKeys(first: 50) { totalCount edges { node { id name maskedValue } } } } }`;
const REVOKE = `mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`;

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

function withKey(secret: string) {
  const client = new GqlClient(app.url);
  return {
    request: async (query: string, variables: Record<string, unknown> = {}) => {
      const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` }, body: JSON.stringify({ query, variables }) });
      return { status: res.status, body: (await res.json()) as any };
    },
    client,
  };
}

describe('API keys', () => {
  it('creates sk_test_ keys in Staging and sk_live_ keys in Production, shows the secret once, and stores only a hash', async () => {
    const team = await buildTeam(app.db, app.url);
    await enableBilling(app.db, team.workspace.id);
    const [staging, production] = team.environments;
    const created = (await team.as.DEVELOPER.data(CREATE, { input: { environmentId: staging!.id, name: 'Web app' } })).createApiKey;
    expect(created.secret).toMatch(/^sk_test_[A-Za-z0-9]{40}$/);
    expect(created.apiKey).toMatchObject({ name: 'Web app', maskedValue: `sk_test_••••••••${created.secret.slice(-4)}`, lastUsedAt: null });
    expect(created.apiKey.id).toMatch(/^key_/);
    expect((await team.as.ADMIN.data(CREATE, { input: { environmentId: production!.id, name: 'Live' } })).createApiKey.secret).toMatch(/^sk_live_/);
    const { environment } = await team.as.ADMIN.data(LIST, { id: staging!.id });
    expect(environment.apiKeys.edges.map((e: any) => e.node)).toEqual([{ id: created.apiKey.id, name: 'Web app', maskedValue: created.apiKey.maskedValue }]);
    expect(JSON.stringify(environment)).not.toContain(created.secret);
    const rows = await app.db.query('SELECT * FROM api_keys WHERE id = $1', [created.apiKey.id]);
    expect(JSON.stringify(rows)).not.toContain(created.secret.slice(8));
  });

  it('authenticates the API as its own environment only, and stops at once when revoked', async () => {
    const team = await buildTeam(app.db, app.url);
    const other = await buildTeam(app.db, app.url);
    const [staging, production] = team.environments;
    const { secret, apiKey } = (await team.as.ADMIN.data(CREATE, { input: { environmentId: staging!.id, name: 'CI' } })).createApiKey;
    const api = withKey(secret);
    expect((await api.request(`{ environment { id kind clientId } }`)).body.data.environment).toEqual({ id: staging!.id, kind: 'STAGING', clientId: staging!.clientId });
    expect((await api.request(`query($id: ID!) { environment(id: $id) { id } }`, { id: production!.id })).body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect((await api.request(`query($id: ID!) { environment(id: $id) { id } }`, { id: other.environments[0]!.id })).body.errors[0].extensions.code).toBe('NOT_FOUND');
    const [{ last_used_at }] = await app.db.query('SELECT last_used_at FROM api_keys WHERE id = $1', [apiKey.id]);
    expect(last_used_at).not.toBeNull();

    await team.as.DEVELOPER.data(REVOKE, { id: apiKey.id });
    const refused = await api.request(`{ environment { id } }`);
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await team.as.ADMIN.data(LIST, { id: staging!.id })).environment.apiKeys.totalCount).toBe(0);
  });

  it('refuses a forged key, and does not fall back to the session cookie when a bearer token is sent', async () => {
    const team = await buildTeam(app.db, app.url);
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer sk_test_${'A'.repeat(40)}`, cookie: team.as.ADMIN.cookie! },
      body: JSON.stringify({ query: '{ viewer { user { email } } }' }),
    });
    expect(res.status).toBe(401);
  });

  it('does not let an API key create or revoke API keys', async () => {
    const team = await buildTeam(app.db, app.url);
    const { secret, apiKey } = (await team.as.ADMIN.data(CREATE, { input: { environmentId: team.environments[0]!.id, name: 'CI' } })).createApiKey;
    const api = withKey(secret);
    expect((await api.request(CREATE, { input: { environmentId: team.environments[0]!.id, name: 'more' } })).body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'dashboard_only' });
    expect((await api.request(REVOKE, { id: apiKey.id })).body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('keeps keys away from Support, and from other workspaces', async () => {
    const team = await buildTeam(app.db, app.url);
    const other = await buildTeam(app.db, app.url);
    const staging = team.environments[0]!;
    expect((await team.as.SUPPORT.error(CREATE, { input: { environmentId: staging.id, name: 'x' } })).code).toBe('FORBIDDEN');
    expect((await team.as.SUPPORT.error(LIST, { id: staging.id })).code).toBe('FORBIDDEN');
    expect(await team.as.ADMIN.error(`{ environment { id } }`)).toMatchObject({ code: 'BAD_USER_INPUT', details: [expect.objectContaining({ field: 'id' })] });
    expect((await other.as.ADMIN.error(CREATE, { input: { environmentId: staging.id, name: 'x' } })).code).toBe('NOT_FOUND');
    const { apiKey } = (await team.as.ADMIN.data(CREATE, { input: { environmentId: staging.id, name: 'mine' } })).createApiKey;
    expect((await other.as.ADMIN.error(REVOKE, { id: apiKey.id })).code).toBe('NOT_FOUND');
    expect((await team.as.SUPPORT.error(REVOKE, { id: apiKey.id })).code).toBe('FORBIDDEN');
  });

  it('names the field when the key has no name, and refuses revoking twice', async () => {
    const team = await buildTeam(app.db, app.url);
    expect(await team.as.ADMIN.error(CREATE, { input: { environmentId: team.environments[0]!.id, name: '' } })).toMatchObject({ code: 'BAD_USER_INPUT', details: [expect.objectContaining({ field: 'name' })] });
    const { apiKey } = (await team.as.ADMIN.data(CREATE, { input: { environmentId: team.environments[0]!.id, name: 'once' } })).createApiKey;
    await team.as.ADMIN.data(REVOKE, { id: apiKey.id });
    expect((await team.as.ADMIN.error(REVOKE, { id: apiKey.id })).code).toBe('CONFLICT');
  });

  describe('scopes', () => {
    const keyOf = async (team: Awaited<ReturnType<typeof buildTeam>>, environmentId: string, scope?: string) =>
      (await team.as.ADMIN.data(`mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id scope } } }`, { input: { environmentId, name: `k ${scope}`, ...(scope ? { scope } : {}) } })).createApiKey;
    const READ = `query($id: ID!) { environment(id: $id) { organizations(first: 5) { totalCount } redirectUris { uri } oauthProviders { provider } customAttributes { key } adminPortal { redirectUrl } } }`;

    it('reads the environment with every scope, but never lists API keys', async () => {
      const team = await buildTeam(app.db, app.url);
      const staging = team.environments[0]!;
      for (const scope of ['READ_ONLY', 'SSO_ADMIN', 'FULL_ENVIRONMENT']) {
        const api = withKey((await keyOf(team, staging.id, scope)).secret);
        const read = await api.request(READ, { id: staging.id });
        expect([scope, read.body.errors]).toEqual([scope, undefined]);
        expect(read.body.data.environment.organizations.totalCount).toBe(0);
        const keys = await api.request(`query($id: ID!) { environment(id: $id) { apiKeys { totalCount } } }`, { id: staging.id });
        expect([scope, keys.body.errors[0].extensions]).toEqual([scope, expect.objectContaining({ code: 'FORBIDDEN', reason: 'dashboard_only' })]);
      }
    });

    it('lets a FULL_ENVIRONMENT key configure its own environment only, never another environment or workspace', async () => {
      const team = await buildTeam(app.db, app.url);
      const other = await buildTeam(app.db, app.url);
      await enableBilling(app.db, team.workspace.id);
      const [staging, production] = team.environments;
      const api = withKey((await keyOf(team, staging!.id, 'FULL_ENVIRONMENT')).secret);
      const ADD = `mutation($i: AddRedirectUriInput!) { addRedirectUri(input: $i) { uri } }`;
      const ORG = `mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }`;
      expect((await api.request(ADD, { i: { environmentId: staging!.id, uri: 'https://app.example.com/cb' } })).body.data.addRedirectUri.uri).toBe('https://app.example.com/cb');
      for (const environmentId of [production!.id, other.environments[0]!.id]) {
        expect((await api.request(ADD, { i: { environmentId, uri: 'https://evil.example.com/cb' } })).body.errors[0].extensions.code).toBe('NOT_FOUND');
        expect((await api.request(ORG, { i: { environmentId, name: 'Evil' } })).body.errors[0].extensions.code).toBe('NOT_FOUND');
      }
      const rows = await app.db.query(`SELECT count(*)::int AS n FROM redirect_uris WHERE uri = 'https://evil.example.com/cb'`);
      expect(rows[0].n).toBe(0);
    });

    it('shows the scope, defaults to SSO_ADMIN, and keys made before scopes existed are SSO_ADMIN', async () => {
      const team = await buildTeam(app.db, app.url);
      const staging = team.environments[0]!;
      expect((await keyOf(team, staging.id)).apiKey.scope).toBe('SSO_ADMIN');
      expect((await keyOf(team, staging.id, 'READ_ONLY')).apiKey.scope).toBe('READ_ONLY');
      const columns = await app.db.query(`SELECT column_default FROM information_schema.columns WHERE table_name = 'api_keys' AND column_name = 'scope'`);
      expect(columns[0].column_default).toContain('SSO_ADMIN');
      expect(await team.as.ADMIN.error(`mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`, { input: { environmentId: staging.id, name: 'x', scope: 'EVERYTHING' } }))
        .toMatchObject({ code: 'BAD_USER_INPUT' });
    });

    it('REST: a READ_ONLY key reads but changes nothing; an SSO_ADMIN key works as keys always have', async () => {
      const team = await buildTeam(app.db, app.url);
      const staging = team.environments[0]!;
      const rest = async (secret: string, method: string, body?: unknown) => {
        const res = await fetch(`${app.url}/organizations`, { method, headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
        return { status: res.status, body: (await res.json()) as any };
      };
      const readOnly = (await keyOf(team, staging.id, 'READ_ONLY')).secret;
      const admin = (await keyOf(team, staging.id, 'SSO_ADMIN')).secret;
      expect((await rest(readOnly, 'GET')).status).toBe(200);
      expect(await rest(readOnly, 'POST', { name: 'Nope' })).toEqual({ status: 403, body: expect.objectContaining({ code: 'scope_required' }) });
      expect((await rest(admin, 'POST', { name: 'Acme' })).status).toBe(201);
      const { data } = (await rest(readOnly, 'GET')).body;
      expect(data.map((o: { name: string }) => o.name)).toEqual(['Acme']);
    });
  });
});
