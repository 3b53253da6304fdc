import { INVITATION_TTL_DAYS, dashboardRoutes, normalizeEmail } from '@portico/shared';
import type { EntityManager } from 'typeorm';
import { refuseApiKey, requirePermission, requirePermissionIn, type Context } from '../../context';
import { AppError, ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '../../errors';
import { paginate, type PageRequest } from '../../lib/keyset-pagination';
import { newId } from '../../lib/ids';
import { logger } from '../../lib/logger';
import { hashToken, newSecretToken } from '../../lib/tokens';
import { createUser } from '../accounts/accounts.service';
import { startSession } from '../accounts/sessions.service';
import { invitationEmail } from '../email/templates';
import { MemberEntity } from '../members/member.entity';
import { UserEntity } from '../users/user.entity';
import { WorkspaceEntity } from '../workspace/workspace.entity';
import { switchWorkspace } from '../workspace/workspace.service';
import { InvitationEntity } from './invitation.entity';
import { invitationStatus, presentInvitation, type InvitationPreview } from './invitation.type';
import type { AcceptInvitationInput, InviteMemberInput } from './invitations.inputs';

const TTL_MS = INVITATION_TTL_DAYS * 86_400_000;

export async function listInvitations(ctx: Context, workspaceId: string, args: PageRequest, pendingOnly: boolean) {
  const seat = await requirePermissionIn(ctx, workspaceId, 'team:view');
  // tenancy: invitations of a workspace the viewer has a seat in
  const query = ctx.db.getRepository(InvitationEntity).createQueryBuilder('invitation').where('invitation.workspace_id = :ws', { ws: seat.workspaceId });
  if (pendingOnly) query.andWhere('invitation.accepted_at IS NULL AND invitation.revoked_at IS NULL');
  return paginate(query, args, presentInvitation, 'DESC');
}

async function sendInvitationEmail(ctx: Context, invitation: InvitationEntity, token: string): Promise<void> {
  const workspace = await ctx.db.getRepository(WorkspaceEntity).findOneByOrFail({ id: invitation.workspaceId });
  const inviter = await ctx.db.getRepository(UserEntity).findOneByOrFail({ id: invitation.invitedById });
  const link = `${ctx.config.publicUrl}${dashboardRoutes.acceptInvitation(token)}`;
  const email = invitationEmail({ inviter: inviter.name, workspace: workspace.name, role: invitation.role, link, days: INVITATION_TTL_DAYS });
  try {
    await ctx.mailer.send({ workspaceId: invitation.workspaceId, to: invitation.email, ...email });
  } catch (err) {
    // The invitation stands; the admin sees it as pending and can resend once mail works.
    logger.error('invitation email failed', { invitationId: invitation.id, error: String(err) });
    throw new AppError({ code: 'INTERNAL_SERVER_ERROR', status: 502, message: 'The invitation was saved but the email could not be sent. Check SMTP and resend it.' });
  }
}

export async function inviteMember(ctx: Context, input: InviteMemberInput): Promise<InvitationEntity> {
  const seat = requirePermission(ctx, 'team:manage');
  const email = normalizeEmail(input.email);
  const token = newSecretToken();
  const invitation = await ctx.db.transaction(async (manager) => {
    const existingUser = await manager.getRepository(UserEntity).findOneBy({ email });
    if (existingUser && (await manager.getRepository(MemberEntity).existsBy({ workspaceId: seat.workspaceId, userId: existingUser.id }))) {
      throw new ConflictError(`${email} is already a member of this workspace`, 'email');
    }
    const repo = manager.getRepository(InvitationEntity);
    const open = await repo.createQueryBuilder('i').setLock('pessimistic_write')
      .where('i.workspace_id = :ws AND i.email = :email AND i.accepted_at IS NULL AND i.revoked_at IS NULL', { ws: seat.workspaceId, email })
      .getOne();
    if (open && invitationStatus(open) === 'PENDING') throw new ConflictError(`${email} already has a pending invitation. Resend it instead.`, 'email');
    if (open) await repo.update({ id: open.id }, { revokedAt: new Date() }); // expired: replaced by the new one
    const now = new Date();
    const row = repo.create({
      id: newId('invitation'), workspaceId: seat.workspaceId, email, role: input.role, tokenHash: hashToken(token),
      invitedById: ctx.viewer!.user.id, expiresAt: new Date(now.getTime() + TTL_MS), lastSentAt: now, sendCount: 1, acceptedAt: null, revokedAt: null,
    });
    await repo.insert(row);
    return row;
  });
  await sendInvitationEmail(ctx, invitation, token);
  return invitation;
}

/** tenancy: an invitation of the viewer's workspace that is still open, locked for the change. */
async function lockOpenInvitation(manager: EntityManager, workspaceId: string, id: string): Promise<InvitationEntity> {
  const invitation = await manager.getRepository(InvitationEntity).createQueryBuilder('i').setLock('pessimistic_write')
    .where('i.id = :id AND i.workspace_id = :ws', { id, ws: workspaceId }).getOne();
  if (!invitation) throw new NotFoundError('Invitation');
  const status = invitationStatus(invitation);
  if (status === 'ACCEPTED' || status === 'REVOKED') throw new ConflictError(`This invitation was already ${status.toLowerCase()}`);
  return invitation;
}

/** Sends a fresh link (the old one stops working) and restarts the 7-day clock. */
export async function resendInvitation(ctx: Context, id: string): Promise<InvitationEntity> {
  const seat = requirePermission(ctx, 'team:manage');
  const token = newSecretToken();
  const invitation = await ctx.db.transaction(async (manager) => {
    const row = await lockOpenInvitation(manager, seat.workspaceId, id);
    const now = new Date();
    Object.assign(row, { tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + TTL_MS), lastSentAt: now, sendCount: row.sendCount + 1 });
    await manager.getRepository(InvitationEntity).save(row);
    return row;
  });
  await sendInvitationEmail(ctx, invitation, token);
  return invitation;
}

