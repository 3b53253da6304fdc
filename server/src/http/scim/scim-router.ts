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
  // A resource's version is its ETag (RFC 7644 §3.14), which also spares Express hashing the body for one.
  const version = (body as { meta?: { version?: unknown } } | undefined)?.meta?.version;
  if (typeof version === 'string') res.set('ETag', version);
  if (body === undefined) res.send();
  else res.type(CONTENT_TYPE).send(JSON.stringify(body));
}

/** Directory types are WorkOS's fixed list (`okta scim v2.0` …); anything else is counted as `other`. */
function countScimRequest(method: string, status: number, directoryType: string | undefined): void {
  const type = directoryType === undefined ? 'unauthenticated' : /^[a-z0-9 ._-]{1,40}$/.test(directoryType) ? directoryType : 'other';
  scimRequests.inc({ method: /^[A-Z]{3,7}$/.test(method) ? method : 'OTHER', status: String(status), directory_type: type });
}

function sendOne(res: Response, resources: { id: string }[], id: string, kind: string): void {
  const found = resources.find((r) => r.id.toLowerCase() === id.toLowerCase());
  if (found) send(res, 200, found);
  else send(res, 404, new ScimError(404, `${kind} ${id} not found`).toJSON());
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
      const authenticated = await authenticateScim(deps.db, directoryId, readBearerToken(req));
      if (!authenticated) {
        res.set('WWW-Authenticate', 'Bearer realm="Portico SCIM"');
        send(res, 401, new ScimError(401, 'The bearer token is not valid for this directory').toJSON());
        await logScimAuthenticationFailure(deps.db, { directoryId, method: req.method, path: req.path, durationMs: elapsedMs(started) })
          .catch((err) => logger.warn('could not log a SCIM authentication failure', { error: String(err) }));
        return;
      }
      const { directory, customAttributes } = authenticated;
      await scim.markLinked(deps.db, directory);
      res.locals.directory = directory;
      const request = { method: req.method, path: req.path, query: req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '', started, logged: false };
      res.locals.scim = { db: deps.db, directory, customAttributes, baseUrl: scimBaseUrl(deps.config.publicUrl, directory.id), request } satisfies scim.ScimScope;
      const json = res.send.bind(res);
      res.send = (body?: unknown) => {
        // A write that logged itself (with its change, in one statement) is not logged twice.
        if (!request.logged) {
          logScimRequest(deps.db, {
            directoryId: directory.id, method: request.method, path: request.path, query: request.query, status: res.statusCode,
            durationMs: elapsedMs(started), requestBody: req.body, responseBody: typeof body === 'string' ? body : null,
          }).catch((err) => logger.warn('could not log a SCIM request', { error: String(err) }));
        }
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
  router.get('/ResourceTypes/:id', (req, res) => sendOne(res, resourceTypes(base(res)).Resources, String(req.params.id), 'ResourceType'));
  router.get('/Schemas', (_req, res) => send(res, 200, schemas(base(res))));
  router.get('/Schemas/:id', (req, res) => sendOne(res, schemas(base(res)).Resources, String(req.params.id), 'Schema'));
  // Discovery is read-only (RFC 7644 §4): any other method is 405, with what is allowed.
  router.all(['/ServiceProviderConfig', '/ResourceTypes', '/ResourceTypes/:id', '/Schemas', '/Schemas/:id'], (req, res) => {
    res.set('Allow', 'GET, HEAD');
    send(res, 405, new ScimError(405, `${req.method} is not allowed on ${req.path}: discovery endpoints are read-only (GET)`).toJSON());
  });

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
  // RFC 7644 §3.5.2: 200 with the resource, or 204. A group's member list grows large, so it is sent back only when
  // the request asks for it (`attributes` / `excludedAttributes`), as Entra ID recommends; Okta accepts either.
  router.patch('/Groups/:id', handle(async (s, req) => {
    const params = query(req);
    const respond = params.attributes !== undefined || params.excludedAttributes !== undefined;
    const excludeMembers = /\bmembers\b/i.test(params.excludedAttributes ?? '');
    const group = await scim.patchGroupResource(s, String(req.params.id), req.body, respond && !excludeMembers, respond ? 200 : 204);
    if (!respond) return [204];
    if (excludeMembers) delete group.members;
    return [200, group];
  }));
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
