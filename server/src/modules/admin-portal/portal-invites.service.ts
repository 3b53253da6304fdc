import type { DataSource } from 'typeorm';
import { isValidEmail, normalizeEmail } from '@portico/shared';
import type { Config } from '../../config';
import { AppError, ValidationError } from '../../errors';
import { logger } from '../../lib/logger';
import type { Mailer } from '../email/mailer';
import { portalInviteEmail } from '../email/templates';
import type { AccessScope } from '../environments/access-scope';
import { getOrganization } from '../organizations/organizations.service';
import { recordPortalAction } from './portal-actions.service';
import { createPortalLink, INVITE_LINK_TTL_MS, portalLinkUrl } from './portal-links.service';

export interface PortalLinkRow {
  id: string;
  intent: string;
  status: 'ACTIVE' | 'EXPIRED' | 'REVOKED' | 'COMPLETED';
  sentTo: string | null;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date;
  openedAt: Date | null;
}

interface Row { id: string; intent: string; admin_emails: string[]; created_by: string | null; created_at: Date; expires_at: Date; opened_at: Date | null; revoked_at: Date | null; completed_at: Date | null }

const toRow = (r: Row, now = Date.now()): PortalLinkRow => ({
  id: r.id, intent: r.intent, sentTo: r.admin_emails[0] ?? null, createdBy: r.created_by, createdAt: new Date(r.created_at), expiresAt: new Date(r.expires_at), openedAt: r.opened_at ? new Date(r.opened_at) : null,
  status: r.revoked_at ? 'REVOKED' : r.completed_at ? 'COMPLETED' : new Date(r.expires_at).getTime() <= now ? 'EXPIRED' : 'ACTIVE',
});

/** The dashboard's setup links (invites) of an organization, newest first. */
export async function listPortalInvites(db: DataSource, scope: AccessScope, organizationId: string): Promise<PortalLinkRow[]> {
  await getOrganization(db, scope, organizationId); // tenancy: NotFound outside the caller's scope
  const rows = (await db.query(
    `SELECT id, intent, admin_emails, created_by, created_at, expires_at, opened_at, revoked_at, completed_at FROM portal_links
      WHERE organization_id = $1 AND kind = 'invite' ORDER BY created_at DESC LIMIT 20`,
    [organizationId],
  )) as Row[];
  return rows.map((r) => toRow(r));
}

/**
 * "Invite IT admin": a 30-day setup link for one intent, replacing the organization's live one for that intent, and
 * emailed when an address is given (reply-to: the team's support email; the dev outbox without SMTP).
 */
export async function invitePortalAdmin(deps: { db: DataSource; config: Config; mailer: Mailer }, scope: AccessScope, input: { organizationId: string; intent: string; email: string | null; actor: string | null }) {
  const email = input.email?.trim() ? normalizeEmail(input.email) : null;
  if (email !== null && !isValidEmail(email)) throw ValidationError.field('email', 'invalid_email', 'Enter the IT admin’s email address, like it@example.com.');
  const created = await createPortalLink(deps.db, scope, { kind: 'invite', organizationId: input.organizationId, intent: input.intent, adminEmails: email ? [email] : [], createdBy: input.actor });
  const link = portalLinkUrl(deps.config.publicUrl, created.token);
  if (email) {
    const [team] = (await deps.db.query('SELECT w.id, w.name, w.support_email FROM environments e JOIN workspaces w ON w.id = e.workspace_id WHERE e.id = $1', [created.organization.environmentId])) as { id: string; name: string; support_email: string | null }[];
    const message = portalInviteEmail({ team: team?.name ?? 'The application team', organization: created.organization.name, intent: created.intent, link, days: INVITE_LINK_TTL_MS / 86_400_000, supportEmail: team?.support_email ?? null });
    try {
      // The team's dev outbox shows it when there is no SMTP.
      await deps.mailer.send({ workspaceId: team?.id ?? null, to: email, replyTo: team?.support_email ?? undefined, ...message });
    } catch (err) {
      logger.error('portal invite email failed', { linkId: created.id, error: String(err) });
      throw new AppError({ code: 'INTERNAL_SERVER_ERROR', status: 502, message: 'The setup link was created but the email could not be sent. Copy the link and send it yourself, or check SMTP.' });
    }
    await recordPortalAction(deps.db, { organizationId: created.organization.id, linkId: created.id, intent: created.intent, action: 'invite_emailed', actor: input.actor, detail: { to: email } });
  }
  const [row] = (await deps.db.query('SELECT id, intent, admin_emails, created_by, created_at, expires_at, opened_at, revoked_at, completed_at FROM portal_links WHERE id = $1', [created.id])) as Row[];
  return { link, row: toRow(row!) };
}
