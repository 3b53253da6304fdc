import { createHash, randomBytes } from 'node:crypto';
import type { AppDeps } from './context';
import { readAuthnRequest } from './auth/saml';
import { createSamlConnection, setConnectionEnabled } from './modules/connections/connections.service';
import { authenticateScim, createCustomAttribute, createDirectory, mapCustomAttribute, rawAttributePaths } from './modules/directories/directories.service';
import { createGroup, createUser as createScimUser, markLinked } from './modules/directories/scim.service';
import { scimBaseUrl } from './modules/directories/directories.service';
import type { EnvironmentEntity } from './modules/environments/environment.entity';
import { createOrganization } from './modules/organizations/organizations.service';
import { addRedirectUri } from './modules/redirect-uris/redirect-uris.service';
import { authorize, consumeSamlResponse, exchangeCode } from './modules/sso-sessions/sso-flow';
import { stranger, type TestIdpScenario } from './modules/test-idp/test-idp-response';
import { ensureTestIdentityProvider, signTestResponse, TEST_USERS, testIdpAvailability, testUserFor } from './modules/test-idp/test-idp.service';

export const DEMO_REDIRECT_URI = 'http://localhost:3000/callback';

/**
 * Fills the demo workspace's Staging environment through the product's own code paths (issue 14): organizations
 * with domains, a connection in each state, sessions in every state and with each of the five dashboard errors made
 * by the test IdP and checked by the ordinary ACS handler, and a directory provisioned through the SCIM service.
 */
export async function seedDemoData(deps: AppDeps, staging: EnvironmentEntity): Promise<void> {
  const scope = { kind: 'environment' as const, environmentId: staging.id };
  // The error scenarios' throwaway key is made while the test IdP's own is (each RSA key takes a moment).
  const [, testIdp] = await Promise.all([stranger(), ensureTestIdentityProvider(deps, staging.id).then(() => testIdpAvailability(deps, staging.id)), addRedirectUri(deps.db, scope, staging.id, DEMO_REDIRECT_URI, true)]);
  if (testIdp.kind !== 'available') throw new Error(`The demo needs the test IdP: ${testIdp.kind}`);
  // Independent of each other: at once, so the first start stays short.
  await Promise.all([seedConnections(deps, staging, testIdp.idp.certificate), seedSessions(deps, staging, testIdp), seedDirectory(deps, staging, testIdp.connection.organizationId)]);
}

/** A connection in each state besides the Test Organization's active one: draft, validating and inactive. */
async function seedConnections(deps: AppDeps, staging: EnvironmentEntity, certificate: string): Promise<void> {
  const scope = { kind: 'environment' as const, environmentId: staging.id };
  const org = (name: string, domains: string[]) => createOrganization(deps.db, scope, staging.id, { name, domains: domains.map((domain, i) => ({ domain, state: i === 0 ? 'verified' as const : 'pending' as const })) });
  const acme = await org('Acme Corp', ['acme-corp.example', 'acme.example']);
  await createSamlConnection(deps, scope, acme.id, { name: 'Acme Okta', connectionType: 'OktaSAML' });
  const initech = await org('Initech', ['initech.example']);
  await createSamlConnection(deps, scope, initech.id, {
    name: 'Initech Google Workspace', connectionType: 'GoogleSAML', idpEntityId: 'https://accounts.google.com/o/saml2?idpid=C00demo',
    idpSsoUrl: 'https://accounts.google.com/o/saml2/idp?idpid=C00demo', idpCertificates: [certificate],
  });
  const globex = await org('Globex', ['globex.example']);
  const entra = await createSamlConnection(deps, scope, globex.id, {
    name: 'Globex Entra ID', connectionType: 'AzureSAML', idpEntityId: 'https://sts.windows.net/00000000-0000-4000-8000-000000000000/',
    idpSsoUrl: 'https://login.microsoftonline.com/00000000-0000-4000-8000-000000000000/saml2', idpCertificates: [certificate],
  });
  await setConnectionEnabled(deps.db, scope, entra.id, false);
}

type Available = Extract<Awaited<ReturnType<typeof testIdpAvailability>>, { kind: 'available' }>;