export async function revokeInvitation(ctx: Context, id: string): Promise<InvitationEntity> {
  const seat = requirePermission(ctx, 'team:manage');
  return ctx.db.transaction(async (manager) => {
    const row = await lockOpenInvitation(manager, seat.workspaceId, id);
    row.revokedAt = new Date();
    await manager.getRepository(InvitationEntity).save(row);
    return row;
  });
}

async function findByToken(manager: EntityManager, token: string, lock = false): Promise<InvitationEntity> {
  const query = manager.getRepository(InvitationEntity).createQueryBuilder('i').where('i.token_hash = :hash', { hash: hashToken(token) });
  if (lock) query.setLock('pessimistic_write');
  const invitation = await query.getOne();
  if (!invitation) throw new NotFoundError('Invitation');
  return invitation;
}

export async function previewInvitation(ctx: Context, token: string): Promise<InvitationPreview> {
  const invitation = await findByToken(ctx.db.manager, token);
  const workspace = await ctx.db.getRepository(WorkspaceEntity).findOneByOrFail({ id: invitation.workspaceId });
  const inviter = await ctx.db.getRepository(UserEntity).findOneByOrFail({ id: invitation.invitedById });
  return {
    email: invitation.email, role: invitation.role, status: invitationStatus(invitation), workspaceName: workspace.name,
    invitedByName: inviter.name, expiresAt: invitation.expiresAt,
    accountExists: await ctx.db.getRepository(UserEntity).existsBy({ email: invitation.email }),
  };
}

/**
 * Accepts an invitation. A signed-in viewer must be the invited address; with no session, a new account is
 * created for the invited address (the link proves the mailbox), or an existing one must sign in first.
 * Returns the new session's token when it signed someone in.
 */
export async function acceptInvitation(ctx: Context, input: AcceptInvitationInput): Promise<string | undefined> {
  refuseApiKey(ctx);
  const { workspaceId, token } = await ctx.db.transaction(async (manager) => {
    const invitation = await findByToken(manager, input.token, true);
    const status = invitationStatus(invitation);
    if (status !== 'PENDING') throw new ForbiddenError(`This invitation is ${status.toLowerCase()}. Ask an Admin to send a new one.`, `invitation_${status.toLowerCase()}`);
    const userId = await acceptingUserId(ctx, manager, invitation, input);
    const members = manager.getRepository(MemberEntity);
    if (!(await members.existsBy({ workspaceId: invitation.workspaceId, userId }))) {
      await members.insert({ id: newId('member'), workspaceId: invitation.workspaceId, userId, role: invitation.role });
    }
    await manager.getRepository(InvitationEntity).update({ id: invitation.id }, { acceptedAt: new Date() });
    const token = ctx.viewer ? undefined : await startSession(ctx, userId, invitation.workspaceId, manager);
    return { workspaceId: invitation.workspaceId, token };
  });
  if (ctx.viewer) await switchWorkspace(ctx, workspaceId);
  return token;
}

async function acceptingUserId(ctx: Context, manager: EntityManager, invitation: InvitationEntity, input: AcceptInvitationInput): Promise<string> {
  if (ctx.viewer) {
    if (ctx.viewer.user.email !== invitation.email) {
      throw new ForbiddenError(`This invitation is for ${invitation.email}. Sign out, then open the link again.`, 'invitation_email_mismatch');
    }
    return ctx.viewer.user.id;
  }
  if (await manager.getRepository(UserEntity).existsBy({ email: invitation.email })) {
    throw new UnauthenticatedError(`An account exists for ${invitation.email}. Sign in to accept the invitation.`);
  }
  const missing = [
    ...(!input.name ? [{ field: 'name', code: 'required', message: 'Enter your name' }] : []),
    ...(!input.password ? [{ field: 'password', code: 'required', message: 'Choose a password' }] : []),
  ];
  if (missing.length) throw new ValidationError(missing);
  const user = await createUser(manager, { name: input.name!, email: invitation.email, password: input.password! });
  return user.id;
}
