import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from './errors';
import { createLoaders, type Loaders } from './graphql/loaders';
import type { Mailer } from './modules/email/mailer';
import type { DashboardSessionEntity } from './modules/accounts/dashboard-session.entity';
import type { MemberEntity } from './modules/members/member.entity';
import type { UserEntity } from './modules/users/user.entity';
import type { ApiKeyPrincipal } from './modules/api-keys/api-keys.service';
import { PERMISSION_DESCRIPTIONS, roleCan, type Permission } from './modules/workspace/permissions';
import { ROLE_LABELS } from '@portico/shared';
import type { SecretBox } from './lib/secret-box';
import type { SamlValidator } from './modules/sso-sessions/validation-pool';

/** Who is calling: a signed-in dashboard user, with their seat in the workspace they are looking at. */
export interface Viewer {
  user: UserEntity;
  session: DashboardSessionEntity;
  sessionToken: string;
  membership: MemberEntity | null;
}

export interface AppDeps {
  db: DataSource;
  config: Config;
  mailer: Mailer;
  /** Seals private keys and client secrets at rest. */
  secrets: SecretBox;
  /** Validates SAML responses in worker threads. */
  saml: SamlValidator;
  /** DNS look-ups for domain verification; node's resolver unless replaced (tests answer from fixed records). */
  dns?: { resolveTxt(hostname: string): Promise<string[][]> };
}

export interface Context extends AppDeps {
  req: Request;
  res: Response;
  ip: string;
  viewer: Viewer | null;
  /** Set when the caller authenticated with `Authorization: Bearer sk_…`; such callers have no viewer. */
  apiKey: ApiKeyPrincipal | null;
  loaders: Loaders;
  /** The GraphQL operation's type, set once it is parsed (graphql/operation-type.ts); null outside GraphQL. */
  operationType: 'query' | 'mutation' | 'subscription' | null;
}

export function buildContext(deps: AppDeps, req: Request, res: Response, viewer: Viewer | null, apiKey: ApiKeyPrincipal | null = null): Context {
  return { ...deps, req, res, ip: req.ip ?? 'unknown', viewer, apiKey, loaders: createLoaders(deps.db), operationType: null };
}

/**
 * Refuses an API-key caller: what a person does with their own dashboard session (sign up, in or out, accept an
 * invitation) is never done by integrators' code, and answering it would hand a key holder a session cookie.
 */
export function refuseApiKey(ctx: Context): void {
  if (ctx.apiKey) throw new ForbiddenError('This operation is for dashboard users; an API key cannot perform it', 'dashboard_only');
}

export function requireViewer(ctx: Context): Viewer {
  refuseApiKey(ctx);
  if (!ctx.viewer) throw new UnauthenticatedError();
  return ctx.viewer;
}

function refuseUnlessRoleCan(membership: MemberEntity, permission: Permission): MemberEntity {
  if (!roleCan(membership.role, permission)) {
    throw new ForbiddenError(`Your role (${ROLE_LABELS[membership.role]}) can't ${PERMISSION_DESCRIPTIONS[permission]}`, 'role_required');
  }
  return membership;
}

/** The viewer's seat in their current workspace, refused unless their role grants `permission`. */
export function requirePermission(ctx: Context, permission: Permission): MemberEntity {
  const viewer = requireViewer(ctx);
  const membership = viewer.membership;
  if (!membership) throw new ForbiddenError('You are not a member of any workspace', 'no_workspace');
  return refuseUnlessRoleCan(membership, permission);
}

/**
 * The viewer's seat in `workspaceId`, refused unless their role THERE grants `permission`. Field resolvers use it
 * with their parent's workspace, which need not be the current one (`viewer { workspaces { workspace { … } } }`):
 * an Admin of one workspace is not an Admin of every workspace they can see. No seat there: NOT_FOUND.
 */
export async function requirePermissionIn(ctx: Context, workspaceId: string, permission: Permission): Promise<MemberEntity> {
  const viewer = requireViewer(ctx);
  const seat = viewer.membership?.workspaceId === workspaceId
    ? viewer.membership
    : (await ctx.loaders.userMemberships.load(viewer.user.id)).find((m) => m.workspaceId === workspaceId);
  if (!seat) throw new NotFoundError('Workspace');
  return refuseUnlessRoleCan(seat, permission);
}
