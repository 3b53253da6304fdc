import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Role } from '@portico/shared';
import { requirePermissionIn, type Context } from '../../context';
import { RoleEnum } from '../../graphql/enums';
import { presentUser, User } from '../users/user.type';
import { Member, presentMember } from './member.type';
import { changeMemberRole, removeMember } from './members.service';

@Resolver(() => Member)
export class MembersResolver {
  @FieldResolver(() => User)
  async user(@Root() member: Member, @Ctx() ctx: Context) {
    await requirePermissionIn(ctx, member.workspaceId, 'team:view');
    return presentUser((await ctx.loaders.user.load(member.userId))!);
  }

  @FieldResolver(() => Boolean, { description: 'True for the signed-in user' })
  isViewer(@Root() member: Member, @Ctx() ctx: Context) {
    return member.userId === ctx.viewer?.user.id;
  }

  @Mutation(() => Member, { description: "Changes a member's role (Admin). The last Admin can't be demoted." })
  async changeMemberRole(@Arg('memberId', () => ID) memberId: string, @Arg('role', () => RoleEnum) role: Role, @Ctx() ctx: Context) {
    return presentMember(await changeMemberRole(ctx, memberId, role));
  }

  @Mutation(() => ID, { description: "Removes a member (Admin). The last Admin can't be removed." })
  async removeMember(@Arg('memberId', () => ID) memberId: string, @Ctx() ctx: Context) {
    await removeMember(ctx, memberId);
    return memberId;
  }
}
