import { isHttpUrl } from '@portico/shared';
import { NAME_ID, summarizeCertificate } from '../../auth/saml';
import type { AppDeps } from '../../context';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors';
import { isOwnKey } from '../../lib/own-keys';
import type { SsoConnectionEntity } from '../connections/connection.entity';
import { isOidcConnectionType } from '../../auth/oidc/claim-mapping';
import { certificateUsage, connectionsQuery, createSamlConnection, deleteConnection, getConnection, isConfigured, spEndpoints, updateSamlConnection } from '../connections/connections.service';
import { createOidcConnection, updateOidcConnection, type OidcConnectionInput } from '../connections/oidc-connections.service';
import { oauthCallbackUrl } from '../configuration/configuration.service';
import { startOidcConnectionSignIn } from '../sso-sessions/oidc-connection-flow';
import type { AccessScope } from '../environments/access-scope';
import { SsoSessionEntity } from '../sso-sessions/sso-session.entity';
import { beginSpSignIn } from '../sso-sessions/sso-flow';
import type { PortalIntent, PortalPrincipal } from './portal-links.service';
import { recordPortalAction } from './portal-actions.service';

/** The identity providers the portal has written steps for, and the WorkOS connection type each becomes. */
export const PORTAL_IDPS = {
  okta: 'OktaSAML', entra: 'AzureSAML', google: 'GoogleSAML', adfs: 'ADFSSAML', onelogin: 'OneLoginSAML', jumpcloud: 'JumpCloudSAML', pingone: 'PingOneSAML', generic: 'GenericSAML',
  okta_oidc: 'OktaOIDC', entra_oidc: 'EntraIdOIDC', oidc: 'GenericOIDC',
} as const;
export type PortalIdp = keyof typeof PORTAL_IDPS;

/** The portal acts inside its link's environment; every lookup below is also pinned to the link's organization. */
const scopeOf = (p: PortalPrincipal): AccessScope => ({ kind: 'environment', environmentId: p.environmentId });

/** Refuses a portal session opened for another intent: a dsync link can't touch SSO, and so on. */
export function requireIntent(p: PortalPrincipal, ...intents: PortalIntent[]): void {
  if (!intents.includes(p.intent)) throw new ForbiddenError(`This setup link is for ${p.intent.replace('_', ' ')}, not for this step. Ask the application team for a link for it.`, 'wrong_intent');
}

/** The organization's newest connection (SAML or OpenID Connect): the one the portal sets up (or renews). */
async function portalConnection(deps: AppDeps, p: PortalPrincipal): Promise<SsoConnectionEntity | null> {
  // tenancy: environment from the scope, organization from the portal session
  return connectionsQuery(deps.db, scopeOf(p), { organizationId: p.organizationId }).orderBy('conn.id', 'DESC').getOne();
}

const idpOf = (connectionType: string): PortalIdp => (Object.entries(PORTAL_IDPS).find(([, type]) => type === connectionType)?.[0] ?? (isOidcConnectionType(connectionType) ? 'oidc' : 'generic')) as PortalIdp;

/** What the SSO pages show: Portico's SP values, the attributes the IdP must send, and the IdP side as configured. */
export async function presentSsoSetup(deps: AppDeps, p: PortalPrincipal, connection?: SsoConnectionEntity | null) {
  const c = connection === undefined ? await portalConnection(deps, p) : connection;
  if (!c) return { connection: null };
  const usage = (await certificateUsage(deps.db, [c.id])).get(c.id) ?? [];
  return {
    connection: {
      id: c.id, state: c.state, idp: idpOf(c.connectionType), connectionType: c.connectionType,
      sp: spEndpoints(deps.config.publicUrl, c.id),
      attributeStatements: Object.entries(c.attributeMapping).map(([field, names]) => ({ field, names: names.filter((n) => n !== NAME_ID), nameId: names.includes(NAME_ID) })),
      idpEntityId: c.idpEntityId, idpSsoUrl: c.idpSsoUrl, idpMetadataUrl: c.idpMetadataUrl,
      // OpenID Connect: Portico's redirect URI to register, and the IdP side as saved (the secret is write-only).
      oidc: isOidcConnectionType(c.connectionType) ? {
        redirectUri: oauthCallbackUrl(deps.config.publicUrl), discoveryUrl: c.oidcDiscoveryUrl, issuer: c.oidcIssuer, clientId: c.oidcClientId, clientSecretSet: Boolean(c.oidcClientSecretSealed),
      } : null,
      certificates: c.idpCertificates.map((pem) => {
        const cert = summarizeCertificate(pem);
        const lastUsed = usage.find((u) => u.role === 'IDP_SIGNING' && u.fingerprintSha256 === cert.fingerprintSha256);
        return { subject: cert.subject, issuer: cert.issuer, fingerprintSha256: cert.fingerprintSha256, validFrom: cert.validFrom, validTo: cert.validTo, lastUsedAt: lastUsed?.lastUsedAt ?? null, signInsLast30Days: lastUsed?.signIns ?? 0 };
      }),
    },
  };
}

