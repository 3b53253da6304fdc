import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { OidcError, validateIdToken, type IdTokenExpectations } from '../../src/auth/oidc';
import { signingKey } from '../helpers/oauth-providers';

/** A JWKS endpoint whose keys the test changes (rotation), counting fetches. */
let jwks: { keys: object[] } = { keys: [] };
let fetches = 0;
let server: Server;
let jwksUrl: string;
beforeAll(async () => {
  server = createServer((_req, res) => {
    fetches += 1;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const ISSUER = 'https://accounts.google.test';
const CLIENT = 'portico-client.apps.googleusercontent.com';
const NOW = new Date('2026-12-01T12:00:00Z');
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

type Key = Awaited<ReturnType<typeof signingKey>>;

async function sign(key: Key, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) {
  const jose = await import('jose');
  return new jose.SignJWT({ nonce: 'n-1', email: 'ada@gmail.com', ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, ...header })
    .setIssuer((claims.iss as string) ?? ISSUER).setAudience((claims.aud as string) ?? CLIENT).setSubject('user-1')
    .setIssuedAt((claims.iat as number) ?? seconds(NOW) - 10).setExpirationTime((claims.exp as number) ?? seconds(NOW) + 3600)
    .sign(key.privateKey);
}

async function expectations(overrides: Partial<IdTokenExpectations> = {}): Promise<IdTokenExpectations> {
  const jose = await import('jose');
  return { issuer: ISSUER, clientId: CLIENT, nonce: 'n-1', now: NOW, clockSkewSeconds: 60, keys: jose.createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 0 }), ...overrides };
}

async function refusal(token: string, x?: Partial<IdTokenExpectations>): Promise<OidcError> {
  const err = await validateIdToken(token, await expectations(x)).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(OidcError);
  return err as OidcError;
}

let key: Key;
beforeEach(async () => {
  key = await signingKey();
  jwks = { keys: [key.publicJwk] };
});

describe('validateIdToken', () => {
  it('accepts a token signed by a key of the JWKS, for this client, issuer and nonce, within its lifetime', async () => {
    const { claims, header } = await validateIdToken(await sign(key), await expectations());
    expect(claims).toMatchObject({ iss: ISSUER, aud: CLIENT, sub: 'user-1', email: 'ada@gmail.com' });
    expect(header).toEqual({ alg: 'RS256', kid: key.kid });
  });

  it('refuses a token for another audience, naming expected and received', async () => {
    const err = await refusal(await sign(key, { aud: 'someone-else' }));
    expect(err).toMatchObject({ reason: 'invalid_id_token_audience', expected: CLIENT, received: 'someone-else', code: 'oauth_failed' });
  });

  it('refuses a token from another issuer', async () => {
    expect(await refusal(await sign(key, { iss: 'https://evil.test' }))).toMatchObject({ reason: 'invalid_id_token_issuer', expected: ISSUER, received: 'https://evil.test' });
  });

  it('refuses several audiences whose azp is not this client', async () => {
    expect(await refusal(await sign(key, { aud: [CLIENT, 'other'], azp: 'other' } as never))).toMatchObject({ reason: 'invalid_id_token_azp', expected: CLIENT, received: 'other' });
  });

  it('refuses a token whose nonce is not this sign-in’s', async () => {
    expect(await refusal(await sign(key, { nonce: 'n-other' }))).toMatchObject({ reason: 'invalid_id_token_nonce', expected: 'n-1', received: 'n-other' });
  });

  it('refuses an expired token beyond the clock skew, and accepts one within it', async () => {
    expect(await refusal(await sign(key, { exp: seconds(NOW) - 61, iat: seconds(NOW) - 3600 }))).toMatchObject({ reason: 'id_token_expired', received: new Date((seconds(NOW) - 61) * 1000).toISOString() });
    await expect(validateIdToken(await sign(key, { exp: seconds(NOW) - 30, iat: seconds(NOW) - 3600 }), await expectations())).resolves.toBeTruthy();
  });

  it('refuses a token issued in the future (beyond the skew)', async () => {
    expect(await refusal(await sign(key, { iat: seconds(NOW) + 120 }))).toMatchObject({ reason: 'id_token_not_yet_valid' });
  });

  it('refuses a token whose signature does not verify (signed by a key not in the JWKS but claiming its kid)', async () => {
    const forger = await signingKey(key.kid);
    expect(await refusal(await sign(forger))).toMatchObject({ reason: 'invalid_id_token_signature', received: { alg: 'RS256', kid: key.kid } });
  });

  it('refuses a token with a tampered payload', async () => {
    const [h, , s] = (await sign(key)).split('.');
    const payload = Buffer.from(JSON.stringify({ iss: ISSUER, aud: CLIENT, sub: 'admin', nonce: 'n-1', iat: seconds(NOW), exp: seconds(NOW) + 60 })).toString('base64url');
    expect(await refusal(`${h}.${payload}.${s}`)).toMatchObject({ reason: 'invalid_id_token_signature' });
  });

  it('refuses alg none (an unsigned token), whatever its claims', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ iss: ISSUER, aud: CLIENT, sub: 'user-1', nonce: 'n-1', iat: seconds(NOW), exp: seconds(NOW) + 60 })).toString('base64url');
    expect(await refusal(`${header}.${payload}.`)).toMatchObject({ reason: 'unsupported_id_token_alg', received: 'none' });
  });

  it('refuses HS256 (a client secret is not a signing key Portico accepts)', async () => {
    const jose = await import('jose');
    const token = await new jose.SignJWT({ nonce: 'n-1' }).setProtectedHeader({ alg: 'HS256' }).setIssuer(ISSUER).setAudience(CLIENT).setIssuedAt(seconds(NOW)).setExpirationTime(seconds(NOW) + 60).sign(new TextEncoder().encode('client-secret-client-secret-1234'));
    expect(await refusal(token)).toMatchObject({ reason: 'unsupported_id_token_alg', received: 'HS256' });
  });

  it('picks up a rotated key: a token signed with a new kid re-fetches the JWKS', async () => {
    const x = await expectations();
    await validateIdToken(await sign(key), x);
    const before = fetches;
    const rotated = await signingKey();
    jwks = { keys: [rotated.publicJwk] };
    const { header } = await validateIdToken(await sign(rotated), x);
    expect(header.kid).toBe(rotated.kid);
    expect(fetches).toBe(before + 1);
    // The old key is gone from the JWKS: a token it signs no longer verifies.
    expect(await refusal(await sign(key), x)).toMatchObject({ reason: 'invalid_id_token_signature' });
  });

  it('checks Microsoft’s multi-tenant issuer against the token’s own tenant', async () => {
    const tid = '9188040d-6c67-4c5b-b112-36a304b66dad';
    const issuer = (claims: Record<string, unknown>) => `https://login.microsoftonline.com/${String(claims.tid)}/v2.0`;
    await expect(validateIdToken(await sign(key, { iss: `https://login.microsoftonline.com/${tid}/v2.0`, tid }), await expectations({ issuer }))).resolves.toBeTruthy();
    expect(await refusal(await sign(key, { iss: 'https://login.microsoftonline.com/other/v2.0', tid }), { issuer })).toMatchObject({ reason: 'invalid_id_token_issuer' });
  });
});
