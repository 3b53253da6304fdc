import { createHash, randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { AppDeps } from '../../context';
import { UnauthenticatedError } from '../../errors';
import { authenticateApiKey, type ApiKeyPrincipal } from '../../modules/api-keys/api-keys.service';
import type { AccessScope } from '../../modules/environments/access-scope';
import { readBearerToken } from '../bearer';
import { connectionRoutes } from './connections.routes';
import { directoryRoutes } from './directories.routes';
import { organizationRoutes } from './organizations.routes';
import { restErrorHandler } from './rest-errors';

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
 * `Idempotency-Key` on POST (contract §1.2): the first successful response is stored per environment and
 * replayed for a repeat with the same method, path and body; a repeat with a different request is refused.
 */
function idempotency(deps: AppDeps) {
  return middleware(async (req, res) => {
    const key = req.get('idempotency-key');
    if (req.method !== 'POST' || !key) return;
    const environmentId = principalOf(res).environmentId;
    const fingerprint = createHash('sha256').update(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`).digest('hex');
    const [stored] = (await deps.db.query('SELECT request_fingerprint, status, body FROM idempotency_keys WHERE environment_id = $1 AND key = $2', [environmentId, key])) as {
      request_fingerprint: string; status: number; body: unknown;
    }[];
    if (stored) {
      if (stored.request_fingerprint !== fingerprint) {
        res.status(400).json({ code: 'idempotency_key_reused', message: 'This Idempotency-Key was used with a different request' });
      } else {
        res.status(stored.status).set('Idempotent-Replayed', 'true').json(stored.body);
      }
      return;
    }
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      if (res.statusCode >= 200 && res.statusCode < 300) {
        deps.db
          .query('INSERT INTO idempotency_keys (environment_id, key, request_fingerprint, status, body) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [
            environmentId, key, fingerprint, res.statusCode, JSON.stringify(body),
          ])
          .catch(() => undefined);
      }
      return json(body);
    };
  });
}

/** The WorkOS-compatible REST resources at the root, authenticated by API key. */
export function restRouter(deps: AppDeps): express.Router {
  const router = express.Router();
  // The SDK sends `Content-Type: application/json` even on GET and DELETE with no body.
  const json = express.json({ limit: '1mb', type: ['application/json', 'application/*+json'] });
  const protectedApi = [requestId, json, requireApiKey(deps), idempotency(deps)];
  const organizations = organizationRoutes(deps);
  router.use('/organizations', ...protectedApi, organizations);
  router.use('/organization_domains', ...protectedApi, organizations.domains);
  router.use('/connections', ...protectedApi, connectionRoutes(deps));
  const directorySync = directoryRoutes(deps);
  router.use('/directories', ...protectedApi, directorySync.directories);
  router.use('/directory_users', ...protectedApi, directorySync.users);
  router.use('/directory_groups', ...protectedApi, directorySync.groups);
  router.use('/events', ...protectedApi, directorySync.events);
  router.use(['/organizations', '/organization_domains', '/connections', '/directories', '/directory_users', '/directory_groups', '/events'], restErrorHandler);
  return router;
}
