import type { AppDeps } from '../../context';
import { ValidationError } from '../../errors';
import { getAdminPortalSettings } from '../configuration/configuration.service';
import { connectionsQuery } from '../connections/connections.service';
import { requireDirectoryProvisioned } from './portal-dsync.service';
import { completePortalSetup, type PortalPrincipal } from './portal-links.service';
import { requireVerifiedDomain } from './portal-domains.service';

/**
 * What every portal page shows: who it is for, the environment's branding (Configuration → Admin Portal), the
 * team's support email, and where "Return to app" and a completed setup go (the link's URLs, else the redirect link).
 */
export async function portalContext(deps: AppDeps, p: PortalPrincipal) {
  // tenancy: organization and workspace reached through the portal session's environment only
  const [row] = (await deps.db.query(
    `SELECT o.name AS organization_name, w.name AS team_name, w.support_email
       FROM organizations o JOIN environments e ON e.id = o.environment_id JOIN workspaces w ON w.id = e.workspace_id
      WHERE o.id = $1 AND o.environment_id = $2`,
    [p.organizationId, p.environmentId],
  )) as { organization_name: string; team_name: string; support_email: string | null }[];
  const settings = await getAdminPortalSettings(deps.db, p.environmentId);
  return {
    organization: { id: p.organizationId, name: row?.organization_name ?? '' },
    intent: p.intent,
    expiresAt: p.expiresAt.toISOString(),
    branding: { name: settings.displayName ?? row?.team_name ?? 'Portico', logoUrl: settings.logoUrl, brandColor: settings.brandColor },
    supportEmail: row?.support_email ?? null,
    returnUrl: p.returnUrl ?? settings.redirectUrl,
    successUrl: p.successUrl ?? p.returnUrl ?? settings.redirectUrl,
  };
}

/** Marks the step done: for SSO only once a test sign-in has made the connection active; for Directory Sync once users have arrived. */
export async function completeSetup(deps: AppDeps, p: PortalPrincipal) {
  if (p.intent === 'sso') {
    // tenancy: the portal's environment and organization
    const active = await connectionsQuery(deps.db, { kind: 'environment', environmentId: p.environmentId }, { organizationId: p.organizationId }).andWhere("conn.state = 'active'").getCount();
    if (!active) throw ValidationError.field('connection', 'not_tested', 'Run a successful test sign-in first: it proves the connection works and turns it on.');
  }
  if (p.intent === 'dsync') await requireDirectoryProvisioned(deps, p);
  if (p.intent === 'domain_verification') await requireVerifiedDomain(deps, p);
  await completePortalSetup(deps.db, p);
  const { successUrl } = await portalContext(deps, p);
  return { completed: true, redirectUrl: successUrl };
}
