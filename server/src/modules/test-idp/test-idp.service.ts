import { ConflictError } from '../../errors';
import { logger } from '../../lib/logger';
import { generateSpKeyPair } from '../../lib/sp-keys';
import { activateConnection, createSamlConnection, getConnection, spEndpoints, type ConnectionDeps } from '../connections/connections.service';
import type { SsoConnectionEntity } from '../connections/connection.entity';
import { EnvironmentEntity } from '../environments/environment.entity';
import { createOrganization } from '../organizations/organizations.service';
import { TestIdentityProviderEntity } from './test-idp.entity';
import { buildTestResponse, type TestIdpScenario, type TestUser } from './test-idp-response';

/**
 * Portico's built-in SAML IdP (DESIGN.md "Test IdP"): one per Staging environment, with its own signing key and a
 * "Test Organization" whose connection trusts it, made through the ordinary organization and connection services.
 * Production never has one. It is made by writes only: at sign-up (the new workspace's Staging), by the demo seed,
 * and by the setTestIdentityProviderEnabled mutation (the dashboard's "Set up" and "Turn on", which also make the Test
 * Organization again after it was deleted). Reads (the GraphQL field, the login and metadata pages) never create it.
 */

export const TEST_ORGANIZATION = { name: 'Test Organization', domain: 'example.com' } as const;

