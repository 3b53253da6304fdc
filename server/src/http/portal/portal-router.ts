import fs from 'node:fs';
import path from 'node:path';
import { parse, serialize } from 'cookie';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { AppDeps } from '../../context';
import { AppError, ForbiddenError, UnauthenticatedError, ValidationError } from '../../errors';
import { logger } from '../../lib/logger';
import { openPortalLink, resolvePortalSession, type PortalPrincipal } from '../../modules/admin-portal/portal-links.service';
import { beginTestSignIn, chooseIdp, configureIdp, finishTestSignIn, presentSsoSetup, presentTestSignIn, addNextCertificate, requireIntent } from '../../modules/admin-portal/portal-sso.service';
import { completeSetup, portalContext } from '../../modules/admin-portal/portal-session.service';
import { crossSiteRefusal } from '../edge/same-origin';
import { registerPortalDsyncApi } from './portal-dsync-routes';
import { addPortalDomain, checkPortalDomain, presentPortalDomains } from '../../modules/admin-portal/portal-domains.service';
import { portalBrandingOfLinkToken, type PortalBranding } from '../../modules/admin-portal/portal-branding.service';
import { sendLinkRefusedPage } from './link-refused-page';
import { OAUTH_BROWSER_COOKIE } from '../../modules/sso-sessions/oauth-flow';
import { writeOAuthBrowserCookie } from '../../modules/sso-sessions/oauth-browser-cookie';

export const PORTAL_COOKIE = 'portico_portal';

const LINK_REFUSALS = {
  unknown: 'This setup link is not valid.',
  expired: 'This setup link has expired.',
  used: 'This setup link was already used: each link opens the portal once.',
  revoked: 'This setup link was revoked by the application team.',
  completed: 'Setup through this link is already complete.',
} as const;

/** The page a person sees for a link or portal session that can no longer be used (branded when the link is known). */
function sendLinkRefused(res: Response, reason: keyof typeof LINK_REFUSALS | 'session', branding: PortalBranding | null = null): void {
  sendLinkRefusedPage(res, `${reason === 'session' ? 'Your setup session has ended.' : LINK_REFUSALS[reason]} Ask the application that sent you here for a new link to the setup portal.`, branding);
}

/** The dashboard's policy (app.ts), plus images from https: the branding's logo URL (https only) is the team's own host. */
const PORTAL_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: https:", "font-src 'self'", "connect-src 'self'",
  "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'",
].join('; ');

const readCookie = (req: Request, name: string) => (req.headers.cookie ? parse(req.headers.cookie)[name] : undefined);
const readPortalCookie = (req: Request) => readCookie(req, PORTAL_COOKIE);