/** Picks the IdP: creates the draft connection the first time, or switches its type (and attribute mapping) while unproven. */
export async function chooseIdp(deps: AppDeps, p: PortalPrincipal, idp: unknown) {
  requireIntent(p, 'sso');
  if (typeof idp !== 'string' || !isOwnKey(PORTAL_IDPS, idp)) throw ValidationError.field('idp', 'invalid_idp', `Choose one of the listed identity providers (${Object.keys(PORTAL_IDPS).join(', ')}).`);
  const connectionType = PORTAL_IDPS[idp];
  const oidc = isOidcConnectionType(connectionType);
  const current = await portalConnection(deps, p);
  if (current && (current.state === 'active' || current.connectionType === connectionType)) return presentSsoSetup(deps, p, current);
  if (current && isOidcConnectionType(current.connectionType) === oidc) {
    return presentSsoSetup(deps, p, oidc ? await updateOidcConnection(deps, scopeOf(p), current.id, { connectionType }) : await updateSamlConnection(deps, scopeOf(p), current.id, { connectionType }));
  }
  // First choice, or a switch between SAML and OpenID Connect: a connection of the other protocol replaces the
  // unproven one (never active: an active connection is only changed by the application team).
  const created = oidc
    ? await createOidcConnection(deps, scopeOf(p), p.organizationId, { connectionType })
    : await createSamlConnection(deps, scopeOf(p), p.organizationId, { connectionType });
  if (current) await deleteConnection(deps.db, scopeOf(p), current.id);
  await recordPortalAction(deps.db, { organizationId: p.organizationId, linkId: p.linkId, intent: p.intent, action: 'connection_created', actor: p.adminEmails[0] ?? null, detail: { connectionId: created.id, connectionType, ...(current ? { replaced: current.id } : {}) } });
  return presentSsoSetup(deps, p, created);
}

export interface IdpDetailsInput {
  discoveryUrl?: unknown;
  clientId?: unknown;
  clientSecret?: unknown;
  metadataXml?: unknown;
  metadataUrl?: unknown;
  idpSsoUrl?: unknown;
  idpEntityId?: unknown;
  certificate?: unknown;
}

const text = (v: unknown, field: string, max: number): string | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' || v.length > max) throw ValidationError.field(field, 'invalid', `${field} must be text of at most ${max.toLocaleString('en')} characters.`);
  return v;
};

/**
 * Saves the IdP side from metadata (XML or URL: the dashboard's parser and SSRF-guarded fetch) or typed fields.
 * The connection becomes `validating` when complete; the first successful (test) sign-in makes it active.
 */
export async function configureIdp(deps: AppDeps, p: PortalPrincipal, input: IdpDetailsInput) {
  requireIntent(p, 'sso');
  const current = await portalConnection(deps, p);
  if (!current) throw ValidationError.field('idp', 'choose_idp_first', 'Choose your identity provider first.');
  if (isOidcConnectionType(current.connectionType)) return configureOidcIdp(deps, p, current, input);
  const metadataXml = text(input.metadataXml, 'metadataXml', 1_000_000);
  const metadataUrl = text(input.metadataUrl, 'metadataUrl', 2048);
  const manual = { idpSsoUrl: text(input.idpSsoUrl, 'idpSsoUrl', 2048), idpEntityId: text(input.idpEntityId, 'idpEntityId', 1024), certificate: text(input.certificate, 'certificate', 20_000) };
  if (!metadataXml && !metadataUrl && !manual.idpSsoUrl && !manual.idpEntityId && !manual.certificate) {
    throw ValidationError.field('metadataXml', 'required', 'Upload your identity provider’s metadata file, paste its metadata URL, or fill in the SSO URL, entity ID and certificate.');
  }
  if (!metadataXml && !metadataUrl) {
    const missing = (['idpSsoUrl', 'idpEntityId', 'certificate'] as const).filter((f) => !manual[f]);
    if (missing.length) throw new ValidationError(missing.map((field) => ({ field, code: 'required', message: { idpSsoUrl: 'Enter the SSO URL (sign-on URL) from your identity provider.', idpEntityId: 'Enter the entity ID (issuer) from your identity provider.', certificate: 'Paste the X.509 signing certificate from your identity provider.' }[field] })));
  }
  const updated = await updateSamlConnection(deps, scopeOf(p), current.id, metadataXml ? { metadataXml } : metadataUrl ? { metadataUrl } : {
    idpSsoUrl: manual.idpSsoUrl, idpEntityId: manual.idpEntityId, idpCertificates: [manual.certificate!],
  });
  await recordPortalAction(deps.db, { organizationId: p.organizationId, linkId: p.linkId, intent: p.intent, action: 'connection_configured', actor: p.adminEmails[0] ?? null, detail: { connectionId: updated.id, source: metadataXml ? 'metadata_xml' : metadataUrl ? 'metadata_url' : 'manual' } });
  return presentSsoSetup(deps, p, updated);
}

