import { createHash, randomBytes } from 'node:crypto';
import { isHttpUrl, isIdOf, isValidEmail, normalizeDomain, normalizeEmail } from '@portico/shared';
import type { DataSource } from 'typeorm';
import { claimedInResponseToOfXml, createAuthnRequest, decodeSamlResponse, mapSamlProfile, NAME_ID, parseCertificate, SamlError, type SamlUserProfile, type ValidatedSamlResponse } from '../../auth/saml';
import type { AppDeps } from '../../context';
import { newId } from '../../lib/ids';
import { logger } from '../../lib/logger';
import { sentences } from '../../lib/sentences';
import { hashToken, safeEqual } from '../../lib/tokens';
import { authenticateApiKey } from '../api-keys/api-keys.service';
import { SsoConnectionEntity } from '../connections/connection.entity';
import { getConnection, isConfigured, signInConnectionFor, spEndpoints, spKeyContext } from '../connections/connections.service';
import { isOidcConnectionType } from '../../auth/oidc/claim-mapping';
import { startOidcConnectionSignIn } from './oidc-connection-flow';
import { environmentByClientId } from '../environments/environments.service';
import { getOrganization } from '../organizations/organizations.service';
import { NotFoundError } from '../../errors';
import { pickRedirectUri, resolveRedirectUri } from '../redirect-uris/redirect-uris.service';
import { ValidatorBusyError } from './validation-pool';
import { boundErrorDetails, countUnrecordedAttempt, mayRecordFailedAttempt, purgeUnrecordedAttempts, truncateStoredResponse } from './acs-limits';
import { completeTestSignIn, currentContextVersion, loadAcsContext, type AcsContext } from './acs-store';
import { cacheAcsContext, cachedAcsContext, forgetAcsContext } from './acs-context-cache';
import { writeSlots } from './write-slots';
import { SsoSessionEntity, type ProfileRecord } from './sso-session.entity';
import { SAML_ERROR_LABELS } from './saml-error-kinds';
import { recordSignInAttempt } from './sign-in-metrics';
import { acsContextReads } from '../../lib/metrics';
import { authorizeWithEventsInSlot, saveFailedSession, startSessionWithEvent } from './sso-events';
import { startOAuthSignIn } from './oauth-flow';
import type { SecretBox } from '../../lib/secret-box';

/**
 * The SSO state machine (DESIGN.md "The SSO flow"):
 *
 *   authorize ─→ STARTED ─(ACS: valid response, policy ok)─→ AUTHORIZED ─(token exchange)─→ SUCCESSFUL
 *                    └──────(ACS: refused)──→ FAILED
 *   IdP-initiated responses create their session at ACS and go straight to AUTHORIZED or FAILED.
 *
 * Every outcome is one of three things for the HTTP layer: redirect the browser to the app, or show an error
 * page when there is no trustworthy place to send it (unknown client, redirect URI not on the list).
 */

export const CODE_TTL_MS = 10 * 60_000;
export const ACCESS_TOKEN_TTL_MS = 5 * 60_000;

export type FlowOutcome =
  /** `oauthBrowser`: the cookie binding an OAuth sign-in to this browser (set by the HTTP layer). */
  | { kind: 'redirect'; location: string; oauthBrowser?: string }
  /** `fixer` says who must act: the app's developers, or the organization's IT admin. */
  | { kind: 'error_page'; status: number; title: string; message: string; fixer: 'developer' | 'it_admin'; sessionId?: string; retryAfterSeconds?: number };

function withParams(base: string, params: Record<string, string | null | undefined>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) if (value !== null && value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}

const errorRedirect = (redirectUri: string, error: string, description: string, state: string | null): FlowOutcome => ({
  kind: 'redirect',
  location: withParams(redirectUri, { error, error_description: description, state }),
});

export interface AuthorizeParams {
  clientId?: string;
  redirectUri?: string;
  responseType?: string;
  state?: string;
  connection?: string;
  organization?: string;
  provider?: string;
  domain?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  /** OAuth providers only (contract §2.1): extra scopes, extra query parameters, hints. */
  providerScopes?: string[];
  providerQueryParams?: Record<string, string>;
  loginHint?: string;
  domainHint?: string;
  /** The browser's OAuth binding cookie, if it has one. */
  oauthBrowser?: string | null;
  ip: string;
  userAgent: string | null;
}

