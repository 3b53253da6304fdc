import { createHash, randomBytes } from 'node:crypto';
import { normalizeDomain } from '@portico/shared';
import type { DataSource } from 'typeorm';
import { buildConnectionAuthorizationUrl, completeConnectionSignIn, mapOidcProfile, OidcError, type OidcConnectionCredentials } from '../../auth/oidc';
import type { AppDeps } from '../../context';
import { guardedFetch } from '../../lib/guarded-fetch';
import { newId } from '../../lib/ids';
import { logger } from '../../lib/logger';
import { hashToken, safeEqual } from '../../lib/tokens';
import { oauthCallbackUrl } from '../configuration/configuration.service';
import { SsoConnectionEntity } from '../connections/connection.entity';
import { isConfigured } from '../connections/connections.service';
import { oidcSecretContext } from '../connections/oidc-connections.service';
import { completeTestSignIn, loadAcsContext, type AcsContext } from './acs-store';
import { failSession, NO_SIGN_IN, OAUTH_STATE_TTL_MS, type ClaimedState } from './oauth-flow';
import { SsoSessionEntity, type ProfileRecord } from './sso-session.entity';
import { authorizeWithEvents, startSessionWithEvent } from './sso-events';
import type { FlowOutcome } from './sso-flow';

const CODE_TTL_MS = 10 * 60_000;

/**
 * Sign-in through an organization's OpenID Connect connection: the SAML state machine (sso-flow.ts) with the OIDC
 * code flow in the IdP's place, and the OAuth providers' one-time state and callback (oauth-flow.ts).
 *
 *   /sso/authorize?connection|organization ─→ STARTED (connection + organization set; one-time state bound to this
 *     browser, PKCE verifier, nonce) ─→ 302 to the IdP's authorization endpoint
 *   /sso/oauth/callback ─→ claim the state (oauth-flow.ts) ─→ exchange the code ─→ validate the ID token ─→ map the
 *     claims ─→ domain policy ─┬→ AUTHORIZED: code for the app (a validating connection becomes active)
 *                              └→ FAILED: error + reason (failSession), 302 with error=…
 */

export interface OidcConnectionStart {
  /** Where the session ends: the app's redirect URI, or Portico's result page for a test sign-in. */
  redirectUri: string | ((sessionId: string) => string);
  clientState: string | null;
  codeChallenge: string | null;
  ip: string;
  userAgent: string | null;
  testSignIn: boolean;
  /** The browser's binding cookie, when it already has one. */
  browserId: string | null;
}

/** The connection's IdP and Portico's registration there, with the client secret opened and the SSRF-guarded fetch. */
function credentials(deps: AppDeps, c: SsoConnectionEntity): OidcConnectionCredentials {
  return {
    issuer: c.oidcIssuer!, authorizationEndpoint: c.oidcAuthorizationEndpoint!, tokenEndpoint: c.oidcTokenEndpoint!, jwksUri: c.oidcJwksUri!,
    clientId: c.oidcClientId!, clientSecret: deps.secrets.open(c.oidcClientSecretSealed!, oidcSecretContext(c.id)), scopes: c.oidcScopes ?? [],
    fetch: guardedFetch(deps.config.allowPrivateUrls), jwksCooldownSeconds: deps.config.oidcJwksCooldownSeconds,
  };
}

/** STARTED: the session and its one-time state in one transaction; the browser goes to the IdP. */
export async function startOidcConnectionSignIn(deps: AppDeps, connection: SsoConnectionEntity, p: OidcConnectionStart): Promise<{ sessionId: string; location: string; oauthBrowser: string }> {
  const state = randomBytes(32).toString('base64url');
  const nonce = randomBytes(32).toString('base64url');
  const codeVerifier = randomBytes(32).toString('base64url');
  const browserId = p.browserId && /^[A-Za-z0-9_-]{43}$/.test(p.browserId) ? p.browserId : randomBytes(32).toString('base64url');
  const sessionId = newId('ssoSession');
  const location = await buildConnectionAuthorizationUrl(credentials(deps, connection), { callbackUrl: oauthCallbackUrl(deps.config.publicUrl), state, nonce, codeVerifier });
  const request = new URL(location);
  const session = Object.assign(new SsoSessionEntity(), {
    id: sessionId, environmentId: connection.environmentId, organizationId: connection.organizationId, connectionId: connection.id, provider: null, origin: 'SP', state: 'STARTED',
    requestId: null, redirectUri: typeof p.redirectUri === 'function' ? p.redirectUri(sessionId) : p.redirectUri, clientState: p.clientState, codeChallenge: p.codeChallenge,
    samlRequest: null, samlResponseTruncated: false, testSignIn: p.testSignIn, ip: p.ip, userAgent: p.userAgent?.slice(0, 512) ?? null, startedAt: new Date(), oauthTokensSealed: null,
    oauthExchange: { authorization_request: { url: `${request.origin}${request.pathname}`, params: Object.fromEntries([...request.searchParams].map(([k, v]) => [k, k === 'state' || k === 'nonce' ? '[redacted]' : v])) } },
  }) as SsoSessionEntity;
  await startSessionWithEvent(deps.db, session, (m) => m.query('INSERT INTO oauth_states (state_hash, session_id, browser_hash, code_verifier_sealed, nonce, expires_at) VALUES ($1, $2, $3, $4, $5, $6)', [
    hashToken(state), session.id, hashToken(browserId), deps.secrets.seal(codeVerifier, `oauth_state:${session.id}`), nonce, new Date(Date.now() + OAUTH_STATE_TTL_MS),
  ]));
  return { sessionId, location, oauthBrowser: browserId };
}

export interface OidcConnectionCallback {
  params: URLSearchParams;
  state: string;
  browserId: string | null;
  now: Date;
}

