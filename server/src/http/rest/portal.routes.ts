import express from 'express';
import type { AppDeps } from '../../context';
import { createPortalLink, portalLinkUrl } from '../../modules/admin-portal/portal-links.service';
import { principalOf, route, scopeOfRequest } from './rest-router';

/** `POST /portal/generate_link` (contract §5.1): a single-use link, to be opened within 5 minutes. */
export function portalLinkRoutes(deps: AppDeps) {
  const router = express.Router();
  router.post('/', route(async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const link = await createPortalLink(deps.db, scopeOfRequest(res), {
      kind: 'api', intent: body.intent, organizationId: body.organization, returnUrl: body.return_url, successUrl: body.success_url, adminEmails: body.admin_emails,
      createdBy: principalOf(res).apiKeyId,
    });
    res.status(201).json({ link: portalLinkUrl(deps.config.publicUrl, link.token) });
  }));
  return router;
}
