import { buildSchema } from 'graphql';
import fs from 'node:fs';
import path from 'node:path';
import { startTestApp, type TestApp } from '../helpers/app';
import { buildMember, buildTeam, enableBilling, uniqueEmail } from '../helpers/factories';
import { TestIdp } from '../helpers/sso';

/**
 * Every mutation and protected download × every role, signed out, another workspace and an API key: allowed, or
 * the exact error. The policy is DESIGN's: Admin everything; Developer configuration and what Support can; Support
 * organizations, connections, directories and sessions. A new mutation fails this test until it is added here.
 */
let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

type Scope = 'READ_ONLY' | 'SSO_ADMIN' | 'FULL_ENVIRONMENT';
const SCOPES: Scope[] = ['READ_ONLY', 'SSO_ADMIN', 'FULL_ENVIRONMENT'];
type Team = Awaited<ReturnType<typeof buildTeam>> & { staging: string; apiKey: string; keys: Record<Scope, string> };
type Attempt = { query: string; variables?: Record<string, unknown> };
type Role = 'ADMIN' | 'DEVELOPER' | 'SUPPORT';
interface Rule {
  allowed: Role[];
  /** How another workspace's Admin is refused: NOT_FOUND for another tenant's IDs; `own` when the mutation acts on the caller's own workspace. */
  otherWorkspace: 'NOT_FOUND' | 'own';
  /** What an API key of the environment gets, by scope: allowed, or the reason of its FORBIDDEN. */
  apiKey: Record<Scope, 'allowed' | 'dashboard_only' | 'scope_required'>;
  setup: (team: Team) => Promise<Attempt>;
}

