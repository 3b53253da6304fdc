import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';

/**
 * Local stand-ins for the OAuth providers, never the internet: oidc-provider (the certified OpenID provider for
 * Node) plays Google, Microsoft and Apple; a small OAuth 2.0 server with GitHub's endpoint shapes plays GitHub.
 * Portico is pointed at them with PORTICO_TEST_OAUTH_PROVIDER_URLS.
 */

export interface StandInUser {
  sub: string;
  claims: Record<string, unknown>;
}

const listen = async (app: express.Express, path = '') => {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, base, url: `${base}${path}` };
};

const close = (server: Server) => new Promise<void>((resolve) => {
  server.closeAllConnections();
  server.close(() => resolve());
});

// oidc-provider ships as an ES module without types; tests load it by name.
const esm = async (name: string) => (await import(name)) as { default: any };

export async function signingKey(kid = `key-${randomBytes(4).toString('hex')}`, alg: 'RS256' | 'ES256' = 'RS256') {
  const jose = await import('jose');
  const { privateKey, publicKey } = await jose.generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicJwk: { ...(await jose.exportJWK(publicKey)), kid, alg, use: 'sig' }, privateJwk: { ...(await jose.exportJWK(privateKey)), kid, alg, use: 'sig' } };
}

export interface OidcStandIn {
  /** What Portico is configured with (PORTICO_TEST_OAUTH_PROVIDER_URLS). */
  base: string;
  issuer: string;
  /** Who signs in next; `deny` makes the user decline instead. */
  user: StandInUser;
  deny: boolean;
  close(): Promise<void>;
}

/**
 * oidc-provider at `base + path` (Microsoft's issuer has a tenant path), with one confidential client, PKCE
 * required, and an interaction that signs `user` in (or declines) without a form.
 */
export async function startOidcStandIn(opts: {
  clientId: string; clientSecret: string; redirectUri: string; path?: string; user: StandInUser; alg?: 'RS256' | 'ES256';
  /** How the client authenticates at the token endpoint (Portico's OIDC connections use client_secret_basic). */
  tokenEndpointAuthMethod?: 'client_secret_post' | 'client_secret_basic';
  /** Apple: the token request's client_secret is a JWT; this checks it and answers the secret oidc-provider knows (or null to refuse). */
  checkClientSecret?: (secret: string, issuer: string) => Promise<boolean>;
}): Promise<OidcStandIn> {
  const { default: Provider } = await esm('oidc-provider');
  const app = express();
  if (opts.checkClientSecret) {
    const check = opts.checkClientSecret;
    app.post(`${opts.path ?? ''}/token`, express.urlencoded({ extended: false }), async (req, _res, next) => {
      const body = req.body as Record<string, string>;
      body.client_secret = (await check(body.client_secret ?? '', standIn.issuer)) ? opts.clientSecret : 'refused';
      next();
    });
  }
  const { server, base, url: issuer } = await listen(app, opts.path ?? '');
  // eslint-disable-next-line prefer-const -- the token hook above reads it after start
  let standIn: OidcStandIn;
  const key = await signingKey(undefined, opts.alg);
  standIn = { base, issuer, user: opts.user, deny: false, close: () => close(server) };
  const provider = new Provider(issuer, {
    clients: [{ client_id: opts.clientId, client_secret: opts.clientSecret, redirect_uris: [opts.redirectUri], token_endpoint_auth_method: opts.tokenEndpointAuthMethod ?? 'client_secret_post', response_types: ['code'], grant_types: ['authorization_code'], id_token_signed_response_alg: opts.alg ?? 'RS256' }],
    jwks: { keys: [key.privateJwk] },
    findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub, ...standIn.user.claims }) }),
    // Microsoft's oid and tid come with openid; Apple's `name` scope releases nothing in the ID token (the name comes by form_post).
    claims: { openid: ['sub', 'oid', 'tid', 'groups'], email: ['email', 'email_verified'], profile: ['name', 'given_name', 'family_name'], name: [] },
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `${opts.path ?? ''}/interaction/${interaction.uid}` },
    cookies: { keys: ['stand-in-cookie-key'] },
  });
  provider.proxy = false;
  app.get(`${opts.path ?? ''}/interaction/:uid`, async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      if (standIn.deny) {
        await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'End-User aborted interaction' }, { mergeWithLastSubmission: false });
        return;
      }
      const grant = new provider.Grant({ accountId: standIn.user.sub, clientId: details.params.client_id });
      grant.addOIDCScope(String(details.params.scope));
      grant.addOIDCClaims(['email', 'email_verified', 'name', 'given_name', 'family_name', 'tid', 'oid', 'groups']);
      await provider.interactionFinished(req, res, { login: { accountId: standIn.user.sub }, consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: false });
    } catch (err) {
      next(err);
    }
  });
  app.use(opts.path ?? '/', provider.callback());
  return standIn;
}

