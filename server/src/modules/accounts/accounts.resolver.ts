import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { refuseApiKey, type Context } from '../../context';
import { presentUser } from '../users/user.type';
import { permissionsOf } from '../workspace/permissions';
import { listViewerMemberships, switchWorkspace } from '../workspace/workspace.service';
import { presentWorkspace } from '../workspace/workspace.type';
import { SignInInput } from './accounts.inputs';
import { signIn } from './accounts.service';
import { endSession, resolveViewer } from './sessions.service';
import { Viewer } from './viewer.type';

/** The Viewer as the API shows it; re-read after sign-in so the new session is the one described. */
export async function presentViewer(ctx: Context, token?: string): Promise<Viewer | null> {
  if (token !== undefined) ctx.viewer = await resolveViewer(ctx.db, token);
  if (!ctx.viewer) return null;
  const { user, membership } = ctx.viewer;
  const memberships = await listViewerMemberships(ctx);
  const workspaces = await Promise.all(
    memberships.map(async (m) => ({ workspace: presentWorkspace((await ctx.loaders.workspace.load(m.workspaceId))!), role: m.role })),
  );
  const current = membership ? workspaces.find((w) => w.workspace.id === membership.workspaceId) : undefined;
  return Object.assign(new Viewer(), {
    user: presentUser(user),
    workspace: current?.workspace ?? null,
    role: membership?.role ?? null,
    permissions: membership ? permissionsOf(membership.role) : [],
    workspaces,
    emailDelivery: ctx.mailer.mode,
  });
}

@Resolver()
export class AccountsResolver {
  @Query(() => Viewer, { nullable: true, description: 'The signed-in user, or null' })
  viewer(@Ctx() ctx: Context) {
    return presentViewer(ctx);
  }

  @Mutation(() => Viewer)
  async signIn(@Arg('input') input: SignInInput, @Ctx() ctx: Context) {
    refuseApiKey(ctx);
    return presentViewer(ctx, await signIn(ctx, input));
  }

  @Mutation(() => Boolean)
  async signOut(@Ctx() ctx: Context) {
    refuseApiKey(ctx);
    await endSession(ctx);
    return true;
  }

  @Mutation(() => Viewer, { description: 'Shows another of your workspaces' })
  async switchWorkspace(@Arg('workspaceId', () => ID) workspaceId: string, @Ctx() ctx: Context) {
    await switchWorkspace(ctx, workspaceId);
    return presentViewer(ctx);
  }
}
