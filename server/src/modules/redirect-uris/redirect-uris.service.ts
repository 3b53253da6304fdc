import type { DataSource } from 'typeorm';
import { matchesRedirectUri, redirectUriProblems } from '@portico/shared';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import { newId } from '../../lib/ids';
import { environmentInScope, restrict, type AccessScope } from '../environments/access-scope';
import { RedirectUriEntity } from './redirect-uri.entity';

export async function listRedirectUris(db: DataSource, environmentId: string): Promise<RedirectUriEntity[]> {
  return db.getRepository(RedirectUriEntity).find({ where: { environmentId }, order: { id: 'ASC' } });
}

/** Adds an allowed redirect URI (contract §6.4). The environment's first non-wildcard URI becomes its default. */
export async function addRedirectUri(db: DataSource, scope: AccessScope, environmentId: string, uri: string, makeDefault: boolean): Promise<RedirectUriEntity> {
  const environment = await environmentInScope({ db }, scope, environmentId);
  const value = uri.trim();
  const problems = redirectUriProblems(value, environment.kind, { isDefault: makeDefault });
  if (problems.length) throw new ValidationError(problems);
  return db.transaction(async (manager) => {
    await manager.query('SELECT 1 FROM environments WHERE id = $1 FOR UPDATE', [environment.id]);
    const repo = manager.getRepository(RedirectUriEntity);
    if (await repo.existsBy({ environmentId: environment.id, uri: value })) throw new ConflictError('This redirect URI is already on the list', 'uri');
    const hasDefault = await repo.existsBy({ environmentId: environment.id, isDefault: true });
    const isDefault = makeDefault || (!hasDefault && redirectUriProblems(value, environment.kind, { isDefault: true }).length === 0);
    if (isDefault) await repo.update({ environmentId: environment.id, isDefault: true }, { isDefault: false });
    const row = repo.create({ id: newId('redirectUri'), environmentId: environment.id, uri: value, isDefault });
    await repo.insert(row);
    return row;
  });
}

async function inScope(db: DataSource, scope: AccessScope, id: string): Promise<RedirectUriEntity> {
  const row = await restrict(db.getRepository(RedirectUriEntity).createQueryBuilder('ru').where('ru.id = :id', { id }), scope, 'ru').getOne();
  if (!row) throw new NotFoundError('Redirect URI');
  return row;
}

export async function setDefaultRedirectUri(db: DataSource, scope: AccessScope, id: string): Promise<RedirectUriEntity> {
  const row = await inScope(db, scope, id);
  const environment = await environmentInScope({ db }, scope, row.environmentId);
  const problems = redirectUriProblems(row.uri, environment.kind, { isDefault: true });
  if (problems.length) throw new ValidationError(problems);
  await db.transaction(async (manager) => {
    await manager.getRepository(RedirectUriEntity).update({ environmentId: row.environmentId, isDefault: true }, { isDefault: false });
    await manager.getRepository(RedirectUriEntity).update({ id: row.id }, { isDefault: true });
  });
  return { ...row, isDefault: true };
}

/** Removes a URI; when it was the default, the oldest remaining URI that can be a default takes its place. */
export async function removeRedirectUri(db: DataSource, scope: AccessScope, id: string): Promise<RedirectUriEntity> {
  const row = await inScope(db, scope, id);
  const environment = await environmentInScope({ db }, scope, row.environmentId);
  await db.transaction(async (manager) => {
    const repo = manager.getRepository(RedirectUriEntity);
    await repo.delete({ id: row.id });
    if (!row.isDefault) return;
    const next = (await repo.find({ where: { environmentId: row.environmentId }, order: { id: 'ASC' } })).find(
      (r) => redirectUriProblems(r.uri, environment.kind, { isDefault: true }).length === 0,
    );
    if (next) await repo.update({ id: next.id }, { isDefault: true });
  });
  return row;
}

/**
 * The redirect URI a sign-in returns to: `requested` when it matches the environment's list (exactly, or a
 * wildcard entry), else null; without `requested`, the default. Never taken on trust.
 */
export function pickRedirectUri(allowed: { uri: string; isDefault: boolean }[], requested: string | null): string | null {
  if (requested === null) return allowed.find((r) => r.isDefault)?.uri ?? null;
  return allowed.some((r) => matchesRedirectUri(r.uri, requested)) ? requested : null;
}

export async function resolveRedirectUri(db: DataSource, environmentId: string, requested: string | null): Promise<string | null> {
  return pickRedirectUri(await listRedirectUris(db, environmentId), requested);
}
