import { normalizeEmail } from '@portico/shared';
import type { EntityManager } from 'typeorm';
import { requirePermission, requireViewer, type Context } from '../../context';
import { NotFoundError } from '../../errors';
import { newId } from '../../lib/ids';
import { createEnvironments } from '../environments/environments.service';
import { DashboardSessionEntity } from '../accounts/dashboard-session.entity';
import { MemberEntity } from '../members/member.entity';
import { WorkspaceEntity } from './workspace.entity';
import type { UpdateTeamDetailsInput } from './workspace.inputs';

/** A workspace with its Staging and Production environments and its first Admin. */
export async function createWorkspaceWithEnvironments(manager: EntityManager, opts: { name: string; adminUserId: string }) {
  const workspace = manager.getRepository(WorkspaceEntity).create({ id: newId('workspace'), name: opts.name, supportEmail: null });
  await manager.getRepository(WorkspaceEntity).insert(workspace);
  const environments = await createEnvironments(manager, workspace.id);
  await manager.getRepository(MemberEntity).insert({ id: newId('member'), workspaceId: workspace.id, userId: opts.adminUserId, role: 'ADMIN' });
  return { workspace, environments };
}

export async function getCurrentWorkspace(ctx: Context): Promise<WorkspaceEntity | null> {
  const membership = requireViewer(ctx).membership;
  return membership ? ctx.loaders.workspace.load(membership.workspaceId) : null;
}

export async function updateTeamDetails(ctx: Context, input: UpdateTeamDetailsInput): Promise<WorkspaceEntity> {
  const membership = requirePermission(ctx, 'team-details:edit');
  const repo = ctx.db.getRepository(WorkspaceEntity);
  const changes: Partial<WorkspaceEntity> = {};
  if (input.name !== undefined) changes.name = input.name.trim();
  if (input.supportEmail !== undefined) changes.supportEmail = input.supportEmail ? normalizeEmail(input.supportEmail) : null;
  // tenancy: the viewer's own workspace, never one named by the client
  if (Object.keys(changes).length) await repo.update({ id: membership.workspaceId }, changes);
  return repo.findOneByOrFail({ id: membership.workspaceId });
}

/** The workspaces the viewer belongs to, oldest seat first. */
export async function listViewerMemberships(ctx: Context): Promise<MemberEntity[]> {
  const viewer = requireViewer(ctx);
  return ctx.db.getRepository(MemberEntity).find({ where: { userId: viewer.user.id }, order: { id: 'ASC' } });
}

/** Points the viewer's session at another of their workspaces. */
export async function switchWorkspace(ctx: Context, workspaceId: string): Promise<void> {
  const viewer = requireViewer(ctx);
  // tenancy: only a workspace the viewer is a member of
  const membership = await ctx.db.getRepository(MemberEntity).findOneBy({ userId: viewer.user.id, workspaceId });
  if (!membership) throw new NotFoundError('Workspace');
  await ctx.db.getRepository(DashboardSessionEntity).update({ tokenHash: viewer.session.tokenHash }, { workspaceId });
  viewer.membership = membership;
  viewer.session.workspaceId = workspaceId;
}
