import { randomBytes } from 'node:crypto';
import { normalizeEmail } from '@portico/shared';
import type { DataSource } from 'typeorm';
import { buildProviderAuthorizationUrl, completeProviderSignIn, OidcError, oidcDashboardError, PROVIDERS, type OAuthProviderName, type ProviderCredentials, type ProviderUser } from '../../auth/oidc';
import type { AppDeps } from '../../context';
import { newId } from '../../lib/ids';
import { logger } from '../../lib/logger';
import { sentences } from '../../lib/sentences';
import { hashToken, safeEqual } from '../../lib/tokens';
import { OAUTH_PROVIDERS, oauthCallbackUrl, signInProvider, type SignInProvider } from '../configuration/configuration.service';
import { recordEvents } from '../events/events.service';
import { boundErrorDetails, countUnrecordedAttempt, mayRecordFailedOAuthCallback } from './acs-limits';
import { saveSession } from './acs-store';
import { SsoSessionEntity, type ProfileRecord } from './sso-session.entity';
import { saveFailedSession, ssoEvent, startSessionWithEvent } from './sso-events';
import type { FlowOutcome } from './sso-flow';
import { completeOidcConnectionSignIn } from './oidc-connection-flow';

/**
 * Sign in with Google, Microsoft, GitHub or Apple: the same state machine as SAML (sso-flow.ts), with the provider
 * in the IdP's place.
 *
 *   /sso/authorize?provider=… ─→ STARTED (one-time state bound to this browser, PKCE verifier, nonce) ─→ 302 to the provider
 *   /sso/oauth/callback ─→ claim the state ─→ exchange the code ─→ check the user ─┬→ AUTHORIZED: code for the app
 *                                                                                 └→ FAILED: error + reason, 302 with error=…
 * A callback whose state is unknown, expired or already used answers an error page: nothing ties it to an application.
 */

export const OAUTH_STATE_TTL_MS = 10 * 60_000;
export const OAUTH_BROWSER_COOKIE = 'portico_oauth_browser';
const CODE_TTL_MS = 10 * 60_000;

export interface OAuthStartParams {
  environmentId: string;
  clientId: string;
  provider: string;
  redirectUri: string;
  clientState: string | null;
  codeChallenge: string | null;
  scopes: string[];
  queryParams: Record<string, string>;
  loginHint?: string;
  domainHint?: string;
  /** The browser's binding cookie, when it already has one. */
  browserId: string | null;
  ip: string;
  userAgent: string | null;
}

const withParams = (base: string, params: Record<string, string | null | undefined>) => {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) if (value !== null && value !== undefined) url.searchParams.set(key, value);
  return url.toString();
};

const isProvider = (value: string): value is OAuthProviderName => (OAUTH_PROVIDERS as readonly string[]).includes(value);

/** Why a provider can't be used, in words that say how to turn it on; null when it can. */
function unavailable(provider: OAuthProviderName, settings: SignInProvider | null): string | null {
  const label = PROVIDERS[provider].label;
  const where = `Enable it in the Portico dashboard: Configuration → OAuth providers → ${label}`;
  if (!settings?.enabled) return `Sign in with ${label} (${provider}) is not enabled in this environment. ${where} (client credentials from the ${label} developer console).`;
  const complete = provider === 'AppleOAuth' ? settings.clientId && settings.apple : settings.clientId && settings.clientSecret;
  return complete ? null : `Sign in with ${label} is enabled without complete credentials. ${where}.`;
}

const credentials = (deps: AppDeps, provider: OAuthProviderName, s: SignInProvider): ProviderCredentials => ({
  provider, clientId: s.clientId!, clientSecret: s.clientSecret, apple: s.apple, microsoftTenant: s.microsoftTenant, base: deps.config.oauthProviderUrls[provider],
});

