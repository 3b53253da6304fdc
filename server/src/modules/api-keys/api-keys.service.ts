import { randomInt } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { requirePermission, type Context } from '../../context';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import { paginate, type PageRequest } from '../../lib/keyset-pagination';
import { newId } from '../../lib/ids';
import { hashToken } from '../../lib/tokens';
import { preparedQuery } from '../../db/prepared';
import { EnvironmentEntity } from '../environments/environment.entity';
import { requireWorkspaceEnvironment } from '../environments/environments.service';
import { environmentInScope, ownerOfEnvironment, scopeOfOwner } from '../environments/access-scope';
import { ApiKeyEntity } from './api-key.entity';
import { DEFAULT_API_KEY_SCOPE, type ApiKeyScope } from './api-key-scopes';
import { presentApiKey } from './api-key.type';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const TOUCH_EVERY_MS = 60_000;

/** `sk_test_…` or `sk_live_…` followed by 40 random base62 characters (about 238 bits). */
function newSecret(prefix: string): string {
  let body = '';
  for (let i = 0; i < 40; i += 1) body += ALPHABET[randomInt(ALPHABET.length)];
  return `${prefix}${body}`;
}

/** The keys of `parent`, checked against the viewer's role in the workspace that owns it (not the current one). */
export async function listApiKeys(ctx: Context, parent: { id: string; workspaceId: string }, args: PageRequest) {
  const environment = await environmentInScope(ctx, await scopeOfOwner(ctx, 'api-keys:manage', ownerOfEnvironment(parent)), parent.id);
  const query = ctx.db.getRepository(ApiKeyEntity).createQueryBuilder('key').where('key.environment_id = :env AND key.revoked_at IS NULL', { env: environment.id });
  return paginate(query, args, presentApiKey, 'DESC');
}

export async function createApiKey(ctx: Context, environmentId: string, name: string, scope: ApiKeyScope = DEFAULT_API_KEY_SCOPE): Promise<{ entity: ApiKeyEntity; secret: string }> {
  const environment = await requireWorkspaceEnvironment(ctx, environmentId, 'api-keys:manage');
  const prefix = environment.kind === 'PRODUCTION' ? 'sk_live_' : 'sk_test_';
  const secret = newSecret(prefix);
  const id = newId('apiKey');
  const entity = ctx.db.getRepository(ApiKeyEntity).create({
    id, environmentId: environment.id, name: name.trim(), secretHash: hashToken(secret), prefix, lastFour: secret.slice(-4), scope,
    // Staging keys can be shown again (sealed at rest); Production keys are shown once and only their hash is kept.
    secretSealed: environment.kind === 'STAGING' ? ctx.secrets.seal(secret, apiKeyContext(id)) : null,
    createdById: ctx.viewer!.user.id, lastUsedAt: null, revokedAt: null,
  });
  await ctx.db.getRepository(ApiKeyEntity).insert(entity);
  return { entity, secret };
}

const apiKeyContext = (id: string) => `api_key:${id}`;

/** A Staging key's secret, again (Admins and Developers); Production keys are never shown twice. */
export async function revealApiKey(ctx: Context, id: string): Promise<string> {
  const seat = requirePermission(ctx, 'api-keys:manage');
  const key = await ctx.db.getRepository(ApiKeyEntity).createQueryBuilder('key').addSelect('key.secretSealed')
    .innerJoin(EnvironmentEntity, 'env', 'env.id = key.environment_id')
    .where('key.id = :id AND env.workspace_id = :ws AND key.revoked_at IS NULL', { id, ws: seat.workspaceId }).getOne();
  if (!key) throw new NotFoundError('API key');
  if (!key.secretSealed) throw new ForbiddenError('Production API keys are shown only once, when they are created. Create a new key if this one is lost.', 'shown_once');
  return ctx.secrets.open(key.secretSealed, apiKeyContext(key.id));
}

export async function revokeApiKey(ctx: Context, id: string): Promise<ApiKeyEntity> {
  const seat = requirePermission(ctx, 'api-keys:manage');
  // tenancy: the key's environment must belong to the viewer's workspace
  const key = await ctx.db.getRepository(ApiKeyEntity).createQueryBuilder('key')
    .innerJoin(EnvironmentEntity, 'env', 'env.id = key.environment_id')
    .where('key.id = :id AND env.workspace_id = :ws', { id, ws: seat.workspaceId }).getOne();
  if (!key) throw new NotFoundError('API key');
  if (key.revokedAt) throw new ConflictError('This API key was already revoked');
  key.revokedAt = new Date();
  await ctx.db.getRepository(ApiKeyEntity).update({ id: key.id }, { revokedAt: key.revokedAt });
  return key;
}

export interface ApiKeyPrincipal {
  apiKeyId: string;
  environmentId: string;
  workspaceId: string;
  scope: ApiKeyScope;
}

/** The environment an API key speaks for, or null when the key is unknown or revoked. */
export async function authenticateApiKey(db: DataSource, secret: string, now = new Date()): Promise<ApiKeyPrincipal | null> {
  if (!/^sk_(test|live)_[A-Za-z0-9]{40}$/.test(secret)) return null;
  // The key and its environment's workspace in one prepared statement: every API call pays it before its own work
  // (a GraphQL query during a sign-in storm waited once more in the event loop and the pool for a second read).
  const [key] = await preparedQuery<{ id: string; environment_id: string; workspace_id: string; scope: ApiKeyScope; revoked: boolean; last_used_at: Date | null }>(db,
    `SELECT k.id, k.environment_id, e.workspace_id, k.scope, k.revoked_at IS NOT NULL AS revoked, k.last_used_at
       FROM api_keys k JOIN environments e ON e.id = k.environment_id
      WHERE k.secret_hash = $1`,
    [hashToken(secret)],
  );
  if (!key || key.revoked) return null;
  if (!key.last_used_at || now.getTime() - new Date(key.last_used_at).getTime() > TOUCH_EVERY_MS) {
    await db.getRepository(ApiKeyEntity).update({ id: key.id }, { lastUsedAt: now });
  }
  return { apiKeyId: key.id, environmentId: key.environment_id, workspaceId: key.workspace_id, scope: key.scope };
}
