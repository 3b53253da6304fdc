import type { Configuration } from 'openid-client' with { 'resolution-mode': 'import' };
import { loadJose, loadOpenidClient } from './esm';
import { OidcError } from './oidc-error';
import { githubEndpoints, providerIssuer, PROVIDERS, userFromClaims, userFromGitHub, type OAuthProviderName, type ProviderUser } from './providers';
import { validateIdToken } from './validate-id-token';
import { redeemCode, type CodeCallback } from './code-exchange';

/**
 * Portico as an OAuth 2.0 / OpenID Connect client of Google, Microsoft, GitHub and Apple, through openid-client
 * (authorization URL, PKCE, the code exchange) and jose (ID-token signature, Apple's client secret). Every attempt
 * uses PKCE (S256) and a one-time state; OIDC providers also get a one-time nonce. Provider failures come back as
 * OidcError with a named reason.
 */

export interface ProviderCredentials {
  provider: OAuthProviderName;
  clientId: string;
  clientSecret: string | null;
  apple: { teamId: string; keyId: string; privateKey: string } | null;
  microsoftTenant: string;
  /** Tests only (PORTICO_TEST_OAUTH_PROVIDER_URLS): the local server playing this provider. */
  base?: string;
}

const DISCOVERY_TTL_MS = 60 * 60_000;
const discovered = new Map<string, { at: number; metadata: ReturnType<Configuration['serverMetadata']> }>();
const jwksSets = new Map<string, Awaited<ReturnType<typeof remoteJwks>>>();

async function remoteJwks(uri: string) {
  const jose = await loadJose();
  // An unknown kid re-fetches the JWKS (key rotation), at most once per 30 s so forged kids can't hammer the IdP.
  return jose.createRemoteJWKSet(new URL(uri), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000, timeoutDuration: 10_000 });
}

async function serverMetadata(c: ProviderCredentials) {
  const oc = await loadOpenidClient();
  if (PROVIDERS[c.provider].protocol === 'github') {
    const gh = githubEndpoints(c.base);
    return { issuer: gh.issuer, authorization_endpoint: gh.authorizationEndpoint, token_endpoint: gh.tokenEndpoint };
  }
  const issuer = providerIssuer(c.provider as Exclude<OAuthProviderName, 'GitHubOAuth'>, { base: c.base, microsoftTenant: c.microsoftTenant });
  const cached = discovered.get(issuer);
  if (cached && Date.now() - cached.at < DISCOVERY_TTL_MS) return cached.metadata;
  try {
    const config = await oc.discovery(new URL(issuer), c.clientId, undefined, undefined, { execute: c.base?.startsWith('http:') ? [oc.allowInsecureRequests] : [], timeout: 10 });
    const metadata = config.serverMetadata();
    discovered.set(issuer, { at: Date.now(), metadata });
    return metadata;
  } catch (err) {
    throw new OidcError({ reason: 'provider_unreachable', message: `Portico could not read ${PROVIDERS[c.provider].label}’s discovery document at ${issuer}: ${(err as Error).message}` });
  }
}

/** Apple's client secret: a short-lived ES256 JWT signed with the .p8 key (Apple's "Creating a client secret"). */
async function appleClientSecret(c: ProviderCredentials, audience: string): Promise<string> {
  const jose = await loadJose();
  const key = await jose.importPKCS8(c.apple!.privateKey, 'ES256');
  return new jose.SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: c.apple!.keyId }).setIssuer(c.apple!.teamId).setSubject(c.clientId)
    .setAudience(audience).setIssuedAt().setExpirationTime('5m').sign(key);
}

async function configuration(c: ProviderCredentials, clockSkewSeconds = 60): Promise<Configuration> {
  const oc = await loadOpenidClient();
  const metadata = await serverMetadata(c);
  const secret = c.provider === 'AppleOAuth' ? await appleClientSecret(c, c.base ?? 'https://appleid.apple.com') : c.clientSecret ?? undefined;
  const config = new oc.Configuration(metadata, c.clientId, { [oc.clockTolerance]: clockSkewSeconds }, oc.ClientSecretPost(secret));
  config.timeout = 10;
  if (c.base?.startsWith('http:')) oc.allowInsecureRequests(config);
  return config;
}