const gql = async (team: Team, query: string, variables: Record<string, unknown> = {}) => team.as.ADMIN.data(query, variables);
const org = async (team: Team) => (await gql(team, 'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }', { i: { environmentId: team.staging, name: 'Org' } })).createOrganization.id as string;
const connection = async (team: Team) => (await gql(team, 'mutation($i: CreateSamlConnectionInput!) { createSamlConnection(input: $i) { id } }', { i: { organizationId: await org(team), metadataXml: new TestIdp().metadataXml() } })).createSamlConnection.id as string;
const oidcConnection = async (team: Team) => (await gql(team, 'mutation($i: CreateOidcConnectionInput!) { createOidcConnection(input: $i) { id } }', { i: { organizationId: await org(team), clientId: 'c' } })).createOidcConnection.id as string;
const directory = async (team: Team) => (await gql(team, 'mutation($i: CreateDirectoryInput!) { createDirectory(input: $i) { directory { id } token } }', { i: { organizationId: await org(team), type: 'okta scim v2.0' } })).createDirectory;
const customAttribute = async (team: Team) => (await gql(team, 'mutation($i: CreateCustomAttributeInput!) { createCustomAttribute(input: $i) { id } }', { i: { environmentId: team.staging, key: `k${Math.random().toString(36).slice(2, 9)}`, label: 'K' } })).createCustomAttribute.id as string;
const redirectUri = async (team: Team) => (await gql(team, 'mutation($i: AddRedirectUriInput!) { addRedirectUri(input: $i) { id } }', { i: { environmentId: team.staging, uri: `https://app${Math.random().toString(36).slice(2, 8)}.example.com/cb` } })).addRedirectUri.id as string;
const apiKey = async (team: Team) => (await gql(team, 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { apiKey { id } } }', { i: { environmentId: team.staging, name: 'k' } })).createApiKey.apiKey.id as string;
const invitation = async (team: Team) => (await gql(team, 'mutation($i: InviteMemberInput!) { inviteMember(input: $i) { id } }', { i: { email: uniqueEmail('invitee'), role: 'SUPPORT' } })).inviteMember.id as string;
const domain = async (team: Team) => (await gql(team, 'mutation($o: ID!, $d: String!) { addOrganizationDomain(organizationId: $o, domain: $d) { id } }', { o: await org(team), d: `d${Math.random().toString(36).slice(2, 10)}.example.org` })).addOrganizationDomain.id as string;
// A fresh endpoint per attempt; the ones before it go first, since an environment holds at most MAX_WEBHOOK_ENDPOINTS.
const webhookEndpoint = async (team: Team) => {
  await app.db.query('DELETE FROM webhook_endpoints WHERE environment_id = $1', [team.staging]);
  return (await gql(team, 'mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { endpoint { id } } }', { i: { environmentId: team.staging, endpointUrl: 'https://hooks.example.com/portico', events: ['organization.created'] } })).createWebhookEndpoint.endpoint.id as string;
};
const address = { companyName: 'Acme', addressLine1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };

// API key scopes: SSO_ADMIN changes organizations, connections, directories and redirect URIs; FULL_ENVIRONMENT
// also the environment's settings; READ_ONLY changes nothing; no key manages keys, the team or billing.
const NO_KEY = { READ_ONLY: 'dashboard_only', SSO_ADMIN: 'dashboard_only', FULL_ENVIRONMENT: 'dashboard_only' } as const;
const SSO_ADMIN_UP = { READ_ONLY: 'scope_required', SSO_ADMIN: 'allowed', FULL_ENVIRONMENT: 'allowed' } as const;
const FULL_ONLY = { READ_ONLY: 'scope_required', SSO_ADMIN: 'scope_required', FULL_ENVIRONMENT: 'allowed' } as const;
const ORGS: Omit<Rule, 'setup'> = { allowed: ['ADMIN', 'DEVELOPER', 'SUPPORT'], otherWorkspace: 'NOT_FOUND', apiKey: SSO_ADMIN_UP };
const REDIRECTS: Omit<Rule, 'setup'> = { allowed: ['ADMIN', 'DEVELOPER'], otherWorkspace: 'NOT_FOUND', apiKey: SSO_ADMIN_UP };
const CONFIG: Omit<Rule, 'setup'> = { allowed: ['ADMIN', 'DEVELOPER'], otherWorkspace: 'NOT_FOUND', apiKey: FULL_ONLY };
const KEYS: Omit<Rule, 'setup'> = { allowed: ['ADMIN', 'DEVELOPER'], otherWorkspace: 'NOT_FOUND', apiKey: NO_KEY };
const TEAM: Omit<Rule, 'setup'> = { allowed: ['ADMIN'], otherWorkspace: 'NOT_FOUND', apiKey: NO_KEY };
const OWN_ADMIN: Omit<Rule, 'setup'> = { allowed: ['ADMIN'], otherWorkspace: 'own', apiKey: NO_KEY };

const MATRIX: Record<string, Rule> = {
  createOrganization: { ...ORGS, setup: async (t) => ({ query: 'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }', variables: { i: { environmentId: t.staging, name: 'New' } } }) },
  updateOrganization: { ...ORGS, setup: async (t) => ({ query: 'mutation($i: UpdateOrganizationInput!) { updateOrganization(input: $i) { id } }', variables: { i: { id: await org(t), name: 'Renamed' } } }) },
  deleteOrganization: { ...ORGS, setup: async (t) => ({ query: 'mutation($id: ID!) { deleteOrganization(id: $id) { id } }', variables: { id: await org(t) } }) },
  addOrganizationDomain: { ...ORGS, setup: async (t) => ({ query: 'mutation($o: ID!, $d: String!) { addOrganizationDomain(organizationId: $o, domain: $d) { id } }', variables: { o: await org(t), d: `n${Math.random().toString(36).slice(2, 10)}.example.org` } }) },
  removeOrganizationDomain: { ...ORGS, setup: async (t) => ({ query: 'mutation($id: ID!) { removeOrganizationDomain(id: $id) { id } }', variables: { id: await domain(t) } }) },
  createSamlConnection: { ...ORGS, setup: async (t) => ({ query: 'mutation($i: CreateSamlConnectionInput!) { createSamlConnection(input: $i) { id } }', variables: { i: { organizationId: await org(t) } } }) },
  updateSamlConnection: { ...ORGS, setup: async (t) => ({ query: 'mutation($i: UpdateSamlConnectionInput!) { updateSamlConnection(input: $i) { id } }', variables: { i: { id: await connection(t), name: 'Renamed' } } }) },
  createSsoConnection: { ...ORGS, setup: async (t) => ({ query: 'mutation($i: CreateSsoConnectionInput!) { createSsoConnection(input: $i) { id } }', variables: { i: { organizationId: await org(t) } } }) },
  createOidcConnection: { ...ORGS, setup: async (t) => ({ query: 'mutation($i: CreateOidcConnectionInput!) { createOidcConnection(input: $i) { id } }', variables: { i: { organizationId: await org(t), clientId: 'c' } } }) },
  updateOidcConnection: { ...ORGS, setup: async (t) => ({ query: 'mutation($i: UpdateOidcConnectionInput!) { updateOidcConnection(input: $i) { id } }', variables: { i: { id: await oidcConnection(t), name: 'Renamed' } } }) },
  updateSsoConnection: { ...ORGS, setup: async (t) => ({ query: 'mutation($i: UpdateSsoConnectionInput!) { updateSsoConnection(input: $i) { id } }', variables: { i: { id: await connection(t), name: 'Renamed' } } }) },
  deleteSsoConnection: { ...ORGS, setup: async (t) => ({ query: 'mutation($id: ID!) { deleteSsoConnection(id: $id) { id } }', variables: { id: await connection(t) } }) },
  setSsoConnectionEnabled: { ...ORGS, setup: async (t) => ({ query: 'mutation($id: ID!) { setSsoConnectionEnabled(id: $id, enabled: false) { id } }', variables: { id: await connection(t) } }) },
  deleteConnection: { ...ORGS, setup: async (t) => ({ query: 'mutation($id: ID!) { deleteConnection(id: $id) { id } }', variables: { id: await connection(t) } }) },
  setConnectionEnabled: { ...ORGS, setup: async (t) => ({ query: 'mutation($id: ID!) { setConnectionEnabled(id: $id, enabled: false) { id } }', variables: { id: await connection(t) } }) },
  generateSpEncryptionKey: { ...ORGS, setup: async (t) => ({ query: 'mutation($id: ID!) { generateSpEncryptionKey(id: $id) { id } }', variables: { id: await connection(t) } }) },
  promoteSpEncryptionKey: { ...ORGS, setup: async (t) => {
    const id = await connection(t);
    // A current key, then a next one to promote.
    for (let i = 0; i < 2; i += 1) await gql(t, 'mutation($id: ID!) { generateSpEncryptionKey(id: $id) { id } }', { id });
    return { query: 'mutation($id: ID!) { promoteSpEncryptionKey(id: $id) { id } }', variables: { id } };
  } },
  removeSpEncryptionKey: { ...ORGS, setup: async (t) => ({ query: 'mutation($id: ID!) { removeSpEncryptionKey(id: $id) { id } }', variables: { id: await connection(t) } }) },
  createDirectory: { ...ORGS, setup: async (t) => ({ query: 'mutation($i: CreateDirectoryInput!) { createDirectory(input: $i) { token } }', variables: { i: { organizationId: await org(t), type: 'azure scim v2.0' } } }) },
  deleteDirectory: { ...ORGS, setup: async (t) => ({ query: 'mutation($id: ID!) { deleteDirectory(id: $id) { id } }', variables: { id: (await directory(t)).directory.id } }) },
  rotateDirectoryToken: { ...ORGS, setup: async (t) => ({ query: 'mutation($id: ID!) { rotateDirectoryToken(id: $id) { token } }', variables: { id: (await directory(t)).directory.id } }) },
  mapCustomAttribute: {
    ...ORGS,
    setup: async (t) => {
      const d = await directory(t);
      await fetch(`${app.url}/scim/v2/${d.directory.id}/Users`, { method: 'POST', headers: { authorization: `Bearer ${d.token}`, 'content-type': 'application/scim+json' }, body: JSON.stringify({ userName: 'u@acme.com', title: 'Engineer' }) });
      return { query: 'mutation($d: ID!, $a: ID!) { mapCustomAttribute(directoryId: $d, customAttributeId: $a, path: "title") { id } }', variables: { d: d.directory.id, a: await customAttribute(t) } };
    },
  },
  invitePortalAdmin: { ...ORGS, setup: async (t) => ({ query: 'mutation($i: InvitePortalAdminInput!) { invitePortalAdmin(input: $i) { link } }', variables: { i: { organizationId: await org(t), intent: 'SSO' } } }) },
  revokePortalLink: { ...ORGS, setup: async (t) => ({ query: 'mutation($id: ID!) { revokePortalLink(id: $id) }', variables: { id: (await gql(t, 'mutation($i: InvitePortalAdminInput!) { invitePortalAdmin(input: $i) { portalLink { id } } }', { i: { organizationId: await org(t), intent: 'DSYNC' } })).invitePortalAdmin.portalLink.id } }) },
  createApiKey: { ...KEYS, setup: async (t) => ({ query: 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }', variables: { i: { environmentId: t.staging, name: 'k' } } }) },
  revokeApiKey: { ...KEYS, setup: async (t) => ({ query: 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', variables: { id: await apiKey(t) } }) },
  revealApiKey: { ...KEYS, setup: async (t) => ({ query: 'mutation($id: ID!) { revealApiKey(id: $id) }', variables: { id: await apiKey(t) } }) },
  addRedirectUri: { ...REDIRECTS, setup: async (t) => ({ query: 'mutation($i: AddRedirectUriInput!) { addRedirectUri(input: $i) { id } }', variables: { i: { environmentId: t.staging, uri: `https://x${Math.random().toString(36).slice(2, 8)}.example.com/cb` } } }) },
  removeRedirectUri: { ...REDIRECTS, setup: async (t) => ({ query: 'mutation($id: ID!) { removeRedirectUri(id: $id) { id } }', variables: { id: await redirectUri(t) } }) },
  setDefaultRedirectUri: { ...REDIRECTS, setup: async (t) => ({ query: 'mutation($id: ID!) { setDefaultRedirectUri(id: $id) { id } }', variables: { id: await redirectUri(t) } }) },
  createWebhookEndpoint: { ...CONFIG, setup: async (t) => ({ query: 'mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret } }', variables: { i: { environmentId: t.staging, endpointUrl: 'https://hooks.example.com/new', events: ['organization.created'] } } }) },
  updateWebhookEndpoint: { ...CONFIG, setup: async (t) => ({ query: 'mutation($i: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $i) { id } }', variables: { i: { id: await webhookEndpoint(t), status: 'disabled' } } }) },
  rotateWebhookEndpointSecret: { ...CONFIG, setup: async (t) => ({ query: 'mutation($id: ID!) { rotateWebhookEndpointSecret(id: $id) { secret } }', variables: { id: await webhookEndpoint(t) } }) },
  deleteWebhookEndpoint: { ...CONFIG, setup: async (t) => ({ query: 'mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { id } }', variables: { id: await webhookEndpoint(t) } }) },
  sendTestWebhookEvent: { ...CONFIG, setup: async (t) => ({ query: 'mutation($id: ID!) { sendTestWebhookEvent(endpointId: $id) }', variables: { id: await webhookEndpoint(t) } }) },
  resendWebhookEvent: {
    ...CONFIG,
    setup: async (t) => {
      const endpointId = await webhookEndpoint(t);
      const deliveryId = (await gql(t, 'mutation($id: ID!) { sendTestWebhookEvent(endpointId: $id) }', { id: endpointId })).sendTestWebhookEvent as string;
      const [{ event_id: eventId }] = await app.db.query('SELECT event_id FROM webhook_deliveries WHERE id = $1', [deliveryId]);
      return { query: 'mutation($e: ID!, $v: ID!) { resendWebhookEvent(endpointId: $e, eventId: $v) }', variables: { e: endpointId, v: eventId } };
    },
  },
  setTestIdentityProviderEnabled: { ...CONFIG, setup: async (t) => ({ query: 'mutation($e: ID!) { setTestIdentityProviderEnabled(environmentId: $e, enabled: true) { enabled } }', variables: { e: t.staging } }) },
  startTestSignIn: { ...ORGS, setup: async (t) => ({ query: 'mutation($id: ID!) { startTestSignIn(connectionId: $id) { sessionId } }', variables: { id: await connection(t) } }) },
  updateOAuthProvider: { ...CONFIG, setup: async (t) => ({ query: 'mutation($i: UpdateOAuthProviderInput!) { updateOAuthProvider(input: $i) { provider } }', variables: { i: { environmentId: t.staging, provider: 'GitHubOAuth', clientId: 'Iv1.0123456789abcdef' } } }) },
  updateAdminPortalSettings: { ...CONFIG, setup: async (t) => ({ query: 'mutation($i: UpdateAdminPortalInput!) { updateAdminPortalSettings(input: $i) { displayName } }', variables: { i: { environmentId: t.staging, displayName: 'App' } } }) },
  createCustomAttribute: { ...CONFIG, setup: async (t) => ({ query: 'mutation($i: CreateCustomAttributeInput!) { createCustomAttribute(input: $i) { id } }', variables: { i: { environmentId: t.staging, key: `c${Math.random().toString(36).slice(2, 9)}`, label: 'C' } } }) },
  updateCustomAttribute: { ...CONFIG, setup: async (t) => ({ query: 'mutation($i: UpdateCustomAttributeInput!) { updateCustomAttribute(input: $i) { id } }', variables: { i: { id: await customAttribute(t), label: 'Renamed' } } }) },
  deleteCustomAttribute: { ...CONFIG, setup: async (t) => ({ query: 'mutation($id: ID!) { deleteCustomAttribute(id: $id) { id } }', variables: { id: await customAttribute(t) } }) },
  inviteMember: { ...OWN_ADMIN, setup: async () => ({ query: 'mutation($i: InviteMemberInput!) { inviteMember(input: $i) { id } }', variables: { i: { email: uniqueEmail('new'), role: 'DEVELOPER' } } }) },
  resendInvitation: { ...TEAM, setup: async (t) => ({ query: 'mutation($id: ID!) { resendInvitation(id: $id) { id } }', variables: { id: await invitation(t) } }) },
  revokeInvitation: { ...TEAM, setup: async (t) => ({ query: 'mutation($id: ID!) { revokeInvitation(id: $id) { id } }', variables: { id: await invitation(t) } }) },
  changeMemberRole: { ...TEAM, setup: async (t) => ({ query: 'mutation($id: ID!) { changeMemberRole(memberId: $id, role: SUPPORT) { id } }', variables: { id: (await buildMember(app.db, t.workspace.id, 'DEVELOPER')).member.id } }) },
  removeMember: { ...TEAM, setup: async (t) => ({ query: 'mutation($id: ID!) { removeMember(memberId: $id) }', variables: { id: (await buildMember(app.db, t.workspace.id, 'DEVELOPER')).member.id } }) },
  updateTeamDetails: { ...OWN_ADMIN, setup: async () => ({ query: 'mutation($i: UpdateTeamDetailsInput!) { updateTeamDetails(input: $i) { id } }', variables: { i: { supportEmail: 'help@acme.com' } } }) },
  setBilling: { ...OWN_ADMIN, setup: async () => ({ query: 'mutation($i: SetBillingInput!) { setBilling(input: $i) { country } }', variables: { i: { address, card: { number: '4242424242424242', expMonth: 12, expYear: 2040, cvc: '123' } } } }) },
  updateBillingAddress: { ...OWN_ADMIN, setup: async (t) => {
    await enableBilling(app.db, t.workspace.id);
    return { query: 'mutation($a: BillingAddressInput!) { updateBillingAddress(address: $a) { city } }', variables: { a: address } };
  } },
};

/** Mutations a person makes about themselves or their session; no workspace role applies (each has its own tests). */
const PERSONAL = ['signUp', 'confirmSignUp', 'signIn', 'signOut', 'acceptInvitation', 'switchWorkspace', 'updateTheme', 'updateNotificationSettings'] as const;

async function newTeam(): Promise<Team> {
  const team = await buildTeam(app.db, app.url);
  await enableBilling(app.db, team.workspace.id);
  const staging = team.environments.find((e) => e.kind === 'STAGING')!.id;
  const keys = {} as Record<Scope, string>;
  for (const scope of SCOPES) {
    const { createApiKey } = await team.as.ADMIN.data('mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }', { i: { environmentId: staging, name: `matrix ${scope}`, scope } });
    keys[scope] = createApiKey.secret as string;
  }
  return Object.assign(team, { staging, apiKey: keys.SSO_ADMIN, keys });
}

const outcome = async (call: Promise<{ errors?: { extensions?: Record<string, unknown> }[] }>) => {
  const result = await call;
  const error = result.errors?.[0];
  return error ? `${error.extensions?.code}${error.extensions?.reason ? `:${error.extensions.reason}` : ''}` : 'allowed';
};

describe('the permission matrix', () => {
  it('covers every mutation of the schema', () => {
    const schema = buildSchema(fs.readFileSync(path.resolve(__dirname, '../../schema.graphql'), 'utf8'));
    const mutations = Object.keys(schema.getMutationType()!.getFields()).sort();
    expect(mutations.filter((m) => !(m in MATRIX) && !(PERSONAL as readonly string[]).includes(m))).toEqual([]);
  });

  let team: Team;
  let other: Team;
  beforeAll(async () => {
    team = await newTeam();
    other = await newTeam();
  });

  it.each(Object.entries(MATRIX))('%s', async (_name, rule) => {
    const results: Record<string, string> = {};
    for (const role of ['ADMIN', 'DEVELOPER', 'SUPPORT'] as const) {
      const { query, variables } = await rule.setup(team);
      results[role] = await outcome(team.as[role].request(query, variables));
    }
    const anonymous = await rule.setup(team);
    results.signedOut = await outcome(team.as.anonymous.request(anonymous.query, anonymous.variables));
    if (rule.otherWorkspace !== 'own') {
      const foreign = await rule.setup(team);
      results.otherWorkspace = await outcome(other.as.ADMIN.request(foreign.query, foreign.variables));
    }
    for (const scope of SCOPES) {
      const viaKey = await rule.setup(team);
      results[`apiKey ${scope}`] = await outcome(fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${team.keys[scope]}` }, body: JSON.stringify({ query: viaKey.query, variables: viaKey.variables }) }).then((r) => r.json()));
    }

    const expected: Record<string, string> = {};
    for (const role of ['ADMIN', 'DEVELOPER', 'SUPPORT'] as const) expected[role] = rule.allowed.includes(role) ? 'allowed' : 'FORBIDDEN:role_required';
    expected.signedOut = 'UNAUTHENTICATED';
    if (rule.otherWorkspace !== 'own') expected.otherWorkspace = rule.otherWorkspace;
    for (const scope of SCOPES) expected[`apiKey ${scope}`] = rule.apiKey[scope] === 'allowed' ? 'allowed' : `FORBIDDEN:${rule.apiKey[scope]}`;
    expect(results).toEqual(expected);
  });

  // What a person does with their own dashboard session: an API key gets FORBIDDEN, never a session or a silent `true`.
  const PERSONAL_ATTEMPTS: Record<(typeof PERSONAL)[number], () => Promise<Attempt>> = {
    signUp: async () => ({ query: 'mutation($i: SignUpInput!) { signUp(input: $i) { email } }', variables: { i: { email: uniqueEmail('key'), name: 'K', password: 'a long enough passphrase', workspaceName: 'K' } } }),
    confirmSignUp: async () => ({ query: 'mutation($t: String!) { confirmSignUp(token: $t, password: "not-the-password") { user { id } } }', variables: { t: 'not-a-real-token' } }),
    signIn: async () => ({ query: 'mutation($i: SignInInput!) { signIn(input: $i) { user { id } } }', variables: { i: { email: team.admin.email, password: 'correct horse battery staple' } } }),
    signOut: async () => ({ query: 'mutation { signOut }' }),
    acceptInvitation: async () => ({ query: 'mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { user { id } } }', variables: { i: { token: 'not-a-real-token', name: 'K', password: 'a long enough passphrase' } } }),
    switchWorkspace: async () => ({ query: 'mutation($w: ID!) { switchWorkspace(workspaceId: $w) { user { id } } }', variables: { w: team.workspace.id } }),
    updateTheme: async () => ({ query: 'mutation { updateTheme(theme: DARK) { id } }' }),
    updateNotificationSettings: async () => ({ query: 'mutation($i: UpdateNotificationSettingsInput!) { updateNotificationSettings(input: $i) { id } }', variables: { i: {} } }),
  };

  it.each(PERSONAL)('%s refuses an API key of every scope (dashboard sessions only)', async (name) => {
    for (const scope of SCOPES) {
      const { query, variables } = await PERSONAL_ATTEMPTS[name]();
      const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${team.keys[scope]}` }, body: JSON.stringify({ query, variables }) });
      expect([scope, await outcome(res.json()), res.headers.getSetCookie()]).toEqual([scope, 'FORBIDDEN:dashboard_only', []]);
    }
  });

  it('downloads compliance documents for Admins only', async () => {
    const status = async (cookie?: string) => (await fetch(`${app.url}/compliance/documents/security-overview`, { headers: cookie ? { cookie } : {} })).status;
    expect({ ADMIN: await status(team.as.ADMIN.cookie), DEVELOPER: await status(team.as.DEVELOPER.cookie), SUPPORT: await status(team.as.SUPPORT.cookie), signedOut: await status() })
      .toEqual({ ADMIN: 200, DEVELOPER: 403, SUPPORT: 403, signedOut: 401 });
  });
});