/** The callback of a connection's sign-in, once oauth-flow.ts has claimed its one-time state. */
export async function completeOidcConnectionSignIn(deps: AppDeps, session: SsoSessionEntity, claimed: ClaimedState, cb: OidcConnectionCallback): Promise<FlowOutcome> {
  const { db, config } = deps;
  try {
    if (!cb.browserId || !safeEqual(hashToken(cb.browserId), claimed.browser_hash)) {
      throw new OidcError({ reason: 'state_not_bound_to_browser', message: 'The sign-in came back to a different browser than the one that started it (its binding cookie is missing or different)', expected: 'the browser that started the sign-in', received: cb.browserId ? 'another browser' : 'no binding cookie' });
    }
    const connection = await db.getRepository(SsoConnectionEntity).findOneBy({ id: session.connectionId! });
    const context = connection ? await loadAcsContext(db, connection.id) : null;
    if (!connection || !context || connection.state === 'inactive' || connection.state === 'draft' || !isConfigured(connection)) {
      return await failSession(db, session, new OidcError({ reason: 'connection_inactive', message: `The connection ${session.connectionId} is ${connection?.state ?? 'deleted'}: it no longer signs users in`, expected: 'an active or validating connection', received: connection?.state ?? null }), 'connection_invalid');
    }
    const signIn = await completeConnectionSignIn(credentials(deps, connection), {
      callbackUrl: oauthCallbackUrl(config.publicUrl), params: cb.params, state: cb.state, nonce: claimed.nonce,
      codeVerifier: deps.secrets.open(claimed.code_verifier_sealed, `oauth_state:${session.id}`), now: cb.now, clockSkewSeconds: config.samlClockSkewSeconds,
    });
    session.oauthExchange = { ...(session.oauthExchange ?? {}), ...signIn.exchange };
    const claims = signIn.idToken.claims;
    const user = mapOidcProfile(claims, connection.attributeMapping);
    Object.assign(session, { idpId: user.idpId, email: user.email, firstName: user.firstName, lastName: user.lastName });
    checkDomainPolicy(context, user.email);
    const profile: ProfileRecord = {
      object: 'profile', id: newId('profile'), idp_id: user.idpId, organization_id: connection.organizationId, connection_id: connection.id, connection_type: connection.connectionType,
      email: user.email, first_name: user.firstName, last_name: user.lastName, name: `${user.firstName} ${user.lastName}`.trim(), groups: user.groups, custom_attributes: {}, raw_attributes: claims,
    };
    return await authorize(db, session, context, profile, claims, cb.now, config.samlClockSkewSeconds);
  } catch (err) {
    if (err instanceof OidcError) return failSession(db, session, err);
    logger.error('OIDC connection sign-in failed unexpectedly', { sessionId: session.id, connectionId: session.connectionId, error: err instanceof Error ? err.stack : String(err) });
    return failSession(db, session, new OidcError({ reason: 'provider_unreachable', message: 'Portico could not complete the sign-in with the identity provider because of an internal error' }));
  }
}

/** As for SAML (sso-flow.ts): the email's domain must be one of the organization's, unless outside profiles are allowed. */
function checkDomainPolicy(context: AcsContext, email: string): void {
  if (context.allowProfilesOutsideOrganization) return;
  const domain = normalizeDomain(email.split('@')[1] ?? '');
  if (!context.domains.includes(domain)) {
    throw new OidcError({
      reason: 'domain_not_allowed', message: `${email} is outside the organization: its domain ${domain} is not one of the organization's domains, and profiles outside the organization are not allowed`,
      expected: context.domains, received: domain, details: { domain, allowlist: context.domains, email },
    });
  }
}

/**
 * AUTHORIZED through the same statement as a SAML sign-in (acs-store.ts): the session, its one-time code, the event,
 * and a validating connection made active. The ID token's identity (issuer, subject, nonce, iat, jti) takes the
 * assertion ID's place in the replay cache until it expires: one ID token signs in once.
 */
async function authorize(db: DataSource, session: SsoSessionEntity, context: AcsContext, profile: ProfileRecord, claims: Record<string, unknown>, now: Date, skewSeconds: number): Promise<FlowOutcome> {
  const code = randomBytes(32).toString('base64url');
  session.state = 'AUTHORIZED';
  session.authorizedAt = now;
  session.profile = profile;
  const tokenId = createHash('sha256').update(JSON.stringify([claims.iss, claims.sub, claims.aud, claims.nonce, claims.iat, claims.jti ?? null])).digest('base64url');
  const { outcome } = await authorizeWithEvents(db, session, {
    assertionId: `oidc:${tokenId}`, assertionExpiresAt: new Date(((claims.exp as number) + skewSeconds) * 1000), codeHash: hashToken(code),
    codeExpiresAt: new Date(now.getTime() + CODE_TTL_MS), clientId: context.clientId,
  }, context.state !== 'validating' && !context.succeededFollowed);
  if (outcome === 'replayed') {
    Object.assign(session, { state: 'STARTED', authorizedAt: null, profile: null });
    return failSession(db, session, new OidcError({ reason: 'replayed_id_token', message: 'This ID token was already used to sign in; an ID token can be used once', received: `oidc:${tokenId}` }));
  }
  if (outcome === 'consumed') return NO_SIGN_IN;
  if (session.testSignIn) {
    await completeTestSignIn(db, session.id, now);
    return { kind: 'redirect', location: session.redirectUri! };
  }
  const location = new URL(session.redirectUri!);
  location.searchParams.set('code', code);
  if (session.clientState !== null) location.searchParams.set('state', session.clientState);
  return { kind: 'redirect', location: location.toString() };
}
