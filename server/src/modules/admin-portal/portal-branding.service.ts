import type { DataSource } from 'typeorm';
import { hashToken } from '../../lib/tokens';
import { getAdminPortalSettings } from '../configuration/configuration.service';

/** What a portal page shows of the team behind it: Configuration → Admin Portal, and the workspace's support email. */
export interface PortalBranding {
  name: string;
  logoUrl: string | null;
  brandColor: string | null;
  supportEmail: string | null;
}

/**
 * The branding of the environment a link token belongs to, for the page that refuses the link (expired, used,
 * revoked, completed): the admin still sees whose portal it is and whom to ask. Null for a token Portico never issued.
 */
export async function portalBrandingOfLinkToken(db: DataSource, token: string): Promise<PortalBranding | null> {
  // tenancy: the environment is the link's own; nothing else about the link or its organization is read
  const [row] = (await db.query(
    `SELECT l.environment_id, w.name AS team_name, w.support_email
       FROM portal_links l JOIN environments e ON e.id = l.environment_id JOIN workspaces w ON w.id = e.workspace_id
      WHERE l.token_hash = $1`,
    [hashToken(token)],
  )) as { environment_id: string; team_name: string; support_email: string | null }[];
  if (!row) return null;
  const settings = await getAdminPortalSettings(db, row.environment_id);
  return { name: settings.displayName ?? row.team_name, logoUrl: settings.logoUrl, brandColor: settings.brandColor, supportEmail: row.support_email };
}
