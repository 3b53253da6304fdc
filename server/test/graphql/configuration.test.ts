import { generateKeyPairSync } from 'node:crypto';
import { startTestApp, type TestApp } from '../helpers/app';
import { buildTeam, enableBilling } from '../helpers/factories';

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

const CREATE_KEY = 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id revealable } } }';
const REVEAL = 'mutation($id: ID!) { revealApiKey(id: $id) }';
const OAUTH = 'mutation($input: UpdateOAuthProviderInput!) { updateOAuthProvider(input: $input) { provider enabled clientId clientSecretSet appleTeamId applePrivateKeySet redirectUri } }';
const PORTAL = 'mutation($input: UpdateAdminPortalInput!) { updateAdminPortalSettings(input: $input) { redirectUrl displayName logoUrl brandColor } }';

describe('environment configuration', () => {
  it('shows Staging API keys again, never Production ones, and only to Admins and Developers', async () => {
    const team = await buildTeam(app.db, app.url);
    await enableBilling(app.db, team.workspace.id);
    const [staging, production] = team.environments;
    const test = (await team.as.DEVELOPER.data(CREATE_KEY, { input: { environmentId: staging!.id, name: 'web' } })).createApiKey;
    expect(test.apiKey.revealable).toBe(true);
    expect((await team.as.ADMIN.data(REVEAL, { id: test.apiKey.id })).revealApiKey).toBe(test.secret);
    const [row] = await app.db.query('SELECT secret_sealed FROM api_keys WHERE id = $1', [test.apiKey.id]);
    expect(row.secret_sealed).toMatch(/^v1\./);
    expect(row.secret_sealed).not.toContain(test.secret.slice(8));
    const live = (await team.as.ADMIN.data(CREATE_KEY, { input: { environmentId: production!.id, name: 'live' } })).createApiKey;
    expect(live.apiKey.revealable).toBe(false);
    expect(await team.as.ADMIN.error(REVEAL, { id: live.apiKey.id })).toMatchObject({ code: 'FORBIDDEN', reason: 'shown_once' });
    expect(await team.as.SUPPORT.error(REVEAL, { id: test.apiKey.id })).toMatchObject({ code: 'FORBIDDEN', reason: 'role_required' });
    const other = await buildTeam(app.db, app.url);
    expect((await other.as.ADMIN.error(REVEAL, { id: test.apiKey.id })).code).toBe('NOT_FOUND');
  });

  it('validates OAuth provider credentials per provider and keeps secrets write-only, sealed at rest', async () => {
    const team = await buildTeam(app.db, app.url);
    const environmentId = team.environments[0]!.id;
    const error = async (input: Record<string, unknown>) => (await team.as.DEVELOPER.error(OAUTH, { input: { environmentId, ...input } })).details.map((d: { field: string; code: string }) => `${d.field}:${d.code}`);
    expect(await error({ provider: 'GoogleOAuth', clientId: 'not-a-google-id' })).toEqual(['clientId:invalid_client_id']);
    expect(await error({ provider: 'GoogleOAuth', clientId: '123-abc.apps.googleusercontent.com', enabled: true })).toEqual(['enabled:credentials_incomplete']);
    expect(await error({ provider: 'MicrosoftOAuth', clientId: 'abc' })).toEqual(['clientId:invalid_client_id']);
    expect(await error({ provider: 'AppleOAuth', clientId: 'com.example.signin', appleTeamId: 'abc', applePrivateKey: 'nope' })).toEqual(['appleTeamId:invalid_team_id', 'applePrivateKey:invalid_private_key']);

    const google = (await team.as.DEVELOPER.data(OAUTH, { input: { environmentId, provider: 'GoogleOAuth', clientId: '123-abc.apps.googleusercontent.com', clientSecret: 'GOCSPX-super-secret-value', enabled: true } })).updateOAuthProvider;
    expect(google).toEqual({ provider: 'GoogleOAuth', enabled: true, clientId: '123-abc.apps.googleusercontent.com', clientSecretSet: true, appleTeamId: null, applePrivateKeySet: false, redirectUri: 'http://portico.test/sso/oauth/callback' });
    const [row] = await app.db.query(`SELECT client_secret_sealed FROM oauth_providers WHERE environment_id = $1 AND provider = 'GoogleOAuth'`, [environmentId]);
    expect(row.client_secret_sealed).not.toContain('super-secret');
    const listed = await team.as.ADMIN.data(`query($id: ID!) { environment(id: $id) { oauthProviders { provider enabled clientSecretSet } } }`, { id: environmentId });
    expect(listed.environment.oauthProviders).toEqual([
      { provider: 'GoogleOAuth', enabled: true, clientSecretSet: true }, { provider: 'MicrosoftOAuth', enabled: false, clientSecretSet: false },
      { provider: 'GitHubOAuth', enabled: false, clientSecretSet: false }, { provider: 'AppleOAuth', enabled: false, clientSecretSet: false },
    ]);
    expect(JSON.stringify(listed)).not.toContain('super-secret');

    const p8 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const apple = (await team.as.ADMIN.data(OAUTH, { input: { environmentId, provider: 'AppleOAuth', clientId: 'com.example.signin', appleTeamId: 'ABCDE12345', appleKeyId: 'KEY1234567', applePrivateKey: p8, enabled: true } })).updateOAuthProvider;
    expect(apple).toMatchObject({ enabled: true, appleTeamId: 'ABCDE12345', applePrivateKeySet: true });
    expect((await team.as.SUPPORT.error(`query($id: ID!) { environment(id: $id) { oauthProviders { provider } } }`, { id: environmentId })).code).toBe('FORBIDDEN');
  });

  it('keeps the Admin Portal redirect link and logo on https, and the colour a hex colour', async () => {
    const team = await buildTeam(app.db, app.url);
    const environmentId = team.environments[0]!.id;
    const refused = await team.as.ADMIN.error(PORTAL, { input: { environmentId, redirectUrl: 'http://app.example.com/done', logoUrl: 'javascript:alert(1)', brandColor: 'blue' } });
    expect(refused.details.map((d: { field: string; code: string }) => `${d.field}:${d.code}`)).toEqual(['redirectUrl:https_required', 'logoUrl:https_required', 'brandColor:invalid_color']);
    const saved = await team.as.DEVELOPER.data(PORTAL, { input: { environmentId, redirectUrl: 'https://app.example.com/settings/sso', displayName: 'Acme App', logoUrl: 'https://cdn.example.com/logo.svg', brandColor: '#4F46E5' } });
    expect(saved.updateAdminPortalSettings).toEqual({ redirectUrl: 'https://app.example.com/settings/sso', displayName: 'Acme App', logoUrl: 'https://cdn.example.com/logo.svg', brandColor: '#4f46e5' });
    expect((await team.as.SUPPORT.error(PORTAL, { input: { environmentId, displayName: 'x' } })).code).toBe('FORBIDDEN');
  });
});
