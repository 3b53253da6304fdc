import type { Request, Response } from 'express';
import { graphql } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { buildContext } from '../../src/context';
import { AppError } from '../../src/errors';
import { getSchema } from '../../src/graphql/schema';
import { newId } from '../../src/lib/ids';
import { resolveViewer } from '../../src/modules/accounts/sessions.service';
import { startTestApp, type TestApp } from '../helpers/app';
import type { GqlClient } from '../helpers/client';
import { buildMember, buildUser, enableBilling, signedInClient, uniqueEmail } from '../helpers/factories';
import { buildSsoSetup, CALLBACK, startSignIn } from '../helpers/sso';

/**
 * Field resolvers answer for their PARENT's workspace, with the viewer's role THERE: a user who is Admin of one
 * workspace and Developer or Support of another reads every field resolver through the other workspace's parent
 * (`viewer { workspaces { workspace { … } } }`), in both directions. A new field resolver on a parent object
 * belongs in FIELDS.
 */
let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

type Role = 'ADMIN' | 'DEVELOPER' | 'SUPPORT';
const ALL: Role[] = ['ADMIN', 'DEVELOPER', 'SUPPORT'];
const CONFIG: Role[] = ['ADMIN', 'DEVELOPER'];

/** A workspace with one of everything a field resolver can hang off, and the IDs to expect. */
async function seedWorkspace() {
  const setup = await buildSsoSetup(app);
  const { team, admin, environment, org, connection } = setup;
  await enableBilling(app.db, team.workspace.id);
  await app.db.query('UPDATE workspace_billing SET company_name = $1 WHERE workspace_id = $2', [`Company ${team.workspace.id}`, team.workspace.id]);
  const domain = `d${Math.random().toString(36).slice(2, 10)}.example.org`;
  await admin.data('mutation($o: ID!, $d: String!) { addOrganizationDomain(organizationId: $o, domain: $d) { id } }', { o: org.id, d: domain });
  const session = await startSignIn(setup.workos.sso.getAuthorizationUrl({ connection: connection.id, redirectUri: CALLBACK, state: 's', clientId: environment.clientId }));
  const { createDirectory } = await admin.data('mutation($i: CreateDirectoryInput!) { createDirectory(input: $i) { directory { id } token } }', { i: { organizationId: org.id, type: 'okta scim v2.0' } });
  const scim = (path: string, body: unknown) => fetch(`${app.url}/scim/v2/${createDirectory.directory.id}/${path}`, { method: 'POST', headers: { authorization: `Bearer ${createDirectory.token}`, 'content-type': 'application/scim+json' }, body: JSON.stringify(body) }).then((r) => r.json());
  const scimUser = await scim('Users', { userName: 'u@acme.com', emails: [{ value: 'u@acme.com', primary: true }], name: { givenName: 'U', familyName: 'Ser' }, title: 'Engineer' });
  await scim('Groups', { displayName: 'Engineering', members: [{ value: scimUser.id }] });
  const { createCustomAttribute } = await admin.data('mutation($i: CreateCustomAttributeInput!) { createCustomAttribute(input: $i) { id } }', { i: { environmentId: environment.id, key: `k${Math.random().toString(36).slice(2, 9)}`, label: 'K' } });
  await admin.data('mutation($i: UpdateAdminPortalInput!) { updateAdminPortalSettings(input: $i) { displayName } }', { i: { environmentId: environment.id, displayName: `Portal ${team.workspace.id}` } });
  await admin.data('mutation($i: InviteMemberInput!) { inviteMember(input: $i) { id } }', { i: { email: uniqueEmail('invitee'), role: 'SUPPORT' } });
  const { createWebhookEndpoint } = await admin.data('mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { endpoint { id } } }', { i: { environmentId: environment.id, endpointUrl: 'https://hooks.example.com/p', events: ['organization.created'] } });
  const { sendTestWebhookEvent: webhookDeliveryId } = await admin.data('mutation($id: ID!) { sendTestWebhookEvent(endpointId: $id) }', { id: createWebhookEndpoint.endpoint.id });
  // An OAuth provider's sign-in (Google): no organization or connection, its raw exchange on the row.
  const oauthSessionId = newId('ssoSession');
  await app.db.query(`INSERT INTO sso_sessions (id, environment_id, provider, origin, state, redirect_uri, oauth_exchange, started_at) VALUES ($1, $2, 'GoogleOAuth', 'SP', 'STARTED', $3, $4, now())`,
    [oauthSessionId, environment.id, CALLBACK, JSON.stringify({ authorization_request: { url: 'https://accounts.google.com/o/oauth2/v2/auth' } })]);
  const ids = async (sql: string) => (await app.db.query(sql, [team.workspace.id])).map((r: { id: string }) => r.id).sort();
  return {
    webhookEndpointId: createWebhookEndpoint.endpoint.id as string, webhookDeliveryId: webhookDeliveryId as string,
    workspaceId: team.workspace.id, adminEmail: team.admin.email, environmentId: environment.id, orgId: org.id, connectionId: connection.id, domain,
    sessionId: session.relayState, oauthSessionId, directoryId: createDirectory.directory.id as string, customAttributeId: createCustomAttribute.id as string,
    environments: await ids('SELECT id FROM environments WHERE workspace_id = $1'),
    invitations: await ids('SELECT id FROM invitations WHERE workspace_id = $1'),
    apiKeys: await ids('SELECT k.id FROM api_keys k JOIN environments e ON e.id = k.environment_id WHERE e.workspace_id = $1 AND e.kind = \'STAGING\''),
  };
}
async function membersOf(workspaceId: string) {
  const rows: { id: string; email: string }[] = await app.db.query('SELECT m.id, u.email FROM members m JOIN dashboard_users u ON u.id = m.user_id WHERE m.workspace_id = $1', [workspaceId]);
  return { members: rows.map((r) => r.id).sort(), memberEmails: rows.map((r) => r.email).sort() };
}
type Fixture = Awaited<ReturnType<typeof seedWorkspace>> & Awaited<ReturnType<typeof membersOf>>;

