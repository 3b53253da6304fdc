import express, { type Request, type Response } from 'express';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import { isIdOf } from '@portico/shared';
import { createSpMetadata } from '../../auth/saml';
import type { AppDeps } from '../../context';
import { publicConnection, spEndpoints } from '../../modules/connections/connections.service';
import { completeOAuthSignIn, OAUTH_BROWSER_COOKIE, OAUTH_STATE_TTL_MS } from '../../modules/sso-sessions/oauth-flow';
import { authorize, consumeSamlResponse, exchangeCode, OAuthError, profileForAccessToken, type FlowOutcome } from '../../modules/sso-sessions/sso-flow';
import { readBearerToken } from '../bearer';
import { requestId, route } from '../rest/rest-router';
import { edgeErrorHandler } from '../edge/error-handler';
import { sendErrorPage } from './error-page';

const one = (value: unknown): string | undefined => (typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined);

/** The provider_* parameters as the SDK writes them: repeated `provider_scopes`, bracketed `provider_query_params[k]`. */
function providerParams(req: Request) {
  const query = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
  const scopes = query.getAll('provider_scopes').flatMap((s) => s.split(/[\s,]+/)).filter(Boolean);
  const params: Record<string, string> = {};
  for (const [key, value] of query) {
    const match = /^provider_query_params\[([^\]]+)\]$/.exec(key);
    if (match) params[match[1]!] = value;
  }
  return { providerScopes: scopes, providerQueryParams: params };
}

const oauthBrowserOf = (req: Request) => parseCookies(req.headers.cookie ?? '')[OAUTH_BROWSER_COOKIE] ?? null;

function send(res: Response, outcome: FlowOutcome, publicUrl = ''): void {
  if (outcome.kind === 'redirect') {
    if (outcome.oauthBrowser) {
      // Apple answers with a cross-site POST (form_post), which carries only SameSite=None cookies (https only).
      const secure = publicUrl.startsWith('https:');
      res.append('Set-Cookie', serializeCookie(OAUTH_BROWSER_COOKIE, outcome.oauthBrowser, {
        httpOnly: true, secure, sameSite: secure ? 'none' : 'lax', path: '/sso/oauth', maxAge: OAUTH_STATE_TTL_MS / 1000,
      }));
    }
    // Not res.redirect: it negotiates a body (text or HTML) for every sign-in; a 302 needs only its Location.
    res.status(302).set('Cache-Control', 'no-store').location(outcome.location).end();
  } else {
    sendErrorPage(res, outcome);
  }
}

/** The browser-facing SSO endpoints, the token exchange and the SAML SP endpoints (contract §2, DESIGN.md). */
export function ssoRouter(deps: AppDeps): express.Router {
  // Bodies (the ACS form, token requests) are parsed and checked at the edge (http/edge) before this router.
  const router = express.Router();

  router.get('/sso/authorize', route(async (req, res) => {
    const q = req.query;
    send(res, await authorize(deps, {
      clientId: one(q.client_id), redirectUri: one(q.redirect_uri), responseType: one(q.response_type), state: one(q.state),
      connection: one(q.connection), organization: one(q.organization), provider: one(q.provider), domain: one(q.domain),
      codeChallenge: one(q.code_challenge), codeChallengeMethod: one(q.code_challenge_method),
      ...providerParams(req), loginHint: one(q.login_hint), domainHint: one(q.domain_hint), oauthBrowser: oauthBrowserOf(req),
      ip: req.ip ?? 'unknown', userAgent: req.get('user-agent') ?? null,
    }), deps.config.publicUrl);
  }));

  // The OAuth providers' way back (the redirect URI to register with each); Apple posts it (form_post).
  const oauthCallback = route(async (req: Request, res) => {
    const raw = req.method === 'POST' ? (req.body ?? {}) as Record<string, unknown> : req.query;
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(raw)) {
      const text = one(value);
      if (text !== undefined) params.set(key, text);
    }
    send(res, await completeOAuthSignIn(deps, { params, browserId: oauthBrowserOf(req), ip: req.ip ?? 'unknown', userAgent: req.get('user-agent') ?? null }));
  });
  router.get('/sso/oauth/callback', oauthCallback);
  router.post('/sso/oauth/callback', oauthCallback);

  router.post('/sso/saml/acs/:connectionId', route(async (req: Request, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    send(res, await consumeSamlResponse(deps, {
      connectionId: String(req.params.connectionId), samlResponse: one(body.SAMLResponse), relayState: one(body.RelayState),
      ip: req.ip ?? 'unknown', userAgent: req.get('user-agent') ?? null,
    }));
  }));

  router.get('/sso/saml/metadata/:connectionId', route(async (req, res) => {
    const id = String(req.params.connectionId);
    const connection = isIdOf('connection', id) ? await publicConnection(deps.db, id) : null;
    if (!connection) {
      res.status(404).type('text').send('No such connection');
      return;
    }
    const { acsUrl, spEntityId } = spEndpoints(deps.config.publicUrl, connection.id);
    const xml = createSpMetadata({
      spEntityId, acsUrl, wantAssertionsSigned: connection.requireSignedAssertions,
      encryptionCertificates: [connection.spCertificate, connection.spNextCertificate].filter((c): c is string => c !== null),
    });
    if (req.query.download !== undefined) res.attachment(`portico-sp-metadata-${connection.id}.xml`);
    res.type('application/samlmetadata+xml').send(xml);
  }));

  router.post('/sso/token', requestId, route(async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const bearer = readBearerToken(req);
    res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    try {
      const { accessToken, profile, oauthTokens } = await exchangeCode(deps.db, {
        clientId: one(body.client_id), grantType: one(body.grant_type), code: one(body.code), codeVerifier: one(body.code_verifier),
        clientSecret: one(body.client_secret) ?? bearer ?? undefined,
      }, deps.secrets);
      res.json({ access_token: accessToken, profile, ...(oauthTokens ? { oauth_tokens: oauthTokens } : {}) });
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      res.status(400).json({ error: err.error, error_description: err.description });
    }
  }));

  router.get('/sso/profile', requestId, route(async (req, res) => {
    const token = readBearerToken(req);
    const profile = token ? await profileForAccessToken(deps.db, token) : null;
    if (!profile) {
      res.status(401).json({ message: 'Unauthorized', code: 'invalid_access_token' });
      return;
    }
    res.set('Cache-Control', 'no-store').json(profile);
  }));

  // Pages get an HTML page, /sso/token an OAuth error, /sso/profile a WorkOS error; never Express's stack page.
  router.use('/sso', edgeErrorHandler);
  return router;
}
