import type { DataSource } from 'typeorm';
import type { Role } from '@portico/shared';
import { DASHBOARD_BASE } from '@portico/shared';
import { logger } from '../../lib/logger';
import type { Mailer } from '../email/mailer';
import type { NotificationSettings } from '../users/user.entity';
import { POLICY, type Permission } from '../workspace/permissions';

export interface NotificationDeps {
  db: DataSource;
  mailer: Mailer;
  publicUrl: string;
}

export interface Notice {
  environmentId: string;
  /** The user setting that must be on (User Settings → Email notifications). */
  setting: keyof NotificationSettings;
  /** Only members whose role has this permission in the workspace get it. */
  permission: Permission;
  /** The same key is sent to a person once, however often the cause is seen. */
  key: string;
  /** What the notice is about (connection, directory, endpoint ID), for rate limits. */
  subjectId: string;
  subject: string;
  lines: string[];
  /** The dashboard path of the page that shows the cause. */
  path: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/**
 * Emails a notice to the members of the environment's workspace whose role may see its cause and who have its
 * setting on; each person at most once per key (the claim row and the send are one step: a failed send frees it).
 */
export async function sendNotice(deps: NotificationDeps, notice: Notice): Promise<number> {
  const roles = POLICY[notice.permission] as readonly Role[];
  const recipients: Array<{ user_id: string; email: string; workspace_id: string; environment: string; workspace: string }> = await deps.db.query(
    `SELECT u.id AS user_id, u.email, w.id AS workspace_id, env.name AS environment, w.name AS workspace
     FROM environments env JOIN workspaces w ON w.id = env.workspace_id JOIN members m ON m.workspace_id = w.id JOIN dashboard_users u ON u.id = m.user_id
     WHERE env.id = $1 AND m.role = ANY($2) AND COALESCE((u.notification_settings ->> $3)::boolean, true)`,
    [notice.environmentId, roles, notice.setting],
  );
  const link = `${deps.publicUrl}${DASHBOARD_BASE}${notice.path}`;
  let sent = 0;
  for (const r of recipients) {
    const claimed = await deps.db.query('INSERT INTO notifications_sent (key, user_id, subject_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1', [notice.key, r.user_id, notice.subjectId]);
    if (!claimed.length) continue;
    const lines = [...notice.lines, '', `See what happened: ${link}`, '', `${r.workspace} · ${r.environment}. Change which emails you get in Portico → User Settings.`];
    try {
      await deps.mailer.send({
        workspaceId: r.workspace_id, to: r.email, subject: notice.subject, text: lines.join('\n'),
        html: `${notice.lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}<p><a href="${escapeHtml(link)}">See what happened</a></p><p style="color:#666">${escapeHtml(r.workspace)} · ${escapeHtml(r.environment)}. Change which emails you get in Portico → User Settings.</p>`,
      });
      sent += 1;
    } catch (err) {
      await deps.db.query('DELETE FROM notifications_sent WHERE key = $1 AND user_id = $2', [notice.key, r.user_id]);
      logger.warn('notification email failed', { key: notice.key, error: String(err) });
      throw err;
    }
  }
  return sent;
}