/** `/sso/authorize?provider=…` (contract §2.1): the STARTED session and the redirect to the provider. */
export async function startOAuthSignIn(deps: AppDeps, p: OAuthStartParams): Promise<FlowOutcome> {
  const { db, config, secrets } = deps;
  const fail = (error: string, description: string): FlowOutcome => ({ kind: 'redirect', location: withParams(p.redirectUri, { error, error_description: description, state: p.clientState }) });
  if (!isProvider(p.provider)) return fail('connection_strategy_invalid', `Unknown provider "${p.provider}": use one of ${OAUTH_PROVIDERS.join(', ')}`);
  const settings = await signInProvider(db, secrets, p.environmentId, p.provider);
  const refusal = unavailable(p.provider, settings);
  if (refusal) return fail('connection_strategy_invalid', refusal);

  const state = randomBytes(32).toString('base64url');
  const nonce = randomBytes(32).toString('base64url');
  const codeVerifier = randomBytes(32).toString('base64url');
  const browserId = p.browserId && /^[A-Za-z0-9_-]{43}$/.test(p.browserId) ? p.browserId : randomBytes(32).toString('base64url');
  const session = Object.assign(new SsoSessionEntity(), {
    id: newId('ssoSession'), environmentId: p.environmentId, organizationId: null, connectionId: null, provider: p.provider, origin: 'SP', state: 'STARTED',
    requestId: null, redirectUri: p.redirectUri, clientState: p.clientState, codeChallenge: p.codeChallenge, samlRequest: null, samlResponseTruncated: false,
    ip: p.ip, userAgent: p.userAgent?.slice(0, 512) ?? null, startedAt: new Date(), oauthTokensSealed: null,
  }) as SsoSessionEntity;
  let location: string;
  try {
    location = await buildProviderAuthorizationUrl(credentials(deps, p.provider, settings!), {
      callbackUrl: oauthCallbackUrl(config.publicUrl), state, nonce, codeVerifier, scopes: p.scopes, queryParams: p.queryParams, loginHint: p.loginHint, domainHint: p.domainHint,
    });
  } catch (err) {
    return failSession(db, session, err instanceof OidcError ? err : unexpected(err, session));
  }
  const request = new URL(location);
  session.oauthExchange = { authorization_request: { url: `${request.origin}${request.pathname}`, params: Object.fromEntries([...request.searchParams].map(([k, v]) => [k, k === 'state' || k === 'nonce' ? '[redacted]' : v])) } };
  // The session and its one-time state in one transaction: never a started sign-in that can't be completed.
  await startSessionWithEvent(db, session, (m) => m.query('INSERT INTO oauth_states (state_hash, session_id, browser_hash, code_verifier_sealed, nonce, expires_at) VALUES ($1, $2, $3, $4, $5, $6)', [
    hashToken(state), session.id, hashToken(browserId), secrets.seal(codeVerifier, `oauth_state:${session.id}`), nonce, new Date(Date.now() + OAUTH_STATE_TTL_MS),
  ]));
  return { kind: 'redirect', location, oauthBrowser: browserId };
}

export interface OAuthCallbackParams {
  /** The provider's answer: the callback's query string, or Apple's posted form. */
  params: URLSearchParams;
  browserId: string | null;
  ip: string;
  userAgent: string | null;
  now?: Date;
}

export interface ClaimedState {
  session_id: string;
  browser_hash: string;
  code_verifier_sealed: string;
  nonce: string;
}

export const NO_SIGN_IN: FlowOutcome = {
  kind: 'error_page', status: 400, title: 'This sign-in link is no longer valid',
  message: 'The provider sent you back with a sign-in Portico does not know, one that expired (after 10 minutes) or one that was already completed. Go back to the application and sign in again.',
  fixer: 'developer',
};

