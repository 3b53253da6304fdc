import { Arg, Args, Ctx, Field, FieldResolver, Mutation, Resolver, Root, ArgsType } from 'type-graphql';
import type { Context } from '../../context';
import { connectionComplexity, PageArgs } from '../../graphql/pagination';
import { Environment, presentEnvironment } from '../environments/environment.type';
import { listEnvironments } from '../environments/environments.service';
import { InvitationConnection } from '../invitations/invitation.type';
import { listInvitations } from '../invitations/invitations.service';
import { MemberConnection } from '../members/member.type';
import { listMembers } from '../members/members.service';
import { UpdateTeamDetailsInput } from './workspace.inputs';
import { updateTeamDetails } from './workspace.service';
import { presentWorkspace, Workspace } from './workspace.type';
import { requirePermissionIn } from '../../context';

@ArgsType()
class InvitationPageArgs extends PageArgs {
  @Field({ nullable: true, defaultValue: true, description: 'Only invitations not yet accepted or revoked' }) pendingOnly: boolean;
}

@Resolver(() => Workspace)
export class WorkspaceResolver {
  @FieldResolver(() => [Environment])
  async environments(@Root() workspace: Workspace, @Ctx() ctx: Context) {
    // tenancy: the role checked is the viewer's role in THIS workspace, which need not be the current one
    await requirePermissionIn(ctx, workspace.id, 'team:view');
    return (await listEnvironments(ctx, workspace.id)).map(presentEnvironment);
  }

  @FieldResolver(() => MemberConnection, { complexity: connectionComplexity })
  members(@Root() workspace: Workspace, @Args() page: PageArgs, @Ctx() ctx: Context) {
    return listMembers(ctx, workspace.id, page);
  }

  @FieldResolver(() => InvitationConnection, { complexity: connectionComplexity })
  invitations(@Root() workspace: Workspace, @Args() page: InvitationPageArgs, @Ctx() ctx: Context) {
    return listInvitations(ctx, workspace.id, page, page.pendingOnly);
  }

  @Mutation(() => Workspace, { description: 'Team name and the support email used for Admin Portal emails (Admin)' })
  async updateTeamDetails(@Arg('input') input: UpdateTeamDetailsInput, @Ctx() ctx: Context) {
    return presentWorkspace(await updateTeamDetails(ctx, input));
  }
}
