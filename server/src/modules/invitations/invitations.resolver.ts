import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requirePermissionIn, type Context } from '../../context';
import { presentViewer } from '../accounts/accounts.resolver';
import { Viewer } from '../accounts/viewer.type';
import { presentUser, User } from '../users/user.type';
import { Invitation, InvitationPreview, presentInvitation } from './invitation.type';
import { AcceptInvitationInput, InviteMemberInput } from './invitations.inputs';
import { acceptInvitation, inviteMember, previewInvitation, resendInvitation, revokeInvitation } from './invitations.service';

@Resolver(() => Invitation)
export class InvitationsResolver {
  @FieldResolver(() => User)
  async invitedBy(@Root() invitation: Invitation, @Ctx() ctx: Context) {
    await requirePermissionIn(ctx, invitation.workspaceId, 'team:view');
    return presentUser((await ctx.loaders.user.load(invitation.invitedById))!);
  }

  @Query(() => InvitationPreview, { description: 'What an invitation link offers; needs only the token' })
  invitationPreview(@Arg('token') token: string, @Ctx() ctx: Context) {
    return previewInvitation(ctx, token);
  }

  @Mutation(() => Invitation, { description: 'Emails an invitation to join with a role, valid for 7 days (Admin)' })
  async inviteMember(@Arg('input') input: InviteMemberInput, @Ctx() ctx: Context) {
    return presentInvitation(await inviteMember(ctx, input));
  }

  @Mutation(() => Invitation, { description: 'Sends a new link (the previous one stops working) valid for 7 days (Admin)' })
  async resendInvitation(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return presentInvitation(await resendInvitation(ctx, id));
  }

  @Mutation(() => Invitation, { description: 'Cancels a pending invitation (Admin)' })
  async revokeInvitation(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return presentInvitation(await revokeInvitation(ctx, id));
  }

  @Mutation(() => Viewer, { description: 'Joins the workspace; creates the account when none exists for the invited email' })
  async acceptInvitation(@Arg('input') input: AcceptInvitationInput, @Ctx() ctx: Context) {
    return presentViewer(ctx, await acceptInvitation(ctx, input));
  }
}
