import type { DataSource, EntityManager } from 'typeorm';
import type { AccessScope } from '../environments/access-scope';
import { getOrganization } from '../organizations/organizations.service';

/** What the organization's page shows of the portal: each step, who took it and when. */
export type PortalAction =
  | 'link_generated' | 'invite_created' | 'invite_emailed' | 'link_opened' | 'link_revoked'
  | 'connection_created' | 'connection_configured' | 'test_sign_in_started' | 'test_sign_in_succeeded' | 'test_sign_in_failed'
  | 'directory_created' | 'directory_provider_changed' | 'directory_token_rotated' | 'attribute_mapped'
  | 'domain_added' | 'domain_verified' | 'domain_verification_failed'
  | 'setup_completed';

export interface PortalActionInput {
  organizationId: string;
  linkId: string | null;
  intent: string;
  action: PortalAction;
  /** Who: a dashboard user ID, an API key ID, or the IT admin's email when the link named one; null when unknown. */
  actor: string | null;
  detail?: Record<string, unknown>;
}

/** Written in the caller's transaction, beside the change it describes. */
export async function recordPortalAction(m: EntityManager | DataSource, a: PortalActionInput): Promise<void> {
  await m.query('INSERT INTO portal_actions (organization_id, link_id, intent, action, actor, detail) VALUES ($1, $2, $3, $4, $5, $6)', [
    a.organizationId, a.linkId, a.intent, a.action, a.actor, JSON.stringify(a.detail ?? {}),
  ]);
}

export interface PortalActionRow {
  id: string;
  intent: string;
  action: PortalAction;
  actor: string | null;
  detail: Record<string, unknown>;
  createdAt: Date;
}

/** The latest 100 portal actions of an organization, newest first. */
export async function listPortalActions(db: DataSource, scope: AccessScope, organizationId: string): Promise<PortalActionRow[]> {
  await getOrganization(db, scope, organizationId); // tenancy: NotFound outside the caller's scope
  const rows = (await db.query(
    'SELECT id, intent, action, actor, detail, created_at FROM portal_actions WHERE organization_id = $1 ORDER BY created_at DESC, id DESC LIMIT 100',
    [organizationId],
  )) as { id: string; intent: string; action: PortalAction; actor: string | null; detail: Record<string, unknown>; created_at: Date }[];
  return rows.map((r) => ({ id: String(r.id), intent: r.intent, action: r.action, actor: r.actor, detail: r.detail, createdAt: new Date(r.created_at) }));
}
