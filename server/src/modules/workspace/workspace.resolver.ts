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
import { requirePermission } from '../../context';

@ArgsType()
class InvitationPageArgs extends PageArgs {
  @Field({ nullable: true, defaultValue: true, description: 'Only invitations not yet accepted or revoked' }) pendingOnly: boolean;
}

@Resolver(() => Workspace)
export class WorkspaceResolver {
  @FieldResolver(() => [Environment])
  async environments(@Root() workspace: Workspace, @Ctx() ctx: Context) {
    // tenancy: a Workspace is only ever resolved from the viewer's own seat
    requirePermission(ctx, 'team:view');
    return (await listEnvironments(ctx, workspace.id)).map(presentEnvironment);
  }

  @FieldResolver(() => MemberConnection, { complexity: connectionComplexity })
  members(@Args() page: PageArgs, @Ctx() ctx: Context) {
    return listMembers(ctx, page);
  }

  @FieldResolver(() => InvitationConnection, { complexity: connectionComplexity })
  invitations(@Args() page: InvitationPageArgs, @Ctx() ctx: Context) {
    return listInvitations(ctx, page, page.pendingOnly);
  }

  @Mutation(() => Workspace, { description: 'Team name and the support email used for Admin Portal emails (Admin)' })
  async updateTeamDetails(@Arg('input') input: UpdateTeamDetailsInput, @Ctx() ctx: Context) {
    return presentWorkspace(await updateTeamDetails(ctx, input));
  }
}
