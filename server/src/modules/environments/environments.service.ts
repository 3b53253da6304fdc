import type { DataSource, EntityManager } from 'typeorm';
import { ENVIRONMENT_KINDS } from '@portico/shared';
import { requirePermission, type Context } from '../../context';
import { NotFoundError } from '../../errors';
import type { Permission } from '../workspace/permissions';
import { newId } from '../../lib/ids';
import { EnvironmentEntity } from './environment.entity';
import { assertUnlocked } from '../billing/billing.service';

const NAMES = { STAGING: 'Staging', PRODUCTION: 'Production' } as const;

export async function createEnvironments(manager: EntityManager, workspaceId: string): Promise<EnvironmentEntity[]> {
  const rows = ENVIRONMENT_KINDS.map((kind) =>
    manager.getRepository(EnvironmentEntity).create({ id: newId('environment'), workspaceId, kind, name: NAMES[kind], clientId: newId('client') }),
  );
  await manager.getRepository(EnvironmentEntity).insert(rows);
  return rows;
}

/** tenancy: only the given workspace's environments, Staging first. */
export async function listEnvironments(ctx: Context, workspaceId: string): Promise<EnvironmentEntity[]> {
  const rows = await ctx.db.getRepository(EnvironmentEntity).findBy({ workspaceId });
  return rows.sort((a, b) => ENVIRONMENT_KINDS.indexOf(a.kind) - ENVIRONMENT_KINDS.indexOf(b.kind));
}

/**
 * tenancy: an environment of the viewer's workspace, refused as NOT_FOUND otherwise; a locked Production
 * (no billing yet) is refused as FORBIDDEN billing_required unless `allowLocked` (reading its name and lock).
 */
export async function requireWorkspaceEnvironment(ctx: Context, environmentId: string, permission: Permission, opts: { allowLocked?: boolean } = {}): Promise<EnvironmentEntity> {
  const seat = requirePermission(ctx, permission);
  const environment = await ctx.db.getRepository(EnvironmentEntity).findOneBy({ id: environmentId, workspaceId: seat.workspaceId });
  if (!environment) throw new NotFoundError('Environment');
  if (!opts.allowLocked) await assertUnlocked(ctx.db, environment);
  return environment;
}

/** The environment a `client_id` names (the sign-in flow's entry point); null when unknown. */
export async function environmentByClientId(db: DataSource, clientId: string): Promise<EnvironmentEntity | null> {
  return db.getRepository(EnvironmentEntity).findOneBy({ clientId });
}
