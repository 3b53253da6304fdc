import express, { type Request, type Response } from 'express';
import { isIdOf } from '@portico/shared';
import { createSpMetadata } from '../../auth/saml';
import type { AppDeps } from '../../context';
import { publicConnection, spEndpoints } from '../../modules/connections/connections.service';
import { authorize, consumeSamlResponse, exchangeCode, OAuthError, profileForAccessToken, type FlowOutcome } from '../../modules/sso-sessions/sso-flow';
import { readBearerToken } from '../bearer';
import { requestId, route } from '../rest/rest-router';
import { edgeErrorHandler } from '../edge/error-handler';
import { sendErrorPage } from './error-page';

const one = (value: unknown): string | undefined => (typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined);

function send(res: Response, outcome: FlowOutcome): void {
  if (outcome.kind === 'redirect') {
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
      ip: req.ip ?? 'unknown', userAgent: req.get('user-agent') ?? null,
    }));
  }));

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
      const { accessToken, profile } = await exchangeCode(deps.db, {
        clientId: one(body.client_id), grantType: one(body.grant_type), code: one(body.code), codeVerifier: one(body.code_verifier),
        clientSecret: one(body.client_secret) ?? bearer ?? undefined,
      });
      res.json({ access_token: accessToken, profile });
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
