import type { SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import { requirePermission, requirePermissionIn, type Context } from '../../context';
import { NotFoundError } from '../../errors';
import { refuseUnlessScopeAllows } from '../api-keys/api-key-scopes';
import type { Permission } from '../workspace/permissions';
import { EnvironmentEntity } from './environment.entity';
import { assertUnlocked } from '../billing/billing.service';

/**
 * What a caller may see: an API key sees its own environment (what it may do there is its scope's); a dashboard member sees every environment of
 * their current workspace (if their role grants the permission). Every query of environment-owned rows goes
 * through `restrict`, so no code path can forget the tenant.
 */
export type AccessScope = { kind: 'environment'; environmentId: string } | { kind: 'workspace'; workspaceId: string };

export function scopeOf(ctx: Context, permission: Permission): AccessScope {
  if (ctx.apiKey) {
    // An API key speaks for its own environment, as far as its scope reaches. A change is anything done during a
    // mutation; an operation whose type is not known yet counts as a change (fail closed).
    refuseUnlessScopeAllows(ctx.apiKey.scope, permission, ctx.operationType !== 'query');
    return { kind: 'environment', environmentId: ctx.apiKey.environmentId };
  }
  return { kind: 'workspace', workspaceId: requirePermission(ctx, permission).workspaceId };
}

/** What owns an object a field resolver receives as its parent: its environment, its workspace, or both. */
export type Owner = { environmentId: string; workspaceId?: string } | { workspaceId: string; environmentId?: undefined };

/** An Environment parent owns itself, inside its workspace. */
export const ownerOfEnvironment = (environment: { id: string; workspaceId: string }): Owner => ({ environmentId: environment.id, workspaceId: environment.workspaceId });

/**
 * Like scopeOf, but for the workspace that owns a field resolver's parent rather than the viewer's current one:
 * the role checked is the viewer's role in that workspace, and the scope returned covers that workspace's data.
 */
export async function scopeOfOwner(ctx: Context, permission: Permission, owner: Owner): Promise<AccessScope> {
  if (ctx.apiKey && owner.environmentId) {
    const scope = scopeOf(ctx, permission);
    // tenancy: an API key reaches only its own environment's objects
    if (owner.environmentId !== ctx.apiKey.environmentId) throw new NotFoundError('Environment');
    return scope;
  }
  const workspaceId = owner.workspaceId ?? (await ctx.loaders.environment.load(owner.environmentId!))?.workspaceId;
  if (!workspaceId) throw new NotFoundError('Environment');
  return { kind: 'workspace', workspaceId: (await requirePermissionIn(ctx, workspaceId, permission)).workspaceId };
}

/** Adds the tenancy condition on `alias.environment_id` to a query. */
export function restrict<E extends ObjectLiteral>(query: SelectQueryBuilder<E>, scope: AccessScope, alias = query.alias): SelectQueryBuilder<E> {
  return scope.kind === 'environment'
    ? query.andWhere(`${alias}.environment_id = :scopeEnvironmentId`, { scopeEnvironmentId: scope.environmentId })
    : query.andWhere(`${alias}.environment_id IN (SELECT e.id FROM environments e WHERE e.workspace_id = :scopeWorkspaceId)`, { scopeWorkspaceId: scope.workspaceId });
}

/**
 * The environment, if the scope covers it; NOT_FOUND otherwise (another tenant's IDs are indistinguishable from
 * unknown ones). A Production environment without billing is refused (FORBIDDEN, billing_required).
 */
export async function environmentInScope(ctx: Pick<Context, 'db'>, scope: AccessScope, environmentId: string): Promise<EnvironmentEntity> {
  const environment = await ctx.db.getRepository(EnvironmentEntity).findOneBy({ id: environmentId });
  const visible = environment && (scope.kind === 'environment' ? environment.id === scope.environmentId : environment.workspaceId === scope.workspaceId);
  if (!visible) throw new NotFoundError('Environment');
  await assertUnlocked(ctx.db, environment);
  return environment;
}
