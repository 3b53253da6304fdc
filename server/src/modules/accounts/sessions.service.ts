import type { DataSource, EntityManager } from 'typeorm';
import type { Context, Viewer } from '../../context';
import { hashToken, newSecretToken } from '../../lib/tokens';
import { MemberEntity } from '../members/member.entity';
import { UserEntity } from '../users/user.entity';
import { DashboardSessionEntity } from './dashboard-session.entity';
import { clearSessionCookie, writeSessionCookie } from './session-cookie';

const TOUCH_EVERY_MS = 60_000;

/** Starts a server-side session for `userId` and sets its cookie on the response. */
export async function startSession(ctx: Context, userId: string, workspaceId: string | null, manager?: EntityManager): Promise<string> {
  const token = newSecretToken();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + ctx.config.sessionTtlDays * 86_400_000);
  await (manager ?? ctx.db.manager).getRepository(DashboardSessionEntity).insert({
    tokenHash: hashToken(token),
    userId,
    workspaceId,
    expiresAt,
    lastSeenAt: now,
    ip: ctx.ip,
    userAgent: ctx.req.get('user-agent')?.slice(0, 512) ?? null,
  });
  writeSessionCookie(ctx.res, token, expiresAt, isSecure(ctx));
  return token;
}

export async function endSession(ctx: Context): Promise<void> {
  if (ctx.viewer) await ctx.db.getRepository(DashboardSessionEntity).delete({ tokenHash: ctx.viewer.session.tokenHash });
  clearSessionCookie(ctx.res, isSecure(ctx));
}

function isSecure(ctx: Context): boolean {
  return ctx.req.secure || ctx.config.publicUrl.startsWith('https://');
}

/**
 * The viewer behind a session token, or null when the token is unknown or expired. The membership is the
 * session's workspace if the user still belongs to it, else their oldest seat (they may have been removed).
 */
export async function resolveViewer(db: DataSource, token: string | undefined, now = new Date()): Promise<Viewer | null> {
  if (!token) return null;
  const sessions = db.getRepository(DashboardSessionEntity);
  const session = await sessions.findOneBy({ tokenHash: hashToken(token) });
  if (!session || session.expiresAt <= now) return null;
  const user = await db.getRepository(UserEntity).findOneBy({ id: session.userId });
  if (!user) return null;
  const members = db.getRepository(MemberEntity);
  let membership = session.workspaceId ? await members.findOneBy({ userId: user.id, workspaceId: session.workspaceId }) : null;
  membership ??= await members.findOne({ where: { userId: user.id }, order: { id: 'ASC' } });
  if (membership && membership.workspaceId !== session.workspaceId) {
    session.workspaceId = membership.workspaceId;
    await sessions.update({ tokenHash: session.tokenHash }, { workspaceId: membership.workspaceId });
  }
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await sessions.update({ tokenHash: session.tokenHash }, { lastSeenAt: now });
  }
  return { user, session, sessionToken: token, membership };
}

export async function purgeExpiredSessions(db: DataSource, now = new Date()): Promise<void> {
  await db.query('DELETE FROM dashboard_sessions WHERE expires_at < $1', [now]);
}
