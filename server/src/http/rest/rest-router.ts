import { createHash, randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { AppDeps } from '../../context';
import { UnauthenticatedError } from '../../errors';
import { authenticateApiKey, type ApiKeyPrincipal } from '../../modules/api-keys/api-keys.service';
import { refuseUnlessScopeAllows } from '../../modules/api-keys/api-key-scopes';
import type { AccessScope } from '../../modules/environments/access-scope';
import type { Permission } from '../../modules/workspace/permissions';
import { readBearerToken } from '../bearer';
import { refusePrototypeKeys } from '../prototype-keys';
import { connectionRoutes } from './connections.routes';
import { directoryRoutes } from './directories.routes';
import { organizationRoutes } from './organizations.routes';
import { portalLinkRoutes } from './portal.routes';
import { restErrorHandler } from './rest-errors';
import { webhookEndpointRoutes } from './webhook-endpoints.routes';

/** The API key behind a REST request, put there by `requireApiKey`. */
export function principalOf(res: Response): ApiKeyPrincipal {
  return res.locals.apiKey as ApiKeyPrincipal;
}

export function scopeOfRequest(res: Response): AccessScope {
  return { kind: 'environment', environmentId: principalOf(res).environmentId };
}

/** Every response gets an X-Request-ID (the SDK reports it as `requestID`); a caller's own ID is kept. */
export function requestId(req: Request, res: Response, next: NextFunction): void {
  const given = req.get('x-request-id');
  res.set('X-Request-ID', given && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID());
  next();
}

/** Wraps an async route so its rejection reaches the error handler. */
export const route = (handler: (req: Request, res: Response) => Promise<unknown>) => (req: Request, res: Response, next: NextFunction) => {
  handler(req, res).catch(next);
};

/** An async middleware: continues unless it answered, and passes a rejection to the error handler. */
export const middleware = (handler: (req: Request, res: Response) => Promise<unknown>) => (req: Request, res: Response, next: NextFunction) => {
  handler(req, res).then(() => (res.headersSent ? undefined : next()), next);
};

function requireApiKey(deps: AppDeps) {
  return middleware(async (req, res) => {
    const token = readBearerToken(req);
    const principal = token ? await authenticateApiKey(deps.db, token) : null;
    if (!principal) throw new UnauthenticatedError();
    res.locals.apiKey = principal;
  });
}

/**
 * What a resource family needs of a key's scope, the same permission its GraphQL operations check: a change
 * (anything but GET/HEAD) needs the scope that may change it, a read the scope that may read it. So no key does
 * over REST what GraphQL refuses it (webhook endpoints, which steer the environment's events, are FULL_ENVIRONMENT).
 */
const refuseOutsideScope = (permission: Permission) => (req: Request, res: Response, next: NextFunction) => {
  try {
    refuseUnlessScopeAllows(principalOf(res).scope, permission, req.method !== 'GET' && req.method !== 'HEAD');
    next();
  } catch (err) {
    next(err);
  }
};

const storedBodyContext = (environmentId: string, key: string) => `idempotency_key:${environmentId}:${key}:body`;

/** A response as idempotency_keys keeps it: `{ "sealed": "v1.…" }`, the JSON sealed with PORTICO_SECRET_KEY. */
function sealStoredBody(deps: AppDeps, environmentId: string, key: string, body: unknown): { sealed: string } {
  return { sealed: deps.secrets.seal(JSON.stringify(body ?? null), storedBodyContext(environmentId, key)) };
}

function openStoredBody(deps: AppDeps, environmentId: string, key: string, stored: unknown): unknown {
  const sealed = (stored as { sealed?: unknown } | null)?.sealed;
  // Rows stored before bodies were sealed (kept 24 hours) are replayed as they are.
  return typeof sealed === 'string' ? JSON.parse(deps.secrets.open(sealed, storedBodyContext(environmentId, key))) : stored;
}

/**
 * `Idempotency-Key` on POST (contract §1.2). The key is claimed before the request runs, so two concurrent requests
 * with it can't both create something: the second gets 409 (retry) while the first runs, then the stored first
 * response. A repeat with a different request is refused; a failed request frees the key for a retry.
 *
 * The stored response can carry a secret shown once (a webhook endpoint's signing secret), so it is sealed at rest
 * like every other secret, and it is replayed only to the API key that made the request: another key of the
 * environment sending the same Idempotency-Key and body is told the key was used with a different request.
 */
function idempotency(deps: AppDeps) {
  return middleware(async (req, res) => {
    const key = req.get('idempotency-key');
    if (req.method !== 'POST' || !key) return;
    const { environmentId, apiKeyId } = principalOf(res);
    const fingerprint = createHash('sha256').update(`${apiKeyId}\n${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`).digest('hex');
    // An in-progress claim older than a minute belongs to a request that died: it no longer holds the key.
    await deps.db.query(`DELETE FROM idempotency_keys WHERE environment_id = $1 AND key = $2 AND status = 0 AND created_at < now() - interval '1 minute'`, [environmentId, key]);
    const claimed = (await deps.db.query(
      `INSERT INTO idempotency_keys (environment_id, key, request_fingerprint, status, body) VALUES ($1, $2, $3, 0, 'null') ON CONFLICT DO NOTHING RETURNING key`,
      [environmentId, key, fingerprint],
    )) as unknown[];
    if (!claimed.length) {
      const [stored] = (await deps.db.query('SELECT request_fingerprint, status, body FROM idempotency_keys WHERE environment_id = $1 AND key = $2', [environmentId, key])) as {
        request_fingerprint: string; status: number; body: unknown;
      }[];
      if (!stored) throw new Error('idempotency key vanished'); // freed between the two statements: the client retries
      if (stored.request_fingerprint !== fingerprint) res.status(400).json({ code: 'idempotency_key_reused', message: 'This Idempotency-Key was used with a different request' });
      else if (stored.status === 0) res.status(409).set('Retry-After', '1').json({ code: 'idempotency_key_in_progress', message: 'A request with this Idempotency-Key is still running; retry shortly' });
      else res.status(stored.status).set('Idempotent-Replayed', 'true').json(openStoredBody(deps, environmentId, key, stored.body));
      return;
    }
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      const done = res.statusCode >= 200 && res.statusCode < 300
        ? deps.db.query('UPDATE idempotency_keys SET status = $3, body = $4 WHERE environment_id = $1 AND key = $2', [environmentId, key, res.statusCode, JSON.stringify(sealStoredBody(deps, environmentId, key, body))])
        : deps.db.query('DELETE FROM idempotency_keys WHERE environment_id = $1 AND key = $2', [environmentId, key]);
      done.catch(() => undefined);
      return json(body);
    };
  });
}

