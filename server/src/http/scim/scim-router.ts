import express, { type NextFunction, type Request, type Response } from 'express';
import type { AppDeps } from '../../context';
import { logger } from '../../lib/logger';
import { scimRequests } from '../../lib/metrics';
import { authenticateScim, scimBaseUrl } from '../../modules/directories/directories.service';
import { ScimError } from '../../modules/directories/scim-error';
import * as scim from '../../modules/directories/scim.service';
import { logScimAuthenticationFailure, logScimRequest } from '../../modules/directories/scim-log.service';
import { uniqueViolation } from '../../db/unique-violation';
import { readBearerToken } from '../bearer';
import { edgeErrorHandler } from '../edge/error-handler';
import { resourceTypes, schemas, serviceProviderConfig } from './discovery';

const CONTENT_TYPE = 'application/scim+json; charset=utf-8';

function send(res: Response, status: number, body?: unknown): void {
  res.status(status);
  if (body === undefined) res.send();
  else res.type(CONTENT_TYPE).send(JSON.stringify(body));
}

/** Directory types are WorkOS's fixed list (`okta scim v2.0` …); anything else is counted as `other`. */
function countScimRequest(method: string, status: number, directoryType: string | undefined): void {
  const type = directoryType === undefined ? 'unauthenticated' : /^[a-z0-9 ._-]{1,40}$/.test(directoryType) ? directoryType : 'other';
  scimRequests.inc({ method: /^[A-Z]{3,7}$/.test(method) ? method : 'OTHER', status: String(status), directory_type: type });
}

const elapsedMs = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;

/**
 * SCIM 2.0 at `/scim/v2/:directoryId` (RFC 7644), authenticated by the directory's bearer token. Every request is
 * logged for the dashboard (method, path, status, time; bodies only when it failed, passwords redacted).
 */
export function scimRouter(deps: AppDeps): express.Router {
  // Bodies are parsed (2 MB at most) and checked at the edge (http/edge) before this router.
  const router = express.Router({ mergeParams: true });

  router.use(async (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => countScimRequest(req.method, res.statusCode, (res.locals.directory as { type?: string } | undefined)?.type));
    try {
      const directoryId = String(req.params.directoryId);
      const directory = await authenticateScim(deps.db, directoryId, readBearerToken(req));
      if (!directory) {
        res.set('WWW-Authenticate', 'Bearer realm="Portico SCIM"');
        send(res, 401, new ScimError(401, 'The bearer token is not valid for this directory').toJSON());
        await logScimAuthenticationFailure(deps.db, { directoryId, method: req.method, path: req.path, durationMs: elapsedMs(started) })
          .catch((err) => logger.warn('could not log a SCIM authentication failure', { error: String(err) }));
        return;
      }
      await scim.markLinked(deps.db, directory);
      res.locals.directory = directory;
      res.locals.scim = { db: deps.db, directory, baseUrl: scimBaseUrl(deps.config.publicUrl, directory.id) } satisfies scim.ScimScope;
      const json = res.send.bind(res);
      res.send = (body?: unknown) => {
        logScimRequest(deps.db, {
          directoryId: directory.id, method: req.method, path: req.path, query: req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '', status: res.statusCode,
          durationMs: elapsedMs(started), requestBody: req.body, responseBody: typeof body === 'string' ? body : null,
        }).catch((err) => logger.warn('could not log a SCIM request', { error: String(err) }));
        return json(body);
      };
      next();
    } catch (err) {
      next(err);
    }
  });

  const handle = (work: (s: scim.ScimScope, req: Request) => Promise<[number, unknown?]>) => (req: Request, res: Response, next: NextFunction) => {
    work(res.locals.scim as scim.ScimScope, req).then(([status, body]) => send(res, status, body), next);
  };
  const query = (req: Request) => Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, Array.isArray(v) ? String(v[0]) : typeof v === 'string' ? v : undefined])) as Record<string, string | undefined>;
  const base = (res: Response) => (res.locals.scim as scim.ScimScope).baseUrl;

  router.get('/ServiceProviderConfig', (_req, res) => send(res, 200, serviceProviderConfig(base(res))));
  router.get('/ResourceTypes', (_req, res) => send(res, 200, resourceTypes(base(res))));
  router.get('/Schemas', (_req, res) => send(res, 200, schemas(base(res))));

  router.get('/Users', handle(async (s, req) => [200, await scim.listUsers(s, query(req))]));
  router.post('/Users', handle(async (s, req) => [201, await scim.createUser(s, req.body)]));
  router.get('/Users/:id', handle(async (s, req) => [200, await scim.getUser(s, String(req.params.id))]));
  router.put('/Users/:id', handle(async (s, req) => [200, await scim.replaceUser(s, String(req.params.id), req.body)]));
  router.patch('/Users/:id', handle(async (s, req) => [200, await scim.patchUserResource(s, String(req.params.id), req.body)]));
  router.delete('/Users/:id', handle(async (s, req) => {
    await scim.deleteUser(s, String(req.params.id));
    return [204];
  }));

  router.get('/Groups', handle(async (s, req) => [200, await scim.listGroups(s, query(req))]));
  router.post('/Groups', handle(async (s, req) => [201, await scim.createGroup(s, req.body)]));
  router.get('/Groups/:id', handle(async (s, req) => [200, await scim.getGroup(s, String(req.params.id), /\bmembers\b/i.test(query(req).excludedAttributes ?? ''))]));
  router.put('/Groups/:id', handle(async (s, req) => [200, await scim.replaceGroup(s, String(req.params.id), req.body)]));
  router.patch('/Groups/:id', handle(async (s, req) => [200, await scim.patchGroupResource(s, String(req.params.id), req.body)]));
  router.delete('/Groups/:id', handle(async (s, req) => {
    await scim.deleteGroup(s, String(req.params.id));
    return [204];
  }));

  router.use((_req: Request, res: Response) => send(res, 404, new ScimError(404, 'No such SCIM endpoint').toJSON()));
  router.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (err instanceof ScimError) return send(res, err.status, err.toJSON());
    if (uniqueViolation(err)) return send(res, 409, new ScimError(409, 'This conflicts with a resource another request has just created', 'uniqueness').toJSON());
    return edgeErrorHandler(err, req, res, next);
  });
  return router;
}