/* eslint-disable @typescript-eslint/no-explicit-any */
const nodes = (c: any) => c.edges.map((e: any) => e.node);
const staging = (w: any) => w.environments.find((e: any) => e.kind === 'STAGING');
const firstOrg = (w: any) => nodes(staging(w).organizations)[0];
const firstConnection = (w: any) => firstOrg(w).connections[0];
const firstDirectory = (w: any) => firstOrg(w).directories[0];
const firstDirectoryUser = (w: any) => nodes(firstDirectory(w).users)[0];
const sorted = (xs: string[]) => [...xs].sort();
const ORGS = 'environments { kind organizations { edges { node { id %s } } } }';
const inOrg = (s: string) => ORGS.replace('%s', s);
const inDirectory = (s: string) => inOrg(`directories { id ${s} }`);

interface FieldRule {
  allowed: Role[];
  /** Selected under `workspace { id … }`. */
  selection: string;
  pick: (workspace: any) => unknown;
  want: (f: Fixture, role: Role) => unknown;
}

const FIELDS: Record<string, FieldRule> = {
  'Workspace.environments': { allowed: ALL, selection: 'environments { id }', pick: (w) => sorted(w.environments.map((e: any) => e.id)), want: (f) => f.environments },
  'Workspace.members': { allowed: ALL, selection: 'members(first: 100) { edges { node { id } } }', pick: (w) => sorted(nodes(w.members).map((m: any) => m.id)), want: (f) => f.members },
  'Member.user': { allowed: ALL, selection: 'members(first: 100) { edges { node { user { email } } } }', pick: (w) => sorted(nodes(w.members).map((m: any) => m.user.email)), want: (f) => f.memberEmails },
  'Member.isViewer': { allowed: ALL, selection: 'members(first: 100) { edges { node { isViewer } } }', pick: (w) => nodes(w.members).filter((m: any) => m.isViewer).length, want: () => 1 },
  'Workspace.invitations': { allowed: ALL, selection: 'invitations { edges { node { id } } }', pick: (w) => sorted(nodes(w.invitations).map((i: any) => i.id)), want: (f) => f.invitations },
  'Invitation.invitedBy': { allowed: ALL, selection: 'invitations { edges { node { invitedBy { email } } } }', pick: (w) => nodes(w.invitations).map((i: any) => i.invitedBy.email), want: (f) => [f.adminEmail] },
  'Workspace.billing': { allowed: ['ADMIN'], selection: 'billing { companyName }', pick: (w) => w.billing.companyName, want: (f) => `Company ${f.workspaceId}` },
  'Workspace.billingConfigured': { allowed: ALL, selection: 'billingConfigured', pick: (w) => w.billingConfigured, want: () => true },
  'Workspace.complianceDocuments': { allowed: ALL, selection: 'complianceDocuments { canDownload }', pick: (w) => w.complianceDocuments[0].canDownload, want: (_f, role) => role === 'ADMIN' },
  'Environment.apiKeys': { allowed: CONFIG, selection: 'environments { kind apiKeys(first: 100) { edges { node { id } } } }', pick: (w) => sorted(nodes(staging(w).apiKeys).map((k: any) => k.id)), want: (f) => f.apiKeys },
  'Environment.redirectUris': { allowed: CONFIG, selection: 'environments { kind redirectUris { uri } }', pick: (w) => staging(w).redirectUris.map((r: any) => r.uri), want: () => [CALLBACK] },
  'Environment.oauthProviders': { allowed: CONFIG, selection: 'environments { kind oauthProviders { provider } }', pick: (w) => staging(w).oauthProviders.length > 0, want: () => true },
  'Environment.adminPortal': { allowed: CONFIG, selection: 'environments { kind adminPortal { displayName } }', pick: (w) => staging(w).adminPortal.displayName, want: (f) => `Portal ${f.workspaceId}` },
  'Environment.webhookEndpoints': { allowed: CONFIG, selection: 'environments { kind webhookEndpoints { id } }', pick: (w) => staging(w).webhookEndpoints.map((e: any) => e.id), want: (f) => [f.webhookEndpointId] },
  'WebhookEndpoint.deliveries': { allowed: CONFIG, selection: 'environments { kind webhookEndpoints { deliveries { id } } }', pick: (w) => staging(w).webhookEndpoints[0].deliveries.map((d: any) => d.id), want: (f) => [f.webhookDeliveryId] },
  'Environment.customAttributes': { allowed: ALL, selection: 'environments { kind customAttributes { id } }', pick: (w) => staging(w).customAttributes.map((a: any) => a.id), want: (f) => [f.customAttributeId] },
  'Environment.organizations': { allowed: ALL, selection: inOrg(''), pick: (w) => nodes(staging(w).organizations).map((o: any) => o.id), want: (f) => [f.orgId] },
  'Environment.locked': { allowed: ALL, selection: 'environments { kind locked }', pick: (w) => staging(w).locked, want: () => false },
  'Environment.lockedReason': { allowed: ALL, selection: 'environments { kind lockedReason }', pick: (w) => staging(w).lockedReason, want: () => null },
  'Organization.domains': { allowed: ALL, selection: inOrg('domains { domain }'), pick: (w) => firstOrg(w).domains.map((d: any) => d.domain), want: (f) => expect.arrayContaining([f.domain]) },
  'Organization.ssoConnections': { allowed: ALL, selection: inOrg('ssoConnections { id }'), pick: (w) => firstOrg(w).ssoConnections.map((c: any) => c.id), want: (f) => [f.connectionId] },
  'Organization.connections': { allowed: ALL, selection: inOrg('connections { id }'), pick: (w) => firstOrg(w).connections.map((c: any) => c.id), want: (f) => [f.connectionId] },
  'SsoConnection.organization': { allowed: ALL, selection: inOrg('connections { organization { id } }'), pick: (w) => firstConnection(w).organization.id, want: (f) => f.orgId },
  'SsoConnection.sessions': { allowed: ALL, selection: inOrg('connections { sessions { edges { node { id } } } }'), pick: (w) => nodes(firstConnection(w).sessions).map((s: any) => s.id), want: (f) => [f.sessionId] },
  'SsoConnection.unrecordedFailedAttempts': { allowed: ALL, selection: inOrg('connections { unrecordedFailedAttempts }'), pick: (w) => firstConnection(w).unrecordedFailedAttempts, want: () => 0 },
  'SsoConnection.certificateUsage': { allowed: ALL, selection: inOrg('connections { certificateUsage { role } }'), pick: (w) => firstConnection(w).certificateUsage, want: () => [] },
  'SsoConnection.latestSession': { allowed: ALL, selection: inOrg('connections { latestSession { id } }'), pick: (w) => firstConnection(w).latestSession.id, want: (f) => f.sessionId },
  // A list row's detail fields load by the row's ID; the row itself came through the checked `sessions` field.
  'SsoSession.redirectUri': { allowed: ALL, selection: inOrg('connections { sessions { edges { node { redirectUri } } } }'), pick: (w) => nodes(firstConnection(w).sessions)[0].redirectUri, want: () => CALLBACK },
  'SsoSession.samlRequest': { allowed: ALL, selection: inOrg('connections { sessions { edges { node { samlRequest } } } }'), pick: (w) => /AuthnRequest/.test(nodes(firstConnection(w).sessions)[0].samlRequest), want: () => true },
  'SsoSession.samlResponse': { allowed: ALL, selection: inOrg('connections { sessions { edges { node { samlResponse } } } }'), pick: (w) => nodes(firstConnection(w).sessions)[0].samlResponse, want: () => null },
  'SsoSession.samlResponseBytes': { allowed: ALL, selection: inOrg('connections { sessions { edges { node { samlResponseBytes } } } }'), pick: (w) => nodes(firstConnection(w).sessions)[0].samlResponseBytes, want: () => null },
  'SsoSession.samlResponseTruncated': { allowed: ALL, selection: inOrg('connections { sessions { edges { node { samlResponseTruncated } } } }'), pick: (w) => nodes(firstConnection(w).sessions)[0].samlResponseTruncated, want: () => false },
  'SsoSession.decryptedAssertion': { allowed: CONFIG, selection: inOrg('connections { sessions { edges { node { decryptedAssertion } } } }'), pick: (w) => nodes(firstConnection(w).sessions)[0].decryptedAssertion, want: () => null },
  'SsoSession.errorDetails': { allowed: ALL, selection: inOrg('connections { sessions { edges { node { errorDetails } } } }'), pick: (w) => nodes(firstConnection(w).sessions)[0].errorDetails, want: () => null },
  'SsoSession.connection': { allowed: ALL, selection: inOrg('connections { latestSession { connection { id } } }'), pick: (w) => firstConnection(w).latestSession.connection.id, want: (f) => f.connectionId },
  'Organization.directories': { allowed: ALL, selection: inOrg('directories { id }'), pick: (w) => firstOrg(w).directories.map((d: any) => d.id), want: (f) => [f.directoryId] },
  'Directory.organization': { allowed: ALL, selection: inDirectory('organization { id }'), pick: (w) => firstDirectory(w).organization.id, want: (f) => f.orgId },
  'Directory.users': { allowed: ALL, selection: inDirectory('users { edges { node { userName } } }'), pick: (w) => nodes(firstDirectory(w).users).map((u: any) => u.userName), want: () => ['u@acme.com'] },
  'Directory.groups': { allowed: ALL, selection: inDirectory('groups { edges { node { name } } }'), pick: (w) => nodes(firstDirectory(w).groups).map((g: any) => g.name), want: () => ['Engineering'] },
  'Directory.scimRequests': { allowed: ALL, selection: inDirectory('scimRequests { edges { node { method } } }'), pick: (w) => nodes(firstDirectory(w).scimRequests).length, want: () => 2 },
  'Directory.attributeMappings': { allowed: ALL, selection: inDirectory('attributeMappings { customAttribute { id } }'), pick: (w) => firstDirectory(w).attributeMappings.map((m: any) => m.customAttribute.id), want: (f) => [f.customAttributeId] },
  'Directory.rawAttributePaths': { allowed: ALL, selection: inDirectory('rawAttributePaths { path }'), pick: (w) => firstDirectory(w).rawAttributePaths.some((p: any) => p.path === 'title'), want: () => true },
  'DirectoryUser.groups': { allowed: ALL, selection: inDirectory('users { edges { node { groups { name } } } }'), pick: (w) => firstDirectoryUser(w).groups.map((g: any) => g.name), want: () => ['Engineering'] },
  'DirectoryUser.directory': { allowed: ALL, selection: inDirectory('users { edges { node { directory { id } } } }'), pick: (w) => firstDirectoryUser(w).directory.id, want: (f) => f.directoryId },
  'SsoSession.profile': { allowed: ALL, selection: inOrg('connections { sessions { edges { node { profile } } } }'), pick: (w) => nodes(firstConnection(w).sessions)[0].profile, want: () => null },
  'Environment.oauthSessions': { allowed: ALL, selection: 'environments { kind oauthSessions { edges { node { id } } } }', pick: (w) => nodes(staging(w).oauthSessions).map((s: any) => s.id), want: (f) => [f.oauthSessionId] },
  'OAuthSession.oauthExchange': { allowed: ALL, selection: 'environments { kind oauthSessions { edges { node { oauthExchange } } } }', pick: (w) => nodes(staging(w).oauthSessions)[0].oauthExchange.authorization_request.url, want: () => 'https://accounts.google.com/o/oauth2/v2/auth' },
  'OAuthSession.errorDetails': { allowed: ALL, selection: 'environments { kind oauthSessions { edges { node { errorDetails } } } }', pick: (w) => nodes(staging(w).oauthSessions)[0].errorDetails, want: () => null },
  'OAuthSession.redirectUri': { allowed: ALL, selection: 'environments { kind oauthSessions { edges { node { redirectUri } } } }', pick: (w) => nodes(staging(w).oauthSessions)[0].redirectUri, want: () => CALLBACK },
  'OAuthSession.profile': { allowed: ALL, selection: 'environments { kind oauthSessions { edges { node { profile } } } }', pick: (w) => nodes(staging(w).oauthSessions)[0].profile, want: () => null },
  'SsoSession.oauthExchange': { allowed: ALL, selection: inOrg('connections { sessions { edges { node { oauthExchange } } } }'), pick: (w) => nodes(firstConnection(w).sessions)[0].oauthExchange, want: () => null },
  'Environment.overview': { allowed: ALL, selection: 'environments { kind overview { checklist { redirectUriAdded } } }', pick: (w) => staging(w).overview.checklist.redirectUriAdded, want: () => true },
  'Environment.search': { allowed: ALL, selection: 'environments { kind search(query: "u@acme.com") { hits { kind title } } }', pick: (w) => staging(w).search.hits.filter((h: any) => h.kind === 'DIRECTORY_USER').map((h: any) => h.title), want: () => ['U Ser'] },
  'Organization.portalLinks': { allowed: ALL, selection: inOrg('portalLinks { id }'), pick: (w) => firstOrg(w).portalLinks, want: () => [] },
  'Organization.portalActions': { allowed: ALL, selection: inOrg('portalActions { id }'), pick: (w) => firstOrg(w).portalActions, want: () => [] },
  // Last: reading it makes the Staging environment's Test Organization (on first use), a second organization.
  'Environment.testIdentityProvider': { allowed: ALL, selection: 'environments { kind testIdentityProvider { available } }', pick: (w) => staging(w).testIdentityProvider.available, want: () => true },
};