export interface GitHubStandIn {
  base: string;
  user: { id: number; login: string; name: string | null };
  emails: { email: string; primary: boolean; verified: boolean; visibility: string | null }[];
  deny: boolean;
  close(): Promise<void>;
}

/** GitHub's OAuth app endpoints and the two REST calls Portico makes, with GitHub's shapes (errors answered 200). */
export async function startGitHubStandIn(opts: { clientId: string; clientSecret: string; redirectUri: string }): Promise<GitHubStandIn> {
  const app = express();
  const codes = new Map<string, { challenge: string; redirectUri: string; scope: string }>();
  const tokens = new Set<string>();
  const { server, base } = await listen(app);
  const standIn: GitHubStandIn = {
    base, deny: false, close: () => close(server),
    user: { id: 583231, login: 'octocat', name: 'Mona Lisa Octocat' },
    emails: [{ email: 'octocat@github.com', primary: true, verified: true, visibility: 'public' }, { email: 'mona@old.example', primary: false, verified: false, visibility: null }],
  };
  app.get('/login/oauth/authorize', (req, res) => {
    const q = req.query as Record<string, string>;
    const back = new URL(q.redirect_uri ?? opts.redirectUri);
    if (q.client_id !== opts.clientId || back.toString() !== opts.redirectUri) {
      res.status(400).send('redirect_uri mismatch');
      return;
    }
    if (standIn.deny) {
      back.search = new URLSearchParams({ error: 'access_denied', error_description: 'The user has denied your application access.', error_uri: 'https://docs.github.com/apps/troubleshooting-authorization-request-errors/#access-denied', state: q.state ?? '' }).toString();
    } else {
      const code = randomBytes(10).toString('hex');
      codes.set(code, { challenge: q.code_challenge ?? '', redirectUri: back.toString(), scope: q.scope ?? '' });
      back.search = new URLSearchParams({ code, state: q.state ?? '' }).toString();
    }
    res.redirect(302, back.toString());
  });
  app.post('/login/oauth/access_token', express.urlencoded({ extended: false }), express.json(), (req, res) => {
    const b = req.body as Record<string, string>;
    const grant = codes.get(b.code ?? '');
    codes.delete(b.code ?? '');
    const verifierOk = grant && createHash('sha256').update(b.code_verifier ?? '').digest('base64url') === grant.challenge;
    if (b.client_id !== opts.clientId || b.client_secret !== opts.clientSecret) {
      res.json({ error: 'incorrect_client_credentials', error_description: 'The client_id and/or client_secret passed are incorrect.' });
    } else if (!grant || !verifierOk || b.redirect_uri !== grant.redirectUri) {
      res.json({ error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' });
    } else {
      const token = `gho_${randomBytes(18).toString('hex')}`;
      tokens.add(token);
      res.json({ access_token: token, token_type: 'bearer', scope: grant.scope.replace(/ /g, ',') });
    }
  });
  const authed = (req: express.Request, res: express.Response) => {
    if (!tokens.has((req.get('authorization') ?? '').replace(/^Bearer /, ''))) {
      res.status(401).json({ message: 'Bad credentials' });
      return false;
    }
    return true;
  };
  app.get('/user', (req, res) => void (authed(req, res) && res.json({ ...standIn.user, avatar_url: 'https://avatars.example/u/1', email: null })));
  app.get('/user/emails', (req, res) => void (authed(req, res) && res.json(standIn.emails)));
  return standIn;
}

/**
 * A browser for the headless journey: follows redirects by hand, keeping each host's cookies, until it is sent to
 * `stopAt` (the application's callback). Portico's public URL (`http://portico.test`) is the test app.
 */
export class TestBrowser {
  private readonly jar = new Map<string, Map<string, string>>();
  constructor(private readonly publicUrl: string, private readonly appUrl: string) {}

  private local(url: string) {
    return url.startsWith(this.publicUrl) ? this.appUrl + url.slice(this.publicUrl.length) : url;
  }

  async request(url: string, init: RequestInit = {}) {
    const target = new URL(this.local(url));
    const cookies = this.jar.get(target.host);
    const headers = new Headers(init.headers);
    if (cookies?.size) headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(target, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const jar = this.jar.get(target.host) ?? new Map<string, string>();
      jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
      this.jar.set(target.host, jar);
    }
    return res;
  }

  /** Fields added to a form the browser auto-submits to `url` (Apple adds `user` to its form_post on a first sign-in). */
  formExtras: Record<string, string> = {};

  /** A response_mode=form_post page: the form's action and hidden fields, as the page's script would submit them. */
  private static formPost(html: string): { action: string; fields: URLSearchParams } | null {
    const form = /<form[^>]*method="post"[^>]*action="([^"]+)"/i.exec(html);
    if (!form) return null;
    const fields = new URLSearchParams();
    for (const [, name, value] of html.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/gi)) fields.set(name!, value!.replace(/&amp;/g, '&').replace(/&quot;/g, '"'));
    return { action: form[1]!.replace(/&amp;/g, '&'), fields };
  }

  /** Follows redirects (and form_post pages) from `url` until one leaves for `stopAt`; answers that URL (or the last response). */
  async follow(url: string, stopAt: string, init: RequestInit = {}): Promise<{ landed: URL | null; last: Response; trail: string[] }> {
    let next = url;
    let options = init;
    const trail: string[] = [];
    for (let hop = 0; hop < 20; hop += 1) {
      trail.push(next);
      if (next.startsWith(stopAt)) return { landed: new URL(next), last: undefined as unknown as Response, trail };
      const res = await this.request(next, options);
      const location = res.headers.get('location');
      if (res.status === 200 && (res.headers.get('content-type') ?? '').includes('html')) {
        const post = TestBrowser.formPost(await res.text());
        if (post) {
          for (const [k, v] of Object.entries(this.formExtras)) post.fields.set(k, v);
          trail.push(`POST ${post.action}`);
          const posted = await this.request(post.action, { method: 'POST', body: post.fields, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
          const after = posted.headers.get('location');
          if (posted.status < 300 || posted.status >= 400 || !after) return { landed: null, last: posted, trail };
          next = new URL(after, this.local(post.action)).toString();
          options = {};
          continue;
        }
      }
      if (res.status < 300 || res.status >= 400 || !location) return { landed: null, last: res, trail };
      next = new URL(location, this.local(next)).toString();
      options = {};
    }
    throw new Error(`Too many redirects: ${trail.join(' → ')}`);
  }

  /** A cookie the browser got elsewhere (e.g. with a GraphQL answer of the dashboard). */
  setCookie(url: string, name: string, value: string) {
    const host = new URL(this.local(url)).host;
    const jar = this.jar.get(host) ?? new Map<string, string>();
    jar.set(name, value);
    this.jar.set(host, jar);
  }

  cookies(host: string) {
    return this.jar.get(host) ?? new Map<string, string>();
  }
}
