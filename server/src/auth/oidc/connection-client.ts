import type { Configuration, ServerMetadata } from 'openid-client' with { 'resolution-mode': 'import' };
import { loadJose, loadOpenidClient } from './esm';
import { OidcError } from './oidc-error';
import { redeemCode, type CodeCallback } from './code-exchange';
import { ALLOWED_ID_TOKEN_ALGS, validateIdToken, type ValidatedIdToken } from './validate-id-token';

/**
 * Portico as the relying party of an organization's own OpenID Connect IdP (an OIDC connection: GenericOIDC,
 * OktaOIDC, EntraIdOIDC), through openid-client (authorization URL, PKCE S256, the code exchange with the client
 * secret by HTTP Basic, the RFC 6749 default) and jose (the JWKS). The ID token is then checked by
 * validate-id-token.ts: signature by a key of the IdP's JWKS (an unknown `kid` re-fetches it: key rotation), `alg`
 * from the allowlist, issuer, audience, azp, nonce, exp/iat within the skew. Every request to the IdP goes through
 * the caller's `fetch` (Portico passes its SSRF guard).
 */

export type FetchLike = (url: string, init?: { method?: string; headers?: Record<string, string> | Headers; body?: unknown; signal?: AbortSignal | null }) => Promise<Response>;

export interface OidcConnectionCredentials {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  fetch: FetchLike;
  /** How long after a JWKS fetch an unknown kid may not re-fetch it (so forged kids can't hammer the IdP). */
  jwksCooldownSeconds: number;
}

const jwksSets = new Map<string, Awaited<ReturnType<typeof remoteJwks>>>();

async function remoteJwks(uri: string, fetch: FetchLike, cooldownSeconds: number) {
  const jose = await loadJose();
  return jose.createRemoteJWKSet(new URL(uri), {
    cooldownDuration: cooldownSeconds * 1000, cacheMaxAge: 10 * 60_000, timeoutDuration: 10_000,
    [jose.customFetch]: (url: string, init: { headers: Headers; method: string; signal: AbortSignal }) => fetch(url, init),
  });
}

/** The JWKS of one IdP, shared by its sign-ins (jose caches it and re-fetches on an unknown kid). */
async function connectionJwks(c: OidcConnectionCredentials) {
  const key = `${c.jwksUri} ${c.jwksCooldownSeconds}`;
  let keys = jwksSets.get(key);
  if (!keys) jwksSets.set(key, (keys = await remoteJwks(c.jwksUri, c.fetch, c.jwksCooldownSeconds)));
  return keys;
}

async function configuration(c: OidcConnectionCredentials, clockSkewSeconds = 60): Promise<Configuration> {
  const oc = await loadOpenidClient();
  const metadata: ServerMetadata = {
    issuer: c.issuer, authorization_endpoint: c.authorizationEndpoint, token_endpoint: c.tokenEndpoint, jwks_uri: c.jwksUri,
    // The allowlist, never `none`: openid-client refuses any other alg before validate-id-token.ts checks the signature.
    id_token_signing_alg_values_supported: [...ALLOWED_ID_TOKEN_ALGS],
  };
  const config = new oc.Configuration(metadata, c.clientId, { [oc.clockTolerance]: clockSkewSeconds }, oc.ClientSecretBasic(c.clientSecret));
  config.timeout = 10;
  config[oc.customFetch] = c.fetch as never;
  // http endpoints are accepted only where the guard allows private addresses (tests, a lab); see the service's checks.
  if ([c.tokenEndpoint, c.jwksUri, c.authorizationEndpoint].some((u) => u.startsWith('http:'))) oc.allowInsecureRequests(config);
  return config;
}

export interface ConnectionAuthorization {
  callbackUrl: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  loginHint?: string;
}

/** The URL that sends the browser to the organization's IdP: code flow, PKCE S256, state and nonce. */
export async function buildConnectionAuthorizationUrl(c: OidcConnectionCredentials, a: ConnectionAuthorization): Promise<string> {
  const oc = await loadOpenidClient();
  const config = await configuration(c);
  return oc.buildAuthorizationUrl(config, {
    redirect_uri: a.callbackUrl, scope: [...new Set(['openid', ...c.scopes])].join(' '), state: a.state, nonce: a.nonce,
    code_challenge: await oc.calculatePKCECodeChallenge(a.codeVerifier), code_challenge_method: 'S256',
    ...(a.loginHint ? { login_hint: a.loginHint } : {}),
  }).href;
}

export type ConnectionCallback = CodeCallback;

export interface ConnectionSignIn {
  idToken: ValidatedIdToken;
  /** For Session Details: the token response with its tokens redacted, the ID token's header and claims. */
  exchange: Record<string, unknown>;
}

/** Exchanges the IdP's code (PKCE, state, nonce checked) and validates the ID token strictly. */
export async function completeConnectionSignIn(c: OidcConnectionCredentials, cb: ConnectionCallback): Promise<ConnectionSignIn> {
  const { response, exchange } = await redeemCode(() => configuration(c, cb.clockSkewSeconds), cb, { idp: 'The identity provider', openid: true });
  if (!response.id_token) throw new OidcError({ reason: 'invalid_id_token', message: 'The identity provider answered without an ID token' });
  const idToken = await validateIdToken(response.id_token, {
    issuer: c.issuer, clientId: c.clientId, nonce: cb.nonce, now: cb.now, clockSkewSeconds: cb.clockSkewSeconds, keys: await connectionJwks(c),
  });
  exchange.id_token_header = idToken.header;
  exchange.id_token_claims = idToken.claims;
  return { idToken, exchange };
}

export interface DiscoveredConfiguration {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
}

/**
 * Reads an OpenID Provider's discovery document (OpenID Connect Discovery §4): the issuer it states must be the
 * one the document was fetched for (§4.3), and it must name the three endpoints Portico uses. Throws a message
 * naming what is wrong.
 */
export function readDiscoveryDocument(document: unknown, expectedIssuer: string): DiscoveredConfiguration {
  const d = (document ?? {}) as Record<string, unknown>;
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw new Error('The discovery URL did not answer with a JSON object');
  const issuer = d.issuer;
  if (typeof issuer !== 'string') throw new Error('The discovery document has no issuer');
  if (issuer !== expectedIssuer) throw new Error(`The discovery document’s issuer is ${JSON.stringify(issuer.slice(0, 200))}, not ${JSON.stringify(expectedIssuer)} as its URL says (OpenID Connect Discovery §4.3)`);
  const missing = ['authorization_endpoint', 'token_endpoint', 'jwks_uri'].filter((k) => typeof d[k] !== 'string' || !d[k]);
  if (missing.length) throw new Error(`The discovery document lacks ${missing.join(', ')}`);
  return { issuer, authorizationEndpoint: d.authorization_endpoint as string, tokenEndpoint: d.token_endpoint as string, jwksUri: d.jwks_uri as string };
}

/** The discovery URL for an issuer or a discovery URL typed by hand, and the issuer it must state. */
export function discoveryLocation(input: string): { url: string; issuer: string } {
  const trimmed = input.trim().replace(/\/+$/, '');
  const suffix = '/.well-known/openid-configuration';
  return trimmed.endsWith(suffix) ? { url: trimmed, issuer: trimmed.slice(0, -suffix.length) } : { url: `${trimmed}${suffix}`, issuer: trimmed };
}
