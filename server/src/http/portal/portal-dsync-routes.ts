import type express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { AppDeps } from '../../context';
import type { PortalPrincipal } from '../../modules/admin-portal/portal-links.service';
import { chooseDirectoryProvider, mapPortalCustomAttribute, presentDsyncSetup, rotatePortalDirectoryToken } from '../../modules/admin-portal/portal-dsync.service';

const principalOf = (res: Response) => res.locals.portal as PortalPrincipal;

const api = (handler: (req: Request, res: Response) => Promise<unknown>) => (req: Request, res: Response, next: NextFunction) => {
  handler(req, res).then((body) => { if (!res.headersSent) res.set('Cache-Control', 'no-store').json(body); }, next);
};

/**
 * The Directory Sync intent's part of the portal API, mounted on the portal router after its session and JSON checks
 * (the portal cookie is the only credential; the directory is always the session's organization's, never one named
 * in the request). The setup's token is in the answers of `provider` (first time) and `token` only.
 */
export function registerPortalDsyncApi(portalApi: express.Router, deps: AppDeps): void {
  portalApi.get('/dsync', api(async (_req, res) => presentDsyncSetup(deps, principalOf(res))));
  portalApi.post('/dsync/provider', api(async (req, res) => chooseDirectoryProvider(deps, principalOf(res), req.body?.provider)));
  portalApi.post('/dsync/token', api(async (_req, res) => rotatePortalDirectoryToken(deps, principalOf(res))));
  portalApi.put('/dsync/attributes/:id', api(async (req, res) => mapPortalCustomAttribute(deps, principalOf(res), String(req.params.id), req.body?.path === undefined ? null : req.body.path)));
}
