import fs from 'node:fs';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError } from 'graphql';
import { readBearerToken } from './http/bearer';
import { restRouter } from './http/rest/rest-router';
import { ssoRouter } from './http/sso/sso-router';
import { portalRouter } from './http/portal/portal-router';
import { testIdpRouter } from './http/test-idp/test-idp-router';
import { scimRouter } from './http/scim/scim-router';
import { complianceRouter } from './modules/compliance/compliance';
import { authenticateApiKey } from './modules/api-keys/api-keys.service';
import type { AppDeps, Context } from './context';
import { buildContext } from './context';
import { formatError } from './graphql/format-error';
import { complexityLimitPlugin, depthLimitRule } from './graphql/limits';
import { operationTypePlugin } from './graphql/operation-type';
import { safeStringsRule } from './graphql/safe-strings-rule';
import { parseRequestBodies } from './http/edge/body-parsers';
import { edgeErrorHandler } from './http/edge/error-handler';
import { refuseDeepDocuments } from './http/edge/graphql-document-guard';
import { refuseUnsafeBody, refuseUnsafeUrl } from './http/edge/text-guard';
import { getSchema } from './graphql/schema';
import { metricsPlugin } from './graphql/metrics-plugin';
import type { Lifecycle } from './http/ops/lifecycle';
import { opsRouter } from './http/ops/ops-router';
import { requestMetrics } from './http/ops/request-metrics';
import { readSessionCookie } from './modules/accounts/session-cookie';
import { resolveViewer } from './modules/accounts/sessions.service';
import type { DatabaseKind } from './db/database';
import { DASHBOARD_BASE } from '@portico/shared';

const MAX_DOCUMENT_TOKENS = 10_000;

export const CLIENT_DIST = path.resolve(__dirname, '../../client/dist');

export interface App {
  express: express.Express;
  apollo: ApolloServer<Context>;
}


/** `Server-Timing: app;dur=<ms>` on every response: browsers' devtools and the benchmarks read the server's own time. */
function serverTiming(_req: express.Request, res: express.Response, next: express.NextFunction): void {
  const started = process.hrtime.bigint();
  const writeHead = res.writeHead;
  res.writeHead = function (this: express.Response, ...args: Parameters<typeof writeHead>) {
    if (!this.headersSent) this.setHeader('Server-Timing', `app;dur=${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(2)}`);
    return writeHead.apply(this, args);
  } as typeof writeHead;
  next();
}

/**
 * The dashboard's policy, sent with every response (pages that need less, like the SSO error page, send a stricter
 * one). Scripts and styles only from Portico's own files (the theme is applied by /dashboard/theme.js, not an inline
 * script; React sets styles through the CSSOM, which style-src does not govern); the favicon is a data: URI; nothing
 * embeds Portico, and no <base> or plugin can redirect what the page loads.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'", "connect-src 'self'",
  "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'",
].join('; ');

function securityHeaders(_req: express.Request, res: express.Response, next: express.NextFunction): void {
  res.set({
    'Content-Security-Policy': DASHBOARD_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
  });
  next();
}

/** One Express app: health, GraphQL, and the dashboard SPA; later: WorkOS REST, SAML and SCIM. */
export async function createApp(deps: AppDeps & { databaseKind: DatabaseKind; clientDist?: string; lifecycle?: Lifecycle }): Promise<App> {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  app.use(requestMetrics, serverTiming);
  const instanceId = deps.config.instanceId;
  // Which replica answered, for operators behind a load balancer (PORTICO_INSTANCE_ID); no header unless asked.
  if (instanceId) {
    app.use((_req, res, next) => {
      res.set('X-Portico-Instance', instanceId);
      next();
    });
  }
  app.use(securityHeaders);
  // The edge, before every router: the URL's text, then the body (parsed here, with its limit), then the body's text.
  app.use(refuseUnsafeUrl, parseRequestBodies, refuseUnsafeBody);

  app.use(opsRouter(deps));

  const apollo = new ApolloServer<Context>({
    schema: getSchema(),
    csrfPrevention: true,
    stopOnTerminationSignals: false, // main.ts stops HTTP, GraphQL and the database in order
    introspection: true,
    includeStacktraceInErrorResponses: false,
    validationRules: [depthLimitRule, safeStringsRule],
    // A document is a few hundred tokens; this bounds the parse and every validation rule's work.
    parseOptions: { maxTokens: MAX_DOCUMENT_TOKENS },
    plugins: [operationTypePlugin, complexityLimitPlugin, metricsPlugin],
    formatError,
  });
  await apollo.start();
  app.use(
    '/graphql',
    refuseDeepDocuments,
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const bearer = readBearerToken(req);
        if (bearer !== null) {
          // A bearer token is an API call: no cookie fallback, and a bad key is refused outright.
          const apiKey = await authenticateApiKey(deps.db, bearer);
          if (!apiKey) throw new GraphQLError('Invalid or revoked API key', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
          return buildContext(deps, req, res, null, apiKey);
        }
        return buildContext(deps, req, res, await resolveViewer(deps.db, readSessionCookie(req)));
      },
    }),
  );

  app.use(ssoRouter(deps));
  app.use(testIdpRouter(deps));
  app.use('/scim/v2/:directoryId', scimRouter(deps));
  app.use(complianceRouter(deps));
  app.use(restRouter(deps));
  app.use(portalRouter(deps, deps.clientDist ?? CLIENT_DIST));
  mountDashboard(app, deps.clientDist ?? CLIENT_DIST);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'No such endpoint' });
  });
  app.use(edgeErrorHandler);
  return { express: app, apollo };
}

function mountDashboard(app: express.Express, clientDist: string): void {
  app.get('/', (_req, res) => res.redirect(DASHBOARD_BASE));
  const index = path.join(clientDist, 'index.html');
  if (!fs.existsSync(index)) {
    app.get(`${DASHBOARD_BASE}{/*splat}`, (_req, res) => {
      res.status(503).type('text').send('The dashboard is not built. Run `npm start` (it builds), or `pnpm -r build`.');
    });
    return;
  }
  app.use(`${DASHBOARD_BASE}/assets`, express.static(path.join(clientDist, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
  app.use(DASHBOARD_BASE, express.static(clientDist, { index: false }));
  app.get(`${DASHBOARD_BASE}{/*splat}`, (_req, res) => {
    res.set('Cache-Control', 'no-cache').sendFile(index);
  });
}