/** A lookup inside the client's environment that answers null for unknown (or other tenants') IDs. */
async function orNull<T>(lookup: Promise<T>): Promise<T | null> {
  try {
    return await lookup;
  } catch (err) {
    if (err instanceof NotFoundError) return null;
    throw err;
  }
}

/** `GET /sso/authorize` (contract §2.1). */
export async function authorize(deps: AppDeps, p: AuthorizeParams): Promise<FlowOutcome> {
  const { db, config } = deps;
  const environment = p.clientId ? await environmentByClientId(db, p.clientId) : null;
  if (!environment) {
    return { kind: 'error_page', status: 400, title: 'Unknown client ID', message: `The sign-in link has ${p.clientId ? `an unknown client_id "${p.clientId}"` : 'no client_id'}. The application's developers must use the client ID shown in their Portico dashboard.`, fixer: 'developer' };
  }
  const redirectUri = p.redirectUri ? await resolveRedirectUri(db, environment.id, p.redirectUri) : null;
  if (!redirectUri) {
    return { kind: 'error_page', status: 400, title: 'Redirect URI not allowed', message: p.redirectUri ? `"${p.redirectUri}" is not one of this environment's redirect URIs. The application's developers must add it in the Portico dashboard (Configuration → Redirect URIs).` : 'The sign-in link has no redirect_uri.', fixer: 'developer' };
  }
  const state = p.state ?? null;
  const fail = (error: string, description: string) => errorRedirect(redirectUri, error, description, state);
  if (p.responseType !== 'code') return fail('unsupported_response_type', 'response_type must be "code"');
  if (state !== null && state.length > 4096) return fail('invalid_request', 'state must be at most 4,096 characters');
  if (p.codeChallenge !== undefined || p.codeChallengeMethod !== undefined) {
    if (p.codeChallengeMethod !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
    if (!/^[A-Za-z0-9_-]{43}$/.test(p.codeChallenge ?? '')) return fail('invalid_request', 'code_challenge must be the base64url SHA-256 of the code verifier (43 characters)');
  }
  if (p.domain !== undefined) return fail('domain_connection_selector_not_allowed', 'The domain parameter is no longer supported; pass connection or organization');
  const selectors = [p.connection, p.organization, p.provider].filter((s) => s !== undefined && s !== '');
  if (selectors.length === 0) return fail('invalid_connection_selector', 'Pass one of connection, organization or provider');
  if (selectors.length > 1) return fail('ambiguous_connection_selector', 'Pass only one of connection, organization or provider');
  if (p.provider) {
    return startOAuthSignIn(deps, {
      environmentId: environment.id, clientId: environment.clientId, provider: p.provider, redirectUri, clientState: state, codeChallenge: p.codeChallenge ?? null,
      scopes: p.providerScopes ?? [], queryParams: p.providerQueryParams ?? {}, loginHint: p.loginHint, domainHint: p.domainHint,
      browserId: p.oauthBrowser ?? null, ip: p.ip, userAgent: p.userAgent,
    });
  }

  // tenancy: selectors resolve only inside the environment the client_id names
  const scope = { kind: 'environment' as const, environmentId: environment.id };
  let connection: SsoConnectionEntity | null = null;
  if (p.connection) {
    connection = isIdOf('connection', p.connection) ? await orNull(getConnection(db, scope, p.connection)) : null;
    if (!connection) return fail('connection_invalid', `No connection ${p.connection} in this environment`);
  } else {
    const org = isIdOf('organization', p.organization!) ? await orNull(getOrganization(db, scope, p.organization!)) : null;
    if (!org) return fail('organization_invalid', `No organization ${p.organization} in this environment`);
    connection = await signInConnectionFor(db, org.id);
    if (!connection) return fail('organization_invalid', `The organization ${org.id} has no active connection`);
  }
  if (connection.state === 'inactive') return fail('connection_invalid', `The connection ${connection.id} is inactive`);
  if (isOidcConnectionType(connection.connectionType)) {
    if (connection.state === 'draft' || !isConfigured(connection)) return fail('connection_invalid', `The connection ${connection.id} is not fully configured (issuer, endpoints, client ID and secret)`);
    const started = await startOidcConnectionSignIn(deps, connection, {
      redirectUri, clientState: state, codeChallenge: p.codeChallenge ?? null, ip: p.ip, userAgent: p.userAgent, testSignIn: false, browserId: p.oauthBrowser ?? null,
    });
    return { kind: 'redirect', location: started.location, oauthBrowser: started.oauthBrowser };
  }
  if (connection.state === 'draft' || !connection.idpSsoUrl || !connection.idpEntityId) {
    return fail('connection_invalid', `The connection ${connection.id} is not fully configured (IdP SSO URL, entity ID and certificate)`);
  }
  // Defence in depth: the SSO URL was checked when it was saved, but rows older than that check may hold javascript:.
  if (!isHttpUrl(connection.idpSsoUrl)) return fail('connection_invalid', `The connection ${connection.id} has an IdP SSO URL that is not http(s); fix it in the dashboard`);

  const started = await beginSpSignIn(deps, connection, {
    redirectUri, clientState: state, codeChallenge: p.codeChallenge ?? null, ip: p.ip, userAgent: p.userAgent, testSignIn: false,
  });
  return { kind: 'redirect', location: started.location };
}

export interface SpSignInStart {
  /** Where the session ends: the app's redirect URI, or Portico's result page for a test sign-in. */
  redirectUri: string | ((sessionId: string) => string);
  clientState: string | null;
  codeChallenge: string | null;
  ip: string;
  userAgent: string | null;
  testSignIn: boolean;
}

/** STARTED: the AuthnRequest is built and kept on a new session; the browser goes to the IdP with it. */
export async function beginSpSignIn(deps: AppDeps, connection: SsoConnectionEntity, p: SpSignInStart): Promise<{ sessionId: string; location: string }> {
  const sessionId = newId('ssoSession');
  const { acsUrl, spEntityId } = spEndpoints(deps.config.publicUrl, connection.id);
  const request = await createAuthnRequest({
    idpSsoUrl: connection.idpSsoUrl!, idpCertificates: connection.idpCertificates, spEntityId, acsUrl,
    requestId: `_${randomBytes(20).toString('hex')}`, relayState: sessionId,
  });
  const started = Object.assign(new SsoSessionEntity(), {
    id: sessionId, environmentId: connection.environmentId, organizationId: connection.organizationId, connectionId: connection.id, origin: 'SP', state: 'STARTED',
    requestId: request.requestId, redirectUri: typeof p.redirectUri === 'function' ? p.redirectUri(sessionId) : p.redirectUri, clientState: p.clientState,
    codeChallenge: p.codeChallenge, samlRequest: request.xml, samlResponseTruncated: false, testSignIn: p.testSignIn,
    ip: p.ip, userAgent: p.userAgent?.slice(0, 512) ?? null, startedAt: new Date(),
  } as const);
  await startSessionWithEvent(deps.db, started);
  return { sessionId, location: request.redirectUrl };
}

export interface AcsParams {
  connectionId: string;
  samlResponse: string | undefined;
  relayState: string | undefined;
  ip: string;
  userAgent: string | null;
  now?: Date;
}

/** The response decoded to XML, or null when it is not even base64 XML (decoded once per post, on the main thread). */
function decodedResponse(samlResponse: string): string | null {
  try {
    return decodeSamlResponse(samlResponse);
  } catch {
    return null;
  }
}

/** IdP-initiated RelayState may carry `redirect_uri=<allowed URI>` (contract §6.4). */
function relayRedirectUri(relayState: string | undefined): string | null {
  if (!relayState || !relayState.includes('redirect_uri=')) return null;
  try {
    return new URLSearchParams(relayState).get('redirect_uri');
  } catch {
    return null;
  }
}

const emailShaped = (value: unknown): string | null => {
  if (typeof value !== 'string') return null;
  const email = normalizeEmail(value);
  return isValidEmail(email) ? email : null;
};

/**
 * Who a failed, signed attempt was for: the mapped email attribute, else the NameID, else any attribute holding an
 * email address (the mapping may name `mail` while the IdP sends `email`). For the failed session's record only.
 */
function attemptEmail(validated: ValidatedSamlResponse, sources: string[]): string | null {
  const values = (value: string | string[] | undefined) => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
  const attribute = (name: string) => (Object.hasOwn(validated.attributes, name) ? validated.attributes[name] : undefined);
  const candidates = [
    ...sources.flatMap((source) => (source === NAME_ID ? [validated.nameId] : values(attribute(source)))),
    validated.nameId,
    ...Object.values(validated.attributes).flatMap(values),
  ];
  for (const candidate of candidates) {
    const email = emailShaped(candidate);
    if (email) return email;
  }
  return null;
}

function checkDomainPolicy(context: AcsContext, profile: SamlUserProfile): void {
  if (context.allowProfilesOutsideOrganization) return;
  const domain = normalizeDomain(profile.email.split('@')[1] ?? '');
  if (!context.domains.includes(domain)) {
    throw new SamlError({
      reason: 'domain_not_allowed',
      message: `${profile.email} is outside the organization: its domain ${domain} is not one of the organization's domains, and profiles outside the organization are not allowed`,
      expected: context.domains,
      received: domain,
      details: { domain, allowlist: context.domains, email: profile.email },
    });
  }
}

/**
 * Apps get `raw_attributes: {}` (deprecated in the API). A test sign-in's profile goes to no app, only to the result
 * pages, so it keeps the attributes as the IdP sent them: what an admin compares with the mapped profile.
 */
function buildProfile(context: AcsContext, profile: SamlUserProfile, testSignIn: boolean): ProfileRecord {
  return {
    object: 'profile', id: newId('profile'), idp_id: profile.idpId, organization_id: context.organizationId, connection_id: context.id,
    connection_type: context.connectionType, email: profile.email, first_name: profile.firstName, last_name: profile.lastName,
    name: `${profile.firstName} ${profile.lastName}`.trim(), groups: profile.groups, custom_attributes: {}, raw_attributes: testSignIn ? profile.rawAttributes : {},
  };
}

function errorCodeFor(error: SamlError): string {
  return error.reason === 'domain_not_allowed' ? 'profile_not_allowed_outside_organization' : 'access_denied';
}

const DASHBOARD_ERROR_LABELS = SAML_ERROR_LABELS;

const ALREADY_ANSWERED: FlowOutcome = {
  kind: 'error_page', status: 409, title: 'Sign-in already completed',
  message: 'This sign-in already received a response from the identity provider. Start the sign-in again from the application.', fixer: 'developer',
};

function rejected(outcome: FlowOutcome, environmentKind: string | null = null): FlowOutcome {
  recordSignInAttempt(environmentKind, null, outcome);
  return outcome;
}

/**
 * Without a RelayState naming its sign-in, a response that says it answers a request of this connection's that was
 * already answered is a replay of that answer (RelayState left out, as a replayed post can be): it is checked against
 * that request and refused as `replayed_assertion`, not taken for an IdP-initiated one. A sign-in still waiting is
 * not picked this way: an SP-initiated sign-in keeps needing its RelayState.
 */
async function answeredRequest(db: DataSource, connectionId: string, xml: string | null): Promise<SsoSessionEntity | null> {
  const requestId = xml === null ? null : claimedInResponseToOfXml(xml);
  if (!requestId) return null;
  const session = await db.getRepository(SsoSessionEntity).findOneBy({ requestId, connectionId, origin: 'SP' });
  return session && session.state !== 'STARTED' ? session : null;
}

/** A sign-in checked against a cached context found the connection's configuration changed: it is checked again, afresh. */
class StaleContext extends Error {}

/**
 * Before a sign-in checked against a cached context writes a failure: the context must still be the connection's
 * (a certificate just added, a connection just activated, must not be refused on an old copy).
 */
async function confirmContext(db: DataSource, context: AcsContext, cached: boolean): Promise<void> {
  if (cached && (await currentContextVersion(db, context.id)) !== context.version) throw new StaleContext('The connection changed');
}

/**
 * `POST /sso/saml/acs/:connectionId`: SP- or IdP-initiated. Every response that reaches a known connection is recorded.
 * The connection's context may come from the cache (acs-context-cache.ts); `afresh` reads it from the database.
 */
export async function consumeSamlResponse(deps: AppDeps, p: AcsParams, afresh = false): Promise<FlowOutcome> {
  const { db } = deps;
  const now = p.now ?? new Date();
  const known = isIdOf('connection', p.connectionId);
  const cached = known && !afresh ? cachedAcsContext(db, p.connectionId) : undefined;
  const context = cached ?? (known ? await loadAcsContext(db, p.connectionId) : null);
  if (context && !cached) cacheAcsContext(db, context);
  if (context) acsContextReads.inc({ source: cached ? 'cache' : 'database' });
  if (!context) {
    return rejected({ kind: 'error_page', status: 404, title: 'Unknown connection', message: 'This sign-in URL names no connection. Check the ACS URL configured in your identity provider.', fixer: 'it_admin' });
  }
  if (!p.samlResponse) {
    return rejected({ kind: 'error_page', status: 400, title: 'No SAML response', message: 'The request carries no SAMLResponse. The identity provider must POST it to this URL (HTTP-POST binding).', fixer: 'it_admin' }, context.environmentKind);
  }

  const xml = decodedResponse(p.samlResponse);
  // SP-initiated: RelayState names the session Portico started, whose AuthnRequest ID the response must answer.
  // A session that already received its response is answered again only by a replay: the response is checked as
  // the answer to that request and then refused as `replayed_assertion`, on a new session row beside the original.
  const named = (p.relayState && isIdOf('ssoSession', p.relayState)
    ? await db.getRepository(SsoSessionEntity).findOneBy({ id: p.relayState, connectionId: context.id, origin: 'SP' })
    : null) ?? await answeredRequest(db, context.id, xml);
  const started = named?.state === 'STARTED' ? named : null;
  const answered = named && !started ? named : null;
  const session: SsoSessionEntity = started ?? Object.assign(new SsoSessionEntity(), {
    id: newId('ssoSession'), environmentId: context.environmentId, organizationId: context.organizationId, connectionId: context.id,
    // The replay's row names the original session in its error details; the request ID stays the original's alone.
    origin: answered ? 'SP' as const : 'IDP' as const, state: 'STARTED' as const, requestId: null, clientState: answered?.clientState ?? null,
    codeChallenge: null, samlRequest: null, startedAt: now,
    // A RelayState redirect_uri counts only when it is on the list; otherwise the default, never the given URL.
    redirectUri: answered ? answered.redirectUri : pickRedirectUri(context.redirectUris, relayRedirectUri(p.relayState)) ?? pickRedirectUri(context.redirectUris, null),
  });
  // The response as XML for the session record, or the raw form when it is not even base64 XML, and its size in bytes.
  session.samlResponse = xml ?? p.samlResponse;
  session.samlResponseBytes = Buffer.byteLength(session.samlResponse, 'utf8');
  session.samlResponseTruncated = false;
  session.ip = p.ip;
  session.userAgent = p.userAgent?.slice(0, 512) ?? null;

  let outcome: FlowOutcome;
  try {
    outcome = await finishAcs(deps, p.samlResponse, context, session, started, answered, now, cached !== undefined);
  } catch (err) {
    if (!(err instanceof StaleContext)) throw err;
    forgetAcsContext(db, context.id);
    acsContextReads.inc({ source: 'stale' });
    return consumeSamlResponse(deps, { ...p, now }, true);
  }
  recordSignInAttempt(context.environmentKind, session, outcome);
  return outcome;
}

/** `cached`: the context came from the cache, so nothing is written until its version is confirmed (or checked in the write). */
async function finishAcs(deps: AppDeps, samlResponse: string, context: AcsContext, session: SsoSessionEntity, started: SsoSessionEntity | null, answered: SsoSessionEntity | null, now: Date, cached: boolean): Promise<FlowOutcome> {
  const { db, config } = deps;
  let validated: ValidatedSamlResponse | null = null;
  try {
    if (context.state === 'inactive' || context.state === 'draft') {
      await confirmContext(db, context, cached);
      return await finishUnavailable(db, session, context, started !== null);
    }
    if (!started && !answered && !context.idpInitiatedEnabled) {
      await confirmContext(db, context, cached);
      return await fail(db, session, new SamlError({
        reason: 'idp_initiated_disabled',
        message: 'The identity provider started this sign-in (IdP-initiated), which this connection does not allow: start the sign-in from the application, or allow IdP-initiated sign-in on the connection page',
        expected: 'an SP-initiated response', received: 'an unsolicited response',
      }), 'idp_initiated_sso_disabled');
    }
    const { acsUrl, spEntityId } = spEndpoints(config.publicUrl, context.id);
    validated = await deps.saml.validate({
      samlResponse, idpEntityId: context.idpEntityId!, idpCertificates: context.idpCertificates, spEntityId, acsUrl,
      expectedInResponseTo: (started ?? answered)?.requestId ?? null,
      decryptionKey: context.spPrivateKeyEncrypted ? deps.secrets.open(context.spPrivateKeyEncrypted, spKeyContext(context.id)) : undefined,
      nextDecryptionKey: context.spNextPrivateKeyEncrypted ? deps.secrets.open(context.spNextPrivateKeyEncrypted, spKeyContext(context.id)) : undefined,
      requireEncryptedAssertion: (context.spPrivateKeyEncrypted !== null || context.spNextPrivateKeyEncrypted !== null) && !context.acceptUnencryptedAssertions,
      requireSignedAssertion: context.requireSignedAssertions,
      now, clockSkewSeconds: config.samlClockSkewSeconds,
    });
    session.decryptedAssertion = validated.decryptedAssertion;
    const spCertificate = validated.decryptedWith === 'next' ? context.spNextCertificate : validated.decryptedWith === 'current' ? context.spCertificate : null;
    session.spKeyFingerprint = spCertificate ? parseCertificate(spCertificate).fingerprint256 : null;
    session.idpCertificateFingerprint = validated.signingCertificateFingerprint;
    if (answered) {
      throw new SamlError({
        reason: 'replayed_assertion',
        message: `This response answers a sign-in that already received one (session ${answered.id}); a response can be used once`,
        expected: 'a response to a sign-in still waiting for one', received: validated.assertionId, details: { originalSessionId: answered.id },
      });
    }
    const user = mapSamlProfile(validated.nameId, validated.attributes, context.attributeMapping);
    session.email = user.email;
    session.firstName = user.firstName;
    session.lastName = user.lastName;
    session.idpId = user.idpId;
    checkDomainPolicy(context, user);
    return await authorizeSession(db, session, context, buildProfile(context, user, session.testSignIn), validated, now, cached, { slots: config.acsWriteSlots, batch: config.acsWriteBatch });
  } catch (err) {
    if (err instanceof StaleContext) throw err;
    if (err instanceof SamlError) {
      await confirmContext(db, context, cached);
      // A signed response that was refused after validation (attributes, domain, replay): name the user anyway, so
      // the Sessions tab and its email filter find the attempt. Only for the failed session's record, never a profile.
      if (validated && !session.email) session.email = attemptEmail(validated, context.attributeMapping.email);
      if (err.decryptedAssertion && !session.decryptedAssertion) session.decryptedAssertion = err.decryptedAssertion;
      return fail(db, session, err);
    }
    if (err instanceof ValidatorBusyError) {
      return { kind: 'error_page', status: 503, title: 'Portico is busy', message: 'Too many sign-ins are being checked right now. Go back and try again in a moment.', fixer: 'developer', retryAfterSeconds: 2 };
    }
    logger.error('SAML sign-in failed unexpectedly', { connectionId: context.id, error: err instanceof Error ? err.stack : String(err) });
    await confirmContext(db, context, cached);
    return fail(db, session, null);
  }
}

/**
 * Records a failed attempt with its event, unless its IP or connection is past the limits on failed attempts: then it is only
 * counted (the dashboard shows how many were not recorded). The raw response is kept truncated either way.
 */
async function recordFailure(db: DataSource, session: SsoSessionEntity): Promise<'recorded' | 'unrecorded' | 'already_answered'> {
  truncateStoredResponse(session);
  if (!(await mayRecordFailedAttempt(db, session.connectionId, session.ip ?? 'unknown'))) {
    await countUnrecordedAttempt(db, session.connectionId);
    return 'unrecorded';
  }
  return (await saveFailedSession(db, session)) ? 'recorded' : 'already_answered';
}

const NOT_RECORDED = 'This attempt was not recorded: too many failed sign-ins came from this network or through this connection; the Portico dashboard counts them.';

async function finishUnavailable(db: DataSource, session: SsoSessionEntity, context: AcsContext, spInitiated: boolean): Promise<FlowOutcome> {
  session.state = 'FAILED';
  session.failedAt = new Date();
  session.errorReason = null;
  session.errorMessage = `The connection is ${context.state}`;
  const recorded = spInitiated || session.redirectUri ? await recordFailure(db, session) : null;
  if (session.redirectUri) {
    return errorRedirect(session.redirectUri, 'connection_invalid', sentences(`The connection ${context.id} is ${context.state}`, recorded === 'unrecorded' ? NOT_RECORDED : `Session ${session.id}`), session.clientState);
  }
  return { kind: 'error_page', status: 403, title: 'Connection not active', message: 'Single sign-on through this connection is turned off. Ask the application team to activate it.', fixer: 'developer' };
}

async function fail(db: DataSource, session: SsoSessionEntity, error: SamlError | null, code?: string): Promise<FlowOutcome> {
  session.state = 'FAILED';
  session.failedAt = new Date();
  session.error = error?.dashboardError ?? null;
  session.errorReason = error?.reason ?? null;
  session.errorMessage = error?.message ?? 'Portico could not complete the sign-in because of an internal error';
  session.errorDetails = error ? boundErrorDetails({ expected: error.expected ?? null, received: error.received ?? null, ...(error.details ?? {}) }) : null;
  const recorded = await recordFailure(db, session);
  if (recorded === 'already_answered') return ALREADY_ANSWERED;
  const label = error ? DASHBOARD_ERROR_LABELS[error.dashboardError] : 'Server error';
  const where = recorded === 'recorded' ? `Session ${session.id} has the details in the Portico dashboard.` : NOT_RECORDED;
  const description = sentences(`${label}: ${session.errorMessage}`, where);
  if (session.redirectUri) return errorRedirect(session.redirectUri, code ?? (error ? errorCodeFor(error) : 'server_error'), description, session.clientState);
  return {
    kind: 'error_page', status: error ? 403 : 500, title: `Sign-in failed: ${label}`,
    message: error
      ? sentences(error.message, `The organization's IT admin must fix the identity provider's configuration; ${recorded === 'recorded' ? `the application team can see session ${session.id} in the Portico dashboard` : NOT_RECORDED}`)
      : description,
    fixer: error?.dashboardError === 'PROFILE_NOT_ALLOWED_OUTSIDE_ORGANIZATION' ? 'developer' : 'it_admin',
    ...(recorded === 'recorded' ? { sessionId: session.id } : {}),
  };
}

/** AUTHORIZED: issue a one-time code bound to the environment's client ID (and the PKCE challenge, if any). */
async function authorizeSession(db: DataSource, session: SsoSessionEntity, context: AcsContext, profile: ProfileRecord, validated: ValidatedSamlResponse, now: Date, cached: boolean, writes: { slots: number; batch: number }): Promise<FlowOutcome> {
  if (!session.redirectUri) {
    await confirmContext(db, context, cached);
    await fail(db, session, null);
    return {
      kind: 'error_page', status: 400, title: 'No default redirect URI',
      message: 'The identity provider signed you in, but the application has no default redirect URI for sign-ins started from the identity provider. The application team must set one in the Portico dashboard.',
      fixer: 'developer', sessionId: session.id,
    };
  }
  // A test sign-in's code is never shown to anyone: the dashboard's result page, not the app, is where it ends.
  const code = randomBytes(32).toString('base64url');
  session.state = 'AUTHORIZED';
  session.authorizedAt = now;
  session.profile = profile;
  const authorization = {
    assertionId: validated.assertionId, assertionExpiresAt: validated.assertionExpiresAt, codeHash: hashToken(code), codeExpiresAt: new Date(now.getTime() + CODE_TTL_MS), clientId: context.clientId,
  };
  // Alone (no transaction) unless the context says something follows the event; the statement re-checks that.
  const { outcome, activated } = await authorizeWithEventsInSlot(db, writes, session, authorization, context.state !== 'validating' && !context.succeededFollowed, cached ? context.version : null);
  if (outcome === 'stale') throw new StaleContext('The connection changed');
  // This sign-in made the connection active: the cached context (validating) is known to be old.
  if (activated) forgetAcsContext(db, context.id);
  if (outcome === 'replayed') {
    session.state = 'STARTED';
    session.authorizedAt = null;
    session.profile = null;
    return fail(db, session, new SamlError({ reason: 'replayed_assertion', message: 'This assertion was already used to sign in; a response can be used once', received: validated.assertionId }));
  }
  if (outcome === 'consumed') return ALREADY_ANSWERED;
  if (session.testSignIn) {
    await completeTestSignIn(db, session.id, now);
    return { kind: 'redirect', location: session.redirectUri };
  }
  return { kind: 'redirect', location: withParams(session.redirectUri, { code, state: session.clientState }) };
}

export class OAuthError extends Error {
  constructor(readonly error: string, readonly description: string) {
    super(description);
  }
}

export interface TokenParams {
  clientId?: string;
  grantType?: string;
  code?: string;
  codeVerifier?: string;
  clientSecret?: string;
  now?: Date;
}

interface ClaimedCode {
  session_id: string;
  environment_id: string;
  client_id: string;
  code_challenge: string | null;
  expires_at: Date;
}

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

/**
 * `POST /sso/token` (contract §2.2). The code is single-use (even a failed exchange burns it), lives 10 minutes and
 * is bound to the client ID. The client proves itself with an API key of the same environment, or with the PKCE
 * verifier; a code issued with a PKCE challenge always needs the verifier.
 */
export async function exchangeCode(db: DataSource, p: TokenParams, secrets?: SecretBox): Promise<{ accessToken: string; profile: ProfileRecord; oauthTokens?: Record<string, unknown> }> {
  const now = p.now ?? new Date();
  if (p.grantType !== 'authorization_code') throw new OAuthError('unsupported_grant_type', 'grant_type must be authorization_code');
  if (!p.clientId) throw new OAuthError('invalid_client', 'client_id is required');
  if (!p.code) throw new OAuthError('invalid_request', 'code is required');
  const codeHash = hashToken(p.code);
  // Burn the code first, in its own statement: whatever happens next, it can't be used again.
  // TypeORM answers an UPDATE … RETURNING with [rows, affected].
  const [[claimed]] = (await db.query(
    'UPDATE authorization_codes SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL RETURNING session_id, environment_id, client_id, code_challenge, expires_at',
    [codeHash, now],
  )) as [ClaimedCode[], number];
  if (!claimed) {
    const [used] = (await db.query('SELECT session_id FROM authorization_codes WHERE code_hash = $1', [codeHash])) as { session_id: string }[];
    if (!used) throw new OAuthError('invalid_grant', 'The code is not valid');
    // A second use means the code leaked: revoke what the first use issued (RFC 6749 §4.1.2).
    await db.query('DELETE FROM profile_access_tokens WHERE session_id = $1', [used.session_id]);
    throw new OAuthError('invalid_grant', 'The code was already used');
  }
  if (new Date(claimed.expires_at).getTime() <= now.getTime()) throw new OAuthError('invalid_grant', 'The code expired (codes live 10 minutes)');
  if (!safeEqual(claimed.client_id, p.clientId)) throw new OAuthError('invalid_grant', 'The code was issued to another client');
  if (claimed.code_challenge) {
    if (!p.codeVerifier) throw new OAuthError('invalid_grant', 'code_verifier is required: the authorization used PKCE');
    if (!safeEqual(s256(p.codeVerifier), claimed.code_challenge)) throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge');
  } else {
    const key = p.clientSecret ? await authenticateApiKey(db, p.clientSecret, now) : null;
    if (!key || key.environmentId !== claimed.environment_id) throw new OAuthError('invalid_client', 'client_secret must be an API key of the same environment');
  }
  const accessToken = randomBytes(32).toString('base64url');
  return db.transaction(async (manager) => {
    const session = await manager.getRepository(SsoSessionEntity).findOneByOrFail({ id: claimed.session_id });
    session.state = 'SUCCESSFUL';
    session.succeededAt = now;
    // An OAuth sign-in's provider tokens are handed over once, with the profile, then forgotten.
    const oauthTokens = session.oauthTokensSealed && secrets ? (JSON.parse(secrets.open(session.oauthTokensSealed, `oauth_tokens:${session.id}`)) as Record<string, unknown>) : undefined;
    session.oauthTokensSealed = null;
    await manager.getRepository(SsoSessionEntity).save(session);
    await manager.query('INSERT INTO profile_access_tokens (token_hash, session_id, environment_id, expires_at) VALUES ($1, $2, $3, $4)', [
      hashToken(accessToken), session.id, claimed.environment_id, new Date(now.getTime() + ACCESS_TOKEN_TTL_MS),
    ]);
    return { accessToken, profile: session.profile!, ...(oauthTokens ? { oauthTokens } : {}) };
  });
}

/** `GET /sso/profile`: the profile behind an unexpired access token, or null. */
export async function profileForAccessToken(db: DataSource, token: string, now = new Date()): Promise<ProfileRecord | null> {
  const [row] = (await db.query(
    'SELECT s.profile FROM profile_access_tokens t JOIN sso_sessions s ON s.id = t.session_id WHERE t.token_hash = $1 AND t.expires_at > $2',
    [hashToken(token), now],
  )) as { profile: ProfileRecord }[];
  return row?.profile ?? null;
}

/** Housekeeping: expired assertion IDs, OAuth states, codes, access tokens and idempotency keys. */
export async function purgeExpiredSsoRecords(db: DataSource, now = new Date()): Promise<void> {
  await db.query('DELETE FROM saml_assertion_ids WHERE expires_at < $1', [now]);
  await db.query('DELETE FROM oauth_states WHERE expires_at < $1', [now]);
  await db.query('DELETE FROM authorization_codes WHERE expires_at < $1', [new Date(now.getTime() - CODE_TTL_MS)]);
  await db.query('DELETE FROM profile_access_tokens WHERE expires_at < $1', [now]);
  await db.query(`DELETE FROM idempotency_keys WHERE created_at < $1`, [new Date(now.getTime() - 24 * 3600_000)]);
  await purgeUnrecordedAttempts(db, now);
}