/**
 * OpenID Connect: the discovery URL (or the issuer: discovery appends /.well-known/openid-configuration), read through
 * the dashboard's SSRF-guarded discovery; the client ID; the client secret, sealed and write-only (left out when
 * already set, it is kept). Becomes `validating` when complete, as for SAML.
 */
async function configureOidcIdp(deps: AppDeps, p: PortalPrincipal, current: SsoConnectionEntity, input: IdpDetailsInput) {
  const discoveryUrl = text(input.discoveryUrl, 'discoveryUrl', 2048);
  const clientId = text(input.clientId, 'clientId', 256);
  const clientSecret = text(input.clientSecret, 'clientSecret', 2048);
  const missing = [
    !discoveryUrl && { field: 'discoveryUrl', code: 'required', message: 'Enter your identity provider’s discovery URL (…/.well-known/openid-configuration) or its issuer URL.' },
    discoveryUrl && !isHttpUrl(discoveryUrl.trim()) && { field: 'discoveryUrl', code: 'https_required', message: 'Enter the https:// address of your identity provider’s discovery document or issuer.' },
    !clientId && { field: 'clientId', code: 'required', message: 'Enter the client ID your identity provider gave the application you created.' },
    !clientSecret && !current.oidcClientSecretSealed && { field: 'clientSecret', code: 'required', message: 'Enter the client secret your identity provider gave the application you created.' },
  ].filter((e): e is { field: string; code: string; message: string } => Boolean(e));
  if (missing.length) throw new ValidationError(missing);
  const patch: OidcConnectionInput = { discoveryUrl, clientId, ...(clientSecret ? { clientSecret } : {}) };
  const updated = await updateOidcConnection(deps, scopeOf(p), current.id, patch);
  await recordPortalAction(deps.db, { organizationId: p.organizationId, linkId: p.linkId, intent: p.intent, action: 'connection_configured', actor: p.adminEmails[0] ?? null, detail: { connectionId: updated.id, source: 'oidc_discovery', clientSecretReplaced: Boolean(clientSecret) } });
  return presentSsoSetup(deps, p, updated);
}

/** Certificate renewal: adds the IdP's next signing certificate beside the current one (both accepted during rollover). */
export async function addNextCertificate(deps: AppDeps, p: PortalPrincipal, certificate: unknown) {
  requireIntent(p, 'certificate_renewal');
  const current = await portalConnection(deps, p);
  if (!current) throw new NotFoundError('SSO connection');
  if (isOidcConnectionType(current.connectionType)) throw ValidationError.field('certificate', 'not_a_saml_connection', 'This connection uses OpenID Connect: your identity provider’s signing keys are picked up automatically, there is no certificate to add.');
  const pem = text(certificate, 'certificate', 20_000);
  if (!pem) throw ValidationError.field('certificate', 'required', 'Paste the new X.509 signing certificate from your identity provider.');
  const updated = await updateSamlConnection(deps, scopeOf(p), current.id, { idpCertificates: [...current.idpCertificates.slice(-1), pem] });
  await recordPortalAction(deps.db, { organizationId: p.organizationId, linkId: p.linkId, intent: p.intent, action: 'connection_configured', actor: p.adminEmails[0] ?? null, detail: { connectionId: updated.id, source: 'next_certificate' } });
  return presentSsoSetup(deps, p, updated);
}