/** `/sso/oauth/callback`: the provider sends the browser back here (GET, or POST for Apple's form_post). */
export async function completeOAuthSignIn(deps: AppDeps, p: OAuthCallbackParams): Promise<FlowOutcome> {
  const { db, secrets, config } = deps;
  const now = p.now ?? new Date();
  const state = p.params.get('state');
  if (!state || state.length > 512) return NO_SIGN_IN;
  // One-time: claiming the state burns it, so a replayed callback (same state, same code) finds nothing.
  const [[claimed]] = (await db.query(
    'UPDATE oauth_states SET used_at = $2 WHERE state_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING session_id, browser_hash, code_verifier_sealed, nonce',
    [hashToken(state), now],
  )) as [ClaimedState[], number];
  if (!claimed) return NO_SIGN_IN;
  const session = await db.getRepository(SsoSessionEntity).findOneBy({ id: claimed.session_id, state: 'STARTED' });
  // A sign-in through an organization's OpenID Connect connection: same state and callback, its own flow.
  if (session && !session.provider && session.connectionId) {
    Object.assign(session, { ip: p.ip, userAgent: p.userAgent?.slice(0, 512) ?? null });
    return completeOidcConnectionSignIn(deps, session, claimed, { params: p.params, state, browserId: p.browserId, now });
  }
  if (!session?.provider || !isProvider(session.provider)) return NO_SIGN_IN;
  session.ip = p.ip;
  session.userAgent = p.userAgent?.slice(0, 512) ?? null;
  try {
    if (!p.browserId || !safeEqual(hashToken(p.browserId), claimed.browser_hash)) {
      throw new OidcError({ reason: 'state_not_bound_to_browser', message: 'The sign-in came back to a different browser than the one that started it (its binding cookie is missing or different)', expected: 'the browser that started the sign-in', received: p.browserId ? 'another browser' : 'no binding cookie' });
    }
    const settings = await signInProvider(db, secrets, session.environmentId, session.provider);
    const refusal = unavailable(session.provider, settings);
    if (refusal) return await failSession(db, session, new OidcError({ reason: 'provider_error', message: refusal }), 'connection_strategy_invalid');
    const signIn = await completeProviderSignIn(credentials(deps, session.provider, settings!), {
      callbackUrl: oauthCallbackUrl(config.publicUrl), params: p.params, state, nonce: claimed.nonce,
      codeVerifier: secrets.open(claimed.code_verifier_sealed, `oauth_state:${session.id}`), now, clockSkewSeconds: config.samlClockSkewSeconds,
    });
    session.oauthExchange = { ...(session.oauthExchange ?? {}), ...signIn.exchange };
    const profile = checkUser(session, settings!, signIn.user);
    session.oauthTokensSealed = secrets.seal(JSON.stringify(signIn.tokens), `oauth_tokens:${session.id}`);
    return await authorizeOAuthSession(db, session, profile, now);
  } catch (err) {
    return failSession(db, session, err instanceof OidcError ? err : unexpected(err, session));
  }
}

function unexpected(err: unknown, session: SsoSessionEntity): OidcError {
  logger.error('OAuth sign-in failed unexpectedly', { sessionId: session.id, provider: session.provider, error: err instanceof Error ? err.stack : String(err) });
  return new OidcError({ reason: 'provider_unreachable', message: 'Portico could not complete the sign-in with the provider because of an internal error' });
}

/** The user must have an email the provider vouches for; the profile is WorkOS's (contract §2.4), with no organization. */
function checkUser(session: SsoSessionEntity, settings: SignInProvider, user: ProviderUser): ProfileRecord {
  session.idpId = user.idpId;
  session.firstName = user.firstName;
  session.lastName = user.lastName;
  if (!user.email) throw new OidcError({ reason: 'missing_claims', message: `${PROVIDERS[session.provider as OAuthProviderName].label} sent no email address for this user`, expected: ['email'], received: Object.keys((session.oauthExchange?.id_token_claims as object) ?? {}) });
  session.email = normalizeEmail(user.email);
  if (!user.emailVerified) throw new OidcError({ reason: 'email_not_verified', message: `The provider has not verified ${session.email}; Portico signs in only with verified addresses`, expected: 'a verified email address', received: session.email });
  return {
    object: 'profile', id: newId('profile'), idp_id: user.idpId, organization_id: null as unknown as string, connection_id: settings.connectionId, connection_type: session.provider!,
    email: session.email, first_name: user.firstName ?? '', last_name: user.lastName ?? '', name: user.name ?? '', groups: [], custom_attributes: {},
    raw_attributes: (session.oauthExchange?.id_token_claims as Record<string, unknown>) ?? ((session.oauthExchange?.user_info as { user?: Record<string, unknown> })?.user ?? {}),
  };
}