/** Query keys the application may not set through provider_query_params: Portico's own protocol parameters. */
const RESERVED = new Set(['client_id', 'redirect_uri', 'response_type', 'response_mode', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method']);

export interface ProviderAuthorization {
  callbackUrl: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  scopes?: string[];
  queryParams?: Record<string, string>;
  loginHint?: string;
  domainHint?: string;
}

/** The URL that sends the browser to the provider. */
export async function buildProviderAuthorizationUrl(c: ProviderCredentials, a: ProviderAuthorization): Promise<string> {
  const oc = await loadOpenidClient();
  const description = PROVIDERS[c.provider];
  const config = await configuration(c);
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(a.queryParams ?? {})) if (!RESERVED.has(key)) params[key] = value;
  if (a.loginHint) params.login_hint = a.loginHint;
  if (a.domainHint && description.domainHintParam) params[description.domainHintParam] = a.domainHint;
  Object.assign(params, {
    redirect_uri: a.callbackUrl, scope: [...new Set([...description.scopes, ...(a.scopes ?? [])])].join(' '), state: a.state,
    code_challenge: await oc.calculatePKCECodeChallenge(a.codeVerifier), code_challenge_method: 'S256',
    ...(description.protocol === 'oidc' ? { nonce: a.nonce } : {}), ...(description.responseMode ? { response_mode: description.responseMode } : {}),
  });
  return oc.buildAuthorizationUrl(config, params).href;
}

export type ProviderCallback = CodeCallback;

export interface ProviderSignIn {
  user: ProviderUser;
  tokens: { access_token: string; refresh_token?: string; expires_at?: number; scopes: string[] };
  /** For Session Details: the token response with its tokens redacted, the ID token's header and claims. */
  exchange: Record<string, unknown>;
}

/** Exchanges the provider's code (PKCE, state, nonce checked) and reads the user: ID token (OIDC) or REST API (GitHub). */
export async function completeProviderSignIn(c: ProviderCredentials, cb: ProviderCallback): Promise<ProviderSignIn> {
  const description = PROVIDERS[c.provider];
  // Apple's form carries the user's name beside the code (`user`): not part of the authorization response.
  const { response, exchange, config } = await redeemCode(() => configuration(c, cb.clockSkewSeconds), cb, { idp: 'The provider', openid: description.protocol === 'oidc', ignoreParams: ['user'] });
  const tokens = {
    access_token: response.access_token, ...(response.refresh_token ? { refresh_token: response.refresh_token } : {}),
    ...(typeof response.expires_in === 'number' ? { expires_at: Math.floor(cb.now.getTime() / 1000) + response.expires_in } : {}),
    scopes: (response.scope ?? '').split(/[\s,]+/).filter(Boolean),
  };
  if (description.protocol === 'github') {
    const user = await githubUser(c, response.access_token);
    exchange.user_info = user.raw;
    return { user: user.user, tokens, exchange };
  }
  const metadata = config.serverMetadata();
  const jwksUri = metadata.jwks_uri;
  if (!response.id_token || !jwksUri) throw new OidcError({ reason: 'invalid_id_token', message: 'The provider answered without an ID token, or publishes no JWKS' });
  let keys = jwksSets.get(jwksUri);
  if (!keys) jwksSets.set(jwksUri, (keys = await remoteJwks(jwksUri)));
  const issuer = metadata.issuer.includes('{tenantid}') ? (claims: Record<string, unknown>) => metadata.issuer.replace('{tenantid}', String(claims.tid)) : metadata.issuer;
  const validated = await validateIdToken(response.id_token, { issuer, clientId: c.clientId, nonce: cb.nonce, now: cb.now, clockSkewSeconds: cb.clockSkewSeconds, keys });
  exchange.id_token_header = validated.header;
  exchange.id_token_claims = validated.claims;
  let appleUser: { name?: { firstName?: string; lastName?: string } } | undefined;
  if (c.provider === 'AppleOAuth' && cb.params.get('user')) {
    try {
      appleUser = JSON.parse(cb.params.get('user')!) as typeof appleUser;
      exchange.apple_user = appleUser;
    } catch {
      appleUser = undefined;
    }
  }
  return { user: userFromClaims(c.provider, validated.claims, appleUser), tokens, exchange };
}

async function githubUser(c: ProviderCredentials, accessToken: string) {
  const api = githubEndpoints(c.base).api;
  const get = async (path: string) => {
    const res = await fetch(`${api}${path}`, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/vnd.github+json', 'user-agent': 'Portico' }, signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new OidcError({ reason: 'provider_error', message: `GitHub answered ${res.status} to GET ${path}`, details: { status: res.status } });
    return res.json() as Promise<unknown>;
  };
  try {
    const [user, emails] = await Promise.all([get('/user'), get('/user/emails')]);
    return { user: userFromGitHub(user as Record<string, unknown>, emails), raw: { user, emails } };
  } catch (err) {
    if (err instanceof OidcError) throw err;
    throw new OidcError({ reason: 'provider_unreachable', message: `GitHub’s API could not be reached: ${(err as Error).message}` });
  }
}