/** Starts a real SP-initiated sign-in through the admin's IdP; the browser goes to `location`. */
export async function beginTestSignIn(deps: AppDeps, p: PortalPrincipal, client: { ip: string; userAgent: string | null; oauthBrowser?: string | null }): Promise<{ sessionId: string; location: string; oauthBrowser?: string }> {
  requireIntent(p, 'sso', 'certificate_renewal');
  const connection = await portalConnection(deps, p);
  if (!connection) throw ValidationError.field('idp', 'choose_idp_first', 'Choose your identity provider first.');
  if (connection.state === 'inactive') throw ValidationError.field('connection', 'connection_inactive', 'This connection is turned off. Ask the application team to turn it back on, then test again.');
  const resultUrl = `${deps.config.publicUrl}/portal/sso/test-result`;
  if (isOidcConnectionType(connection.connectionType)) {
    if (!isConfigured(connection)) throw ValidationError.field('connection', 'not_configured', 'Finish the identity provider details first: discovery URL, client ID and client secret.');
    // The dashboard's OIDC Test sign-in, ending on the portal's page; the IdP answers at /sso/oauth/callback, which
    // checks the browser binding (the router sets its cookie with this answer).
    const started = await startOidcConnectionSignIn(deps, connection, {
      redirectUri: (sessionId) => `${resultUrl}?state=${encodeURIComponent(sessionId)}`, clientState: null, codeChallenge: null,
      ip: client.ip, userAgent: client.userAgent, testSignIn: true, browserId: client.oauthBrowser ?? null,
    });
    await recordPortalAction(deps.db, { organizationId: p.organizationId, linkId: p.linkId, intent: p.intent, action: 'test_sign_in_started', actor: p.adminEmails[0] ?? null, detail: { sessionId: started.sessionId } });
    return started;
  }
  if (!connection.idpSsoUrl || !connection.idpEntityId || !connection.idpCertificates.length || !isHttpUrl(connection.idpSsoUrl)) {
    throw ValidationError.field('connection', 'not_configured', 'Finish the identity provider details first: SSO URL, entity ID and signing certificate.');
  }
  // The dashboard's Test sign-in, ending on the portal's page: marked as a test, so no code is ever issued for an app.
  const started = await beginSpSignIn(deps, connection, {
    redirectUri: (sessionId) => `${resultUrl}?state=${encodeURIComponent(sessionId)}`, clientState: null, codeChallenge: null, ...client, testSignIn: true,
  });
  await recordPortalAction(deps.db, { organizationId: p.organizationId, linkId: p.linkId, intent: p.intent, action: 'test_sign_in_started', actor: p.adminEmails[0] ?? null, detail: { sessionId: started.sessionId } });
  return started;
}

async function testSession(deps: AppDeps, p: PortalPrincipal, sessionId: string): Promise<SsoSessionEntity> {
  // tenancy: a session of this portal's organization and environment only
  const session = await deps.db.getRepository(SsoSessionEntity).findOneBy({ id: sessionId, organizationId: p.organizationId, environmentId: p.environmentId });
  if (!session) throw new NotFoundError('Test sign-in');
  return session;
}

/** Where the IdP's answer lands (a test sign-in issues no code: the profile is shown, never sent to an app); records the outcome. */
export async function finishTestSignIn(deps: AppDeps, p: PortalPrincipal, q: { state?: string; code?: string }): Promise<string> {
  if (!q.state) throw new NotFoundError('Test sign-in');
  const after = await testSession(deps, p, q.state);
  const ok = after.state === 'SUCCESSFUL';
  await recordPortalAction(deps.db, {
    organizationId: p.organizationId, linkId: p.linkId, intent: p.intent, action: ok ? 'test_sign_in_succeeded' : 'test_sign_in_failed', actor: after.email ?? p.adminEmails[0] ?? null,
    detail: { sessionId: after.id, ...(ok ? {} : { error: after.error, reason: after.errorReason }) },
  });
  return after.id;
}

/** The test's outcome, with what the diagnosis needs (the same fields the dashboard's Session Details reads). */
export async function presentTestSignIn(deps: AppDeps, p: PortalPrincipal, sessionId: string) {
  requireIntent(p, 'sso', 'certificate_renewal');
  const s = await testSession(deps, p, sessionId);
  const connection = await getConnection(deps.db, scopeOf(p), s.connectionId);
  return {
    id: s.id, state: s.state, connectionState: connection.state, startedAt: s.startedAt, email: s.email,
    profile: s.state === 'SUCCESSFUL' || s.state === 'AUTHORIZED' ? s.profile : null,
    error: s.error, errorReason: s.errorReason, errorMessage: s.errorMessage, errorDetails: s.errorDetails,
  };
}
