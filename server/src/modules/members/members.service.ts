import type { Role } from '@portico/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { requirePermission, requirePermissionIn, type Context } from '../../context';
import { ForbiddenError, NotFoundError } from '../../errors';
import { paginate, type PageRequest } from '../../lib/keyset-pagination';
import { MemberEntity } from './member.entity';
import { presentMember } from './member.type';

/** The user's seat in one workspace, or null when they have none there (for routes outside GraphQL). */
export function findSeat(db: DataSource, userId: string, workspaceId: string): Promise<MemberEntity | null> {
  // tenancy: only the given user's own seat
  return db.getRepository(MemberEntity).findOneBy({ userId, workspaceId });
}

export async function listMembers(ctx: Context, workspaceId: string, args: PageRequest) {
  const seat = await requirePermissionIn(ctx, workspaceId, 'team:view');
  // tenancy: members of a workspace the viewer has a seat in
  const query = ctx.db.getRepository(MemberEntity).createQueryBuilder('member').where('member.workspace_id = :ws', { ws: seat.workspaceId });
  return paginate(query, args, presentMember);
}

/**
 * Loads a member of the viewer's workspace for a change, holding the workspace's lock so two concurrent
 * demotions can't both see "another Admin remains" and leave none.
 */
async function lockMember(manager: EntityManager, workspaceId: string, memberId: string): Promise<MemberEntity> {
  await manager.query('SELECT id FROM workspaces WHERE id = $1 FOR UPDATE', [workspaceId]);
  // tenancy: a member ID from another workspace is reported as not found
  const member = await manager.getRepository(MemberEntity).findOneBy({ id: memberId, workspaceId });
  if (!member) throw new NotFoundError('Member');
  return member;
}

async function assertAnotherAdminRemains(manager: EntityManager, member: MemberEntity, action: string): Promise<void> {
  if (member.role !== 'ADMIN') return;
  const admins = await manager.getRepository(MemberEntity).countBy({ workspaceId: member.workspaceId, role: 'ADMIN' });
  if (admins <= 1) throw new ForbiddenError(`The last Admin can't be ${action}. Make another member an Admin first.`, 'last_admin');
}

export async function changeMemberRole(ctx: Context, memberId: string, role: Role): Promise<MemberEntity> {
  const viewerSeat = requirePermission(ctx, 'team:manage');
  return ctx.db.transaction(async (manager) => {
    const member = await lockMember(manager, viewerSeat.workspaceId, memberId);
    if (role !== 'ADMIN') await assertAnotherAdminRemains(manager, member, 'demoted');
    await manager.getRepository(MemberEntity).update({ id: member.id }, { role });
    return { ...member, role };
  });
}

export async function removeMember(ctx: Context, memberId: string): Promise<void> {
  const viewerSeat = requirePermission(ctx, 'team:manage');
  await ctx.db.transaction(async (manager) => {
    const member = await lockMember(manager, viewerSeat.workspaceId, memberId);
    await assertAnotherAdminRemains(manager, member, 'removed');
    await manager.getRepository(MemberEntity).delete({ id: member.id });
  });
}