/**
 * Reads `rule` through `workspaceId`'s parent as `client`'s session: the picked data, or the code and reason of the
 * error under that workspace. Executed on the schema itself, without the HTTP depth limit: the limit keeps the
 * deeper parents (organization, connection, directory) out of reach today, but it is not the access check.
 */
async function read(client: GqlClient, workspaceId: string, rule: FieldRule) {
  const viewer = await resolveViewer(app.db, client.cookie!.replace('portico_session=', ''));
  const run = (source: string) => graphql({ schema: getSchema(), source, contextValue: buildContext(app.deps, { ip: '127.0.0.1' } as Request, {} as Response, viewer) });
  const order = await run('{ viewer { workspaces { workspace { id } } } }');
  const index = (order.data as any).viewer.workspaces.findIndex((w: any) => w.workspace.id === workspaceId);
  const result = await run(`{ viewer { workspaces { workspace { id ${rule.selection} } } } }`);
  // An error under the other workspace is that workspace's answer, not this one's.
  const error = result.errors?.find((e) => e.path?.[2] === index);
  if (error) return error.originalError instanceof AppError ? `${error.originalError.code}:${error.originalError.reason}` : error.message;
  // A refusal of a non-null field under the other workspace nulls the whole list: nothing left to read, nothing refused here.
  if (!(result.data as any)?.viewer) return NOTHING_REFUSED_HERE;
  return rule.pick((result.data as any).viewer.workspaces[index].workspace);
}
const NOTHING_REFUSED_HERE = 'no error under this workspace';