/** AUTHORIZED: the session, its one-time code and `authentication.sso_succeeded`, in one transaction. */
async function authorizeOAuthSession(db: DataSource, session: SsoSessionEntity, profile: ProfileRecord, now: Date): Promise<FlowOutcome> {
  const code = randomBytes(32).toString('base64url');
  session.state = 'AUTHORIZED';
  session.authorizedAt = now;
  session.profile = profile;
  const [{ client_id: clientId }] = (await db.query('SELECT client_id FROM environments WHERE id = $1', [session.environmentId])) as { client_id: string }[];
  const saved = await db.transaction(async (m) => {
    if (!(await saveSession(m, session))) return false;
    await m.query('INSERT INTO authorization_codes (code_hash, session_id, environment_id, client_id, code_challenge, expires_at) VALUES ($1, $2, $3, $4, $5, $6)', [
      hashToken(code), session.id, session.environmentId, clientId, session.codeChallenge, new Date(now.getTime() + CODE_TTL_MS),
    ]);
    await recordEvents(m, [ssoEvent('authentication.sso_succeeded', session)]);
    return true;
  });
  if (!saved) return NO_SIGN_IN;
  return { kind: 'redirect', location: withParams(session.redirectUri!, { code, state: session.clientState }) };
}

/**
 * FAILED, with the dashboard kind, the reason and what was expected and received; the app gets the contract's error
 * code (`code` overrides it, e.g. connection_strategy_invalid). Past the limits on failed callbacks the attempt is
 * refused the same, but its row is deleted instead of recorded (an OIDC connection counts it as unrecorded).
 * Exported for OIDC connections (oidc-connection-flow.ts): their sessions carry a connection and organization.
 */
export async function failSession(db: DataSource, session: SsoSessionEntity, error: OidcError, code?: string): Promise<FlowOutcome> {
  session.state = 'FAILED';
  session.failedAt = new Date();
  session.error = oidcDashboardError(error.reason);
  session.errorReason = error.reason;
  session.errorMessage = error.message;
  session.errorDetails = boundErrorDetails({ expected: error.expected ?? null, received: error.received ?? null, ...(error.details ?? {}) });
  session.profile = null;
  session.oauthTokensSealed = null;
  const redirect = (where: string) => ({ kind: 'redirect' as const, location: withParams(session.redirectUri!, { error: code ?? error.code, error_description: sentences(error.message, where), state: session.clientState }) });
  if (!(await mayRecordFailedOAuthCallback(db, session.ip ?? 'unknown', session.connectionId ?? null))) {
    // The started row goes (its one-time state with it); a refusal at /sso/authorize has no row yet. No other
    // callback can be answering this session: claiming the state was one-time.
    await db.query(`DELETE FROM sso_sessions WHERE id = $1 AND state = 'STARTED'`, [session.id]);
    if (session.connectionId) await countUnrecordedAttempt(db, session.connectionId);
    return redirect(OAUTH_NOT_RECORDED);
  }
  if (!(await saveFailedSession(db, session))) return NO_SIGN_IN;
  return redirect(`Session ${session.id} has the details in the Portico dashboard.`);
}

const OAUTH_NOT_RECORDED = 'This attempt was not recorded: too many failed sign-ins came from this network.';