/** The WorkOS-compatible REST resources at the root, authenticated by API key. */
export function restRouter(deps: AppDeps): express.Router {
  const router = express.Router();
  // Bodies are parsed (1 MB at most) and checked at the edge (http/edge) before this router.
  const protectedApi = (permission: Permission) => [requestId, requireApiKey(deps), refuseOutsideScope(permission), refusePrototypeKeys, idempotency(deps)];
  const sso = protectedApi('organizations:manage');
  const organizations = organizationRoutes(deps);
  router.use('/organizations', ...sso, organizations);
  router.use('/organization_domains', ...sso, organizations.domains);
  router.use('/connections', ...sso, connectionRoutes(deps));
  const directorySync = directoryRoutes(deps);
  router.use('/directories', ...sso, directorySync.directories);
  router.use('/directory_users', ...sso, directorySync.users);
  router.use('/directory_groups', ...sso, directorySync.groups);
  router.use('/events', ...sso, directorySync.events);
  router.use('/webhook_endpoints', ...protectedApi('environment:configure'), webhookEndpointRoutes(deps));
  router.use('/portal/generate_link', ...sso, portalLinkRoutes(deps));
  router.use(['/portal/generate_link', '/organizations', '/organization_domains', '/connections', '/directories', '/directory_users', '/directory_groups', '/events', '/webhook_endpoints'], restErrorHandler);
  return router;
}
