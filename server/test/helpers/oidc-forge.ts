import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { signingKey } from './oauth-providers';

type Key = Awaited<ReturnType<typeof signingKey>>;

/** What the next token response's ID token looks like: claims merged over the honest ones, how it is signed. */
export interface Forgery {
  claims?: Record<string, unknown>;
  /** `none`: an unsigned token (alg none); `unpublished`: signed by a key outside the JWKS under a published kid. */
  sign?: 'published' | 'none' | 'unpublished';
}

/**
 * An OpenID Provider on loopback whose ID tokens a test can forge (wrong audience or issuer, expired, bad signature,
 * alg none) and whose signing key it can rotate: the honest parts are the real protocol (discovery, code flow with
 * PKCE, client_secret_basic, single-use codes, a JWKS endpoint). oidc-provider plays the honest IdP elsewhere.
 */
export class ForgingIdp {
  base = '';
  user: { sub: string; email: string; given_name?: string; family_name?: string; groups?: string[] } = { sub: 'forge-user-1', email: 'ada@acme-oidc.com', given_name: 'Ada', family_name: 'Lovelace' };
  next: Forgery = {};
  /** Called with each ID token's claims before the token response is sent (a test can record what was issued). */
  beforeIssue: ((claims: Record<string, unknown>) => Promise<void>) | null = null;
  jwksFetches = 0;
  private keys: Key[] = [];
  private current!: Key;
  private server!: Server;
  private readonly codes = new Map<string, { nonce: string; challenge: string; redirectUri: string }>();
  private readonly used = new Set<string>();

  constructor(readonly clientId: string, readonly clientSecret: string) {}

  get issuer() {
    return this.base;
  }

  async start(): Promise<this> {
    this.current = await signingKey();
    this.keys = [this.current];
    const app = express();
    app.get('/.well-known/openid-configuration', (_req, res) => void res.json({
      issuer: this.base, authorization_endpoint: `${this.base}/authorize`, token_endpoint: `${this.base}/token`, jwks_uri: `${this.base}/jwks`,
      response_types_supported: ['code'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'],
    }));
    app.get('/jwks', (_req, res) => {
      this.jwksFetches += 1;
      res.json({ keys: this.keys.map((k) => k.publicJwk) });
    });
    app.get('/authorize', (req, res) => {
      const q = req.query as Record<string, string>;
      if (q.client_id !== this.clientId || q.code_challenge_method !== 'S256' || !q.nonce || !q.state) return void res.status(400).send('bad request');
      const code = randomBytes(12).toString('hex');
      this.codes.set(code, { nonce: q.nonce, challenge: q.code_challenge!, redirectUri: q.redirect_uri! });
      const back = new URL(q.redirect_uri!);
      back.search = new URLSearchParams({ code, state: q.state }).toString();
      res.redirect(302, back.toString());
    });
    app.post('/token', express.urlencoded({ extended: false }), async (req, res) => {
      const body = req.body as Record<string, string>;
      const [id, secret] = Buffer.from((req.get('authorization') ?? '').replace(/^Basic /, ''), 'base64').toString().split(':').map(decodeURIComponent);
      if (id !== this.clientId || secret !== this.clientSecret) return void res.status(401).json({ error: 'invalid_client' });
      const grant = this.codes.get(body.code ?? '');
      if (!grant || this.used.has(body.code!)) return void res.status(400).json({ error: 'invalid_grant', error_description: 'The code is invalid or was already used' });
      this.used.add(body.code!);
      if (createHash('sha256').update(body.code_verifier ?? '').digest('base64url') !== grant.challenge || body.redirect_uri !== grant.redirectUri) {
        return void res.status(400).json({ error: 'invalid_grant', error_description: 'PKCE or redirect_uri mismatch' });
      }
      res.json({ access_token: randomBytes(16).toString('hex'), token_type: 'Bearer', expires_in: 3600, id_token: await this.idToken(grant.nonce) });
    });
    this.server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Signs with a new key from now on and publishes only it: the old kid disappears from the JWKS. */
  async rotate(): Promise<Key> {
    this.current = await signingKey();
    this.keys = [this.current];
    return this.current;
  }

  private async idToken(nonce: string): Promise<string> {
    const jose = await import('jose');
    const now = Math.floor(Date.now() / 1000);
    const forgery = this.next;
    this.next = {};
    const claims = { iss: this.base, aud: this.clientId, sub: this.user.sub, email: this.user.email, given_name: this.user.given_name, family_name: this.user.family_name, groups: this.user.groups, nonce, iat: now, exp: now + 300, ...forgery.claims };
    await this.beforeIssue?.(claims);
    if (forgery.sign === 'none') return `${jose.base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${jose.base64url.encode(JSON.stringify(claims))}.`;
    const key = forgery.sign === 'unpublished' ? { ...(await signingKey(this.current.kid)) } : this.current;
    return new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' }).sign(key.privateKey);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}