describe('field resolvers check the role in their parent’s workspace', () => {
  let home = {} as Fixture;
  let away = {} as Fixture;
  const seats = {} as Record<Role, { atHome: GqlClient; away: GqlClient }>;
  beforeAll(async () => {
    home = { ...(await seedWorkspace()), members: [], memberEmails: [] };
    away = { ...(await seedWorkspace()), members: [], memberEmails: [] };
    for (const role of ALL) {
      // Admin of `home`, `role` in `away`; one session looking at each.
      const user = await buildUser(app.db);
      await buildMember(app.db, home.workspaceId, 'ADMIN', user);
      await buildMember(app.db, away.workspaceId, role, user);
      seats[role] = { atHome: await signedInClient(app.db, app.url, user, home.workspaceId), away: await signedInClient(app.db, app.url, user, away.workspaceId) };
    }
    for (const f of [home, away]) Object.assign(f, await membersOf(f.workspaceId));
  });

  it('covers every field resolver of the schema', () => {
    getSchema();
    const resolvers = (getMetadataStorage() as unknown as { fieldResolvers: { methodName: string; getObjectType?: () => { name: string } }[] }).fieldResolvers
      .map((f) => `${f.getObjectType?.().name}.${f.methodName}`)
      // A page's total counts the rows of the query its (checked) parent resolver built.
      .filter((name) => name !== 'ConnectionClass.totalCount');
    expect([...new Set(resolvers)].filter((name) => !(name in FIELDS)).sort()).toEqual([]);
  });

  it.each(Object.entries(FIELDS))('%s', async (_name, rule) => {
    const results: Record<string, unknown> = {};
    const expected: Record<string, unknown> = {};
    for (const role of ALL) {
      // Looking at home (Admin), reading the other workspace where the role is `role`: that role decides, that data answers.
      results[`${role} elsewhere`] = await read(seats[role].atHome, away.workspaceId, rule);
      expected[`${role} elsewhere`] = rule.allowed.includes(role) ? rule.want(away, role) : 'FORBIDDEN:role_required';
      // Looking at the other workspace (as `role`), reading home where they are Admin.
      results[`ADMIN elsewhere, ${role} here`] = await read(seats[role].away, home.workspaceId, rule);
      const refusedHere = !rule.allowed.includes(role);
      expected[`ADMIN elsewhere, ${role} here`] = refusedHere && results[`ADMIN elsewhere, ${role} here`] === NOTHING_REFUSED_HERE ? NOTHING_REFUSED_HERE : rule.want(home, 'ADMIN');
    }
    expect(results).toEqual(expected);
  });
});