/** HttpOnly, SameSite=Lax, Secure behind https, sent only to /portal: never to the dashboard or its GraphQL API. */
function writePortalCookie(res: Response, token: string, expires: Date, secure: boolean): void {
  res.append('Set-Cookie', serialize(PORTAL_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/portal', expires }));
}

const principalOf = (res: Response) => res.locals.portal as PortalPrincipal;

const one = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The portal API's error shape: `{ code, message, errors: [{ field, code, message }] }`, never a stack. */
function portalErrors(err: unknown, _req: Request, res: Response, _next: NextFunction): void {
  if (res.headersSent) return;
  if (err instanceof AppError) {
    res.status(err instanceof ValidationError ? 422 : err.status).json({ code: err.reason ?? err.code.toLowerCase(), message: err.message, errors: err.details ?? [] });
    return;
  }
  logger.error('Admin Portal request failed', { error: err instanceof Error ? err.stack : String(err) });
  res.status(500).json({ code: 'internal_error', message: 'Something went wrong on our side. Try again in a moment.', errors: [] });
}

const api = (handler: (req: Request, res: Response) => Promise<unknown>) => (req: Request, res: Response, next: NextFunction) => {
  handler(req, res).then((body) => { if (!res.headersSent) res.set('Cache-Control', 'no-store').json(body); }, next);
};

/**
 * The Admin Portal: `/portal/launch` (link → session cookie), `/portal/api/*` (the portal SPA's JSON API, the portal
 * cookie its only credential), the test sign-in's landing page and the SPA itself (`portal.html`).
 */
export function portalRouter(deps: AppDeps, clientDist: string): express.Router {
  const router = express.Router();
  const secure = deps.config.publicUrl.startsWith('https://');

  router.get('/portal/launch', (req, res, next) => {
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    const token = one(req.query.token);
    if (!token || token.length > 128) return sendLinkRefused(res, 'unknown');
    openPortalLink(deps.db, token).then(async (opened) => {
      if (!opened.ok) return sendLinkRefused(res, opened.reason, await portalBrandingOfLinkToken(deps.db, token));
      writePortalCookie(res, opened.sessionToken, opened.expiresAt, secure);
      res.redirect(303, `/portal/${opened.principal.intent.replace('_', '-')}`);
    }).catch(next);
  });

  const requirePortalSession = (req: Request, res: Response, next: NextFunction) => {
    resolvePortalSession(deps.db, readPortalCookie(req)).then((principal) => {
      if (!principal) return next(new UnauthenticatedError('Your setup session has ended. Ask the application for a new setup link.'));
      res.locals.portal = principal;
      next();
    }, next);
  };
  // A cross-site form can't send JSON without a CORS preflight (which Portico never grants), and the cookie is Lax;
  // a same-site but cross-origin page (another subdomain) is refused by what the browser says of the request's origin.
  const requireJson = (req: Request, _res: Response, next: NextFunction) => {
    const crossSite = crossSiteRefusal(req, deps.config.publicUrl);
    if (crossSite) return next(new ForbiddenError(`Only the setup portal's own pages can change its settings (${crossSite}).`, 'cross_site_request'));
    if (req.method !== 'GET' && !req.is('application/json')) return next(ValidationError.field('body', 'json_required', 'Send the request as application/json.'));
    next();
  };

  const portalApi = express.Router();
  portalApi.use(requirePortalSession, requireJson);
  portalApi.get('/session', api(async (_req, res) => portalContext(deps, principalOf(res))));
  portalApi.get('/sso', api(async (_req, res) => {
    requireIntent(principalOf(res), 'sso', 'certificate_renewal');
    return presentSsoSetup(deps, principalOf(res));
  }));
  portalApi.post('/sso/idp', api(async (req, res) => chooseIdp(deps, principalOf(res), req.body?.idp)));
  portalApi.put('/sso/idp-details', api(async (req, res) => configureIdp(deps, principalOf(res), req.body ?? {})));
  portalApi.post('/sso/certificates', api(async (req, res) => addNextCertificate(deps, principalOf(res), req.body?.certificate)));
  portalApi.post('/sso/test', api(async (req, res) => {
    const oauthBrowser = readCookie(req, OAUTH_BROWSER_COOKIE) ?? null;
    const { location, sessionId, oauthBrowser: binding } = await beginTestSignIn(deps, principalOf(res), { ip: req.ip ?? 'unknown', userAgent: req.get('user-agent') ?? null, oauthBrowser });
    // An OpenID Connect test comes back to /sso/oauth/callback, which checks this browser's binding cookie.
    if (binding) writeOAuthBrowserCookie(res, binding, deps.config.publicUrl);
    return { location, sessionId };
  }));
  portalApi.get('/sso/tests/:id', api(async (req, res) => presentTestSignIn(deps, principalOf(res), String(req.params.id))));
  registerPortalDsyncApi(portalApi, deps);
  portalApi.get('/domains', api(async (_req, res) => presentPortalDomains(deps, principalOf(res))));
  portalApi.post('/domains', api(async (req, res) => addPortalDomain(deps, principalOf(res), req.body?.domain)));
  portalApi.post('/domains/:id/check', api(async (req, res) => checkPortalDomain(deps, principalOf(res), String(req.params.id))));
  portalApi.post('/complete', api(async (_req, res) => completeSetup(deps, principalOf(res))));
  portalApi.use((_req, res) => res.status(404).json({ code: 'not_found', message: 'No such portal endpoint', errors: [] }));
  portalApi.use(portalErrors);
  router.use('/portal/api', portalApi);

  // The IdP's answer to a test sign-in comes back here (the session's redirect URI), then on to the result page.
  router.get('/portal/sso/test-result', (req, res, next) => {
    res.set('Cache-Control', 'no-store');
    resolvePortalSession(deps.db, readPortalCookie(req)).then(async (principal) => {
      if (!principal) return sendLinkRefused(res, 'session');
      const sessionId = await finishTestSignIn(deps, principal, { state: one(req.query.state), code: one(req.query.code) });
      res.redirect(303, `/portal/sso/test/${encodeURIComponent(sessionId)}`);
    }).catch((err) => (err instanceof AppError && err.status === 404 ? sendLinkRefused(res, 'session') : next(err)));
  });

  const page = path.join(clientDist, 'portal.html');
  router.get(['/portal', '/portal/{*splat}'], (_req, res) => {
    if (!fs.existsSync(page)) {
      res.status(503).type('text').send('The Admin Portal is not built. Run `npm start` (it builds), or `pnpm -r build`.');
      return;
    }
    res.set({ 'Cache-Control': 'no-cache', 'Referrer-Policy': 'no-referrer', 'Content-Security-Policy': PORTAL_CSP }).sendFile(page);
  });
  return router;
}