/** One SP-initiated sign-in as an app would make it (PKCE), answered by the test IdP, posted to the ACS handler. */
async function signIn(deps: AppDeps, staging: EnvironmentEntity, idp: Available, n: number, scenario: TestIdpScenario | null, email: string, exchange: boolean) {
  const verifier = randomBytes(32).toString('base64url');
  const ip = `203.0.113.${10 + n}`;
  const started = await authorize(deps, {
    clientId: staging.clientId, redirectUri: DEMO_REDIRECT_URI, responseType: 'code', state: `demo-${n}`, connection: idp.connection.id,
    codeChallenge: createHash('sha256').update(verifier).digest('base64url'), codeChallengeMethod: 'S256', ip, userAgent: 'Portico demo',
  });
  if (started.kind !== 'redirect' || !scenario) return;
  const location = new URL(started.location);
  const request = readAuthnRequest(location.searchParams.get('SAMLRequest')!);
  const { samlResponse } = await signTestResponse(deps, idp, { scenario, user: testUserFor(email), inResponseTo: request.id });
  const answered = await consumeSamlResponse(deps, { connectionId: idp.connection.id, samlResponse, relayState: location.searchParams.get('RelayState')!, ip, userAgent: 'Portico demo' });
  const code = answered.kind === 'redirect' ? new URL(answered.location).searchParams.get('code') : null;
  if (exchange && code) await exchangeCode(deps.db, { clientId: staging.clientId, grantType: 'authorization_code', code, codeVerifier: verifier });
}

async function seedSessions(deps: AppDeps, staging: EnvironmentEntity, idp: Available): Promise<void> {
  const [ada, grace, alan] = TEST_USERS.map((u) => u.email) as [string, string, string];
  const failures: TestIdpScenario[] = ['outside_domain', 'missing_attributes', 'wrong_certificate', 'expired', 'malformed', 'wrong_encryption'];
  const idpInitiated = async () => {
    // IdP-initiated: the test IdP posts on its own, to the environment's default redirect URI.
    const { samlResponse } = await signTestResponse(deps, idp, { scenario: 'idp_initiated', user: testUserFor(grace), inResponseTo: null });
    await consumeSamlResponse(deps, { connectionId: idp.connection.id, samlResponse, relayState: undefined, ip: '203.0.113.30', userAgent: 'Portico demo' });
  };
  await Promise.all([
    signIn(deps, staging, idp, 1, 'sign_in', ada, true),
    signIn(deps, staging, idp, 2, 'sign_in', grace, true),
    signIn(deps, staging, idp, 3, 'sign_in', alan, false),
    ...failures.map((scenario, i) => signIn(deps, staging, idp, 4 + i, scenario, i % 2 ? grace : alan, false)),
    idpInitiated(),
    // Started, waiting for the IdP.
    signIn(deps, staging, idp, 20, null, ada, false),
  ]);
}

const SCIM_USERS = [
  { userName: 'ada@example.com', givenName: 'Ada', familyName: 'Lovelace', department: 'Engineering', title: 'Principal Engineer' },
  { userName: 'grace@example.com', givenName: 'Grace', familyName: 'Hopper', department: 'Engineering', title: 'Rear Admiral' },
  { userName: 'alan@example.com', givenName: 'Alan', familyName: 'Turing', department: 'Research', title: 'Researcher' },
  { userName: 'katherine@example.com', givenName: 'Katherine', familyName: 'Johnson', department: 'Research', title: 'Mathematician' },
];

/** An Okta SCIM directory of the Test Organization: users and groups through the SCIM service, a mapped custom attribute. */
async function seedDirectory(deps: AppDeps, staging: EnvironmentEntity, organizationId: string): Promise<void> {
  const scope = { kind: 'environment' as const, environmentId: staging.id };
  const { directory, token } = await createDirectory(deps.db, scope, organizationId, { name: 'Test Organization Okta', type: 'okta scim v2.0' });
  const attribute = await createCustomAttribute(deps.db, scope, staging.id, { key: 'department', label: 'Department', type: 'string' });
  const auth = (await authenticateScim(deps.db, directory.id, token))!;
  const scim = { db: deps.db, directory: auth.directory, customAttributes: auth.customAttributes, baseUrl: scimBaseUrl(deps.config.publicUrl, directory.id) };
  await markLinked(deps.db, auth.directory);
  const ids: Record<string, string> = {};
  for (const u of SCIM_USERS) {
    const created = await createScimUser(scim, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
      userName: u.userName, externalId: `okta-${u.givenName.toLowerCase()}`, active: true, title: u.title,
      name: { givenName: u.givenName, familyName: u.familyName }, emails: [{ value: u.userName, primary: true, type: 'work' }],
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: u.department },
    });
    ids[u.userName] = String(created.id);
  }
  const group = (displayName: string, members: string[]) => createGroup(scim, {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName, externalId: `okta-${displayName.toLowerCase()}`, members: members.map((m) => ({ value: ids[m] })),
  });
  await group('Engineering', ['ada@example.com', 'grace@example.com']);
  await group('Research', ['alan@example.com', 'katherine@example.com']);
  const path = (await rawAttributePaths(deps.db, scope, directory.id)).find((p) => p.path.endsWith('department'))?.path;
  if (path) await mapCustomAttribute(deps.db, scope, directory.id, attribute.id, path);
}
