import type { CompactVerifyGetKey, JWTPayload } from 'jose' with { 'resolution-mode': 'import' };
import { loadJose } from './esm';
import { OidcError } from './oidc-error';

/**
 * The ID-token profile Portico accepts (OpenID Connect Core §3.1.3.7), checked in this order, each refusal a named
 * reason with what was expected and what was received:
 *   1. a compact JWS whose `alg` is on the allowlist: asymmetric algorithms only, never `none` or HMAC (a client
 *      secret is not a signing key Portico lets an IdP use);
 *   2. the signature verifies with a key of the IdP's JWKS; an unknown `kid` re-fetches the JWKS once (key rotation);
 *   3. `iss` equals the issuer exactly; `aud` contains the client ID; with several audiences `azp` must be the client ID;
 *   4. `nonce` equals the one Portico sent with this sign-in (one-time, so a token can't be replayed into another);
 *   5. `exp` in the future and `iat` not in the future, both within the configured clock skew.
 * Pure apart from the key lookup the caller passes: `now` is injected.
 */

export const ALLOWED_ID_TOKEN_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

export interface IdTokenExpectations {
  /** The exact issuer, or a function of the claims (Microsoft's multi-tenant `https://login.microsoftonline.com/{tid}/v2.0`). */
  issuer: string | ((claims: JWTPayload) => string);
  clientId: string;
  nonce: string;
  now: Date;
  clockSkewSeconds: number;
  keys: CompactVerifyGetKey;
  algorithms?: readonly string[];
}

export interface ValidatedIdToken {
  header: { alg: string; kid?: string };
  claims: JWTPayload & Record<string, unknown>;
}

/** Validates an ID token; throws an OidcError naming the first check that failed. */
export async function validateIdToken(idToken: string, x: IdTokenExpectations): Promise<ValidatedIdToken> {
  const jose = await loadJose();
  let header: { alg?: string; kid?: string };
  try {
    header = jose.decodeProtectedHeader(idToken) as typeof header;
    jose.decodeJwt(idToken);
  } catch {
    throw new OidcError({ reason: 'invalid_id_token', message: 'The ID token is not a JWT', received: idToken.slice(0, 64) });
  }
  const algorithms = [...(x.algorithms ?? ALLOWED_ID_TOKEN_ALGS)];
  if (!header.alg || !algorithms.includes(header.alg)) {
    throw new OidcError({ reason: 'unsupported_id_token_alg', message: `The ID token is signed with ${header.alg ?? 'no algorithm'}, which Portico does not accept`, expected: algorithms, received: header.alg ?? null });
  }
  let payload: Uint8Array;
  try {
    ({ payload } = await jose.compactVerify(idToken, x.keys, { algorithms }));
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new OidcError({
      reason: 'invalid_id_token_signature',
      message: code === 'ERR_JWKS_NO_MATCHING_KEY' ? `No key of the identity provider's JWKS matches the ID token's key ID ${header.kid ?? '(none)'}` : 'The ID token’s signature does not verify with the identity provider’s keys',
      expected: 'a signature by a key of the JWKS', received: { alg: header.alg, kid: header.kid ?? null },
    });
  }
  const claims = JSON.parse(new TextDecoder().decode(payload)) as ValidatedIdToken['claims'];
  checkClaims(claims, x);
  return { header: { alg: header.alg, ...(header.kid ? { kid: header.kid } : {}) }, claims };
}

function checkClaims(claims: ValidatedIdToken['claims'], x: IdTokenExpectations): void {
  const issuer = typeof x.issuer === 'string' ? x.issuer : x.issuer(claims);
  if (claims.iss !== issuer) throw new OidcError({ reason: 'invalid_id_token_issuer', message: 'The ID token was issued by another issuer', expected: issuer, received: claims.iss ?? null });
  const audiences = Array.isArray(claims.aud) ? claims.aud : claims.aud === undefined ? [] : [claims.aud];
  if (!audiences.includes(x.clientId)) throw new OidcError({ reason: 'invalid_id_token_audience', message: 'The ID token is for another client', expected: x.clientId, received: claims.aud ?? null });
  if ((audiences.length > 1 || claims.azp !== undefined) && claims.azp !== x.clientId) {
    throw new OidcError({ reason: 'invalid_id_token_azp', message: 'The ID token was issued to another authorized party (azp)', expected: x.clientId, received: claims.azp ?? null });
  }
  if (claims.nonce !== x.nonce) throw new OidcError({ reason: 'invalid_id_token_nonce', message: 'The ID token’s nonce is not the one sent with this sign-in', expected: x.nonce, received: claims.nonce ?? null });
  const now = Math.floor(x.now.getTime() / 1000);
  const skew = x.clockSkewSeconds;
  if (typeof claims.exp !== 'number' || claims.exp + skew <= now) {
    throw new OidcError({ reason: 'id_token_expired', message: 'The ID token expired', expected: `exp after ${new Date((now - skew) * 1000).toISOString()}`, received: typeof claims.exp === 'number' ? new Date(claims.exp * 1000).toISOString() : null });
  }
  if (typeof claims.iat !== 'number' || claims.iat - skew > now) {
    throw new OidcError({ reason: 'id_token_not_yet_valid', message: 'The ID token was issued in the future (check the clocks)', expected: `iat before ${new Date((now + skew) * 1000).toISOString()}`, received: typeof claims.iat === 'number' ? new Date(claims.iat * 1000).toISOString() : null });
  }
}