/** The users the login page offers; any other address can be typed. */
export const TEST_USERS: TestUser[] = [
  { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', groups: ['Engineering', 'Admins'] },
  { email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper', groups: ['Engineering'] },
  { email: 'alan@example.com', firstName: 'Alan', lastName: 'Turing', groups: ['Research'] },
];

export const testIdpKeyContext = (environmentId: string) => `environment:${environmentId}:test_idp_private_key`;

/** The test IdP's URLs: its entity ID is its metadata URL, its SSO URL is the login page. */
export function testIdpEndpoints(publicUrl: string, environmentId: string) {
  const base = `${publicUrl}/test-idp/${environmentId}`;
  return { entityId: `${base}/metadata`, metadataUrl: `${base}/metadata`, ssoUrl: `${base}/sso`, respondUrl: `${base}/respond` };
}

/** SAML 2.0 IdP metadata: entity ID, the HTTP-Redirect SSO endpoint, the signing certificate. */
export function testIdpMetadata(publicUrl: string, environmentId: string, certificate: string): string {
  const { entityId, ssoUrl } = testIdpEndpoints(publicUrl, environmentId);
  const cert = certificate.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${entityId}">`
    + `<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">`
    + `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`
    + `<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>`
    + `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${ssoUrl}"/>`
    + `</md:IDPSSODescriptor></md:EntityDescriptor>\n`;
}

export type TestIdpAvailability =
  | { kind: 'available'; environment: EnvironmentEntity; idp: TestIdentityProviderEntity; connection: SsoConnectionEntity }
  | { kind: 'unknown' }
  | { kind: 'production'; environment: EnvironmentEntity }
  | { kind: 'disabled'; environment: EnvironmentEntity }
  /** Not set up yet, or the Test Organization or its connection was deleted: the dashboard's "Set up" makes it. */
  | { kind: 'no_connection'; environment: EnvironmentEntity };

async function ensureKey(deps: ConnectionDeps, environmentId: string): Promise<TestIdentityProviderEntity> {
  const repo = deps.db.getRepository(TestIdentityProviderEntity);
  const existing = await repo.findOneBy({ environmentId });
  if (existing) return existing;
  const pair = await generateSpKeyPair(`Portico Test IdP ${environmentId}`);
  // Two first uses at once: one key wins, both read it.
  await repo.createQueryBuilder().insert().values({
    environmentId, enabled: true, certificate: pair.certificate, privateKeyEncrypted: deps.secrets.seal(pair.privateKey, testIdpKeyContext(environmentId)),
  }).orIgnore().execute();
  return repo.findOneByOrFail({ environmentId });
}

/** The Test Organization and its active connection to the test IdP, through the ordinary services. */
async function createTestOrganization(deps: ConnectionDeps, idp: TestIdentityProviderEntity): Promise<TestIdentityProviderEntity> {
  const scope = { kind: 'environment' as const, environmentId: idp.environmentId };
  try {
    const org = await createOrganization(deps.db, scope, idp.environmentId, { name: TEST_ORGANIZATION.name, domains: [{ domain: TEST_ORGANIZATION.domain, state: 'verified' }] });
    const connection = await createSamlConnection(deps, scope, org.id, {
      name: 'Portico Test IdP', connectionType: 'GenericSAML', metadataXml: testIdpMetadata(deps.config.publicUrl, idp.environmentId, idp.certificate),
    });
    // Portico's own IdP needs no first sign-in to prove its configuration: the connection starts active.
    await activateConnection(deps.db, scope, connection.id);
    await deps.db.getRepository(TestIdentityProviderEntity).update({ environmentId: idp.environmentId }, { organizationId: org.id, connectionId: connection.id });
  } catch (err) {
    // The domain is taken in this environment (a concurrent first use, or the team's own organization): keep what exists.
    if (!(err instanceof ConflictError)) throw err;
    logger.warn('Test Organization not created: its domain is taken in this environment', { environmentId: idp.environmentId });
  }
  return deps.db.getRepository(TestIdentityProviderEntity).findOneByOrFail({ environmentId: idp.environmentId });
}

/** The environment's test IdP as it is, without making anything (for reads); null when there is none. */
export async function findTestIdentityProvider(db: ConnectionDeps['db'], environmentId: string): Promise<TestIdentityProviderEntity | null> {
  return db.getRepository(TestIdentityProviderEntity).findOneBy({ environmentId });
}

/** Makes what is missing of the environment's test IdP (key, Test Organization, connection); null in Production. */
export async function ensureTestIdentityProvider(deps: ConnectionDeps, environmentId: string): Promise<TestIdentityProviderEntity | null> {
  const environment = await deps.db.getRepository(EnvironmentEntity).findOneBy({ id: environmentId });
  if (!environment || environment.kind !== 'STAGING') return null;
  const idp = await ensureKey(deps, environmentId);
  return idp.connectionId ? idp : createTestOrganization(deps, idp);
}

/** What the test IdP's pages may do for `environmentId`: serve it, or say plainly why not. */
export async function testIdpAvailability(deps: ConnectionDeps, environmentId: string): Promise<TestIdpAvailability> {
  const environment = await deps.db.getRepository(EnvironmentEntity).findOneBy({ id: environmentId });
  if (!environment) return { kind: 'unknown' };
  if (environment.kind !== 'STAGING') return { kind: 'production', environment };
  // Read only: a GET of the login or metadata page changes nothing.
  const idp = await findTestIdentityProvider(deps.db, environmentId);
  if (!idp?.connectionId) return { kind: 'no_connection', environment };
  if (!idp.enabled) return { kind: 'disabled', environment };
  // tenancy: the connection is looked up inside the test IdP's own environment
  const connection = await getConnection(deps.db, { kind: 'environment', environmentId }, idp.connectionId);
  return { kind: 'available', environment, idp, connection };
}

/** Turns the environment's test IdP on or off (the dashboard's setting); its pages refuse while it is off. */
export async function setTestIdentityProviderEnabled(deps: ConnectionDeps, environmentId: string, enabled: boolean): Promise<TestIdentityProviderEntity | null> {
  const idp = await ensureTestIdentityProvider(deps, environmentId);
  if (!idp) return null;
  await deps.db.getRepository(TestIdentityProviderEntity).update({ environmentId }, { enabled });
  return deps.db.getRepository(TestIdentityProviderEntity).findOneByOrFail({ environmentId });
}

/** The SP side the test IdP answers: the Test Organization connection's entity ID and ACS URL, never the request's. */
export const testConnectionEndpoints = (publicUrl: string, connectionId: string) => spEndpoints(publicUrl, connectionId);

/** A signed response of the available test IdP for its Test Organization's connection (base64, for the ACS form). */
export async function signTestResponse(deps: ConnectionDeps, found: Extract<TestIdpAvailability, { kind: 'available' }>, p: { scenario: TestIdpScenario; user: TestUser; inResponseTo: string | null }) {
  const { acsUrl, spEntityId } = spEndpoints(deps.config.publicUrl, found.connection.id);
  const samlResponse = await buildTestResponse({
    scenario: p.scenario, issuer: testIdpEndpoints(deps.config.publicUrl, found.environment.id).entityId, acsUrl, audience: spEntityId,
    inResponseTo: p.inResponseTo, user: p.user, encryptTo: found.connection.spCertificate,
    signingKey: { certificate: found.idp.certificate, privateKey: deps.secrets.open(found.idp.privateKeyEncrypted, testIdpKeyContext(found.environment.id)) },
  });
  return { acsUrl, samlResponse };
}

/** A user of the login page: one of TEST_USERS, or one made from a typed address. */
export function testUserFor(email: string): TestUser {
  const known = TEST_USERS.find((u) => u.email === email);
  if (known) return known;
  const local = email.split('@')[0]!.replace(/[^a-zA-Z]+/g, ' ').trim() || 'Test';
  return { email, firstName: local.charAt(0).toUpperCase() + local.slice(1), lastName: 'Tester', groups: [] };
}
