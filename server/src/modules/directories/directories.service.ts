import { randomInt } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { FieldError } from '@portico/shared';
import { preparedQuery } from '../../db/prepared';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import { newId } from '../../lib/ids';
import { hashToken } from '../../lib/tokens';
import { isOwnKey, ownEntry } from '../../lib/own-keys';
import { environmentInScope, restrict, type AccessScope } from '../environments/access-scope';
import { recordEvents } from '../events/events.service';
import { getOrganization } from '../organizations/organizations.service';
import { directoryForEvents } from './directory-presenters';
import { CustomAttributeEntity, DirectoryEntity, DirectoryGroupEntity, DirectoryUserEntity, type CustomAttributeType } from './directory.entity';
import { leafPaths, valueAtPath } from './scim-attributes';
import { enqueueInTransaction } from '../jobs/job-queue';

// TypeORM answers an UPDATE … RETURNING as [rows, count].
const rowsOf = (r: unknown[]): unknown[] => (Array.isArray(r[0]) ? (r[0] as unknown[]) : r);

/** Directory types Portico's SCIM server speaks for (contract §4), with the name shown in the dashboard. */
export const DIRECTORY_TYPES: Record<string, string> = {
  'generic scim v2.0': 'Generic SCIM v2.0',
  'okta scim v2.0': 'Okta SCIM v2.0',
  'azure scim v2.0': 'Entra ID (Azure AD) SCIM v2.0',
  'onelogin scim v2.0': 'OneLogin SCIM v2.0',
  'jump cloud scim v2.0': 'JumpCloud SCIM v2.0',
  'rippling scim v2.0': 'Rippling SCIM v2.0',
  'pingfederate scim v2.0': 'PingFederate SCIM v2.0',
  'cyberark scim v2.0': 'CyberArk SCIM v2.0',
};

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A SCIM bearer token: 48 random base62 characters (about 285 bits); only its SHA-256 is stored. */
function newScimToken(): string {
  let token = 'scim_';
  for (let i = 0; i < 48; i += 1) token += ALPHABET[randomInt(ALPHABET.length)];
  return token;
}

export function scimBaseUrl(publicUrl: string, directoryId: string): string {
  return `${publicUrl}/scim/v2/${directoryId}`;
}

export function directoriesQuery(db: DataSource | EntityManager, scope: AccessScope, filter: { organizationId?: string; environmentId?: string; search?: string } = {}) {
  const query = restrict(db.getRepository(DirectoryEntity).createQueryBuilder('dir'), scope, 'dir');
  if (filter.environmentId) query.andWhere('dir.environment_id = :environmentId', { environmentId: filter.environmentId });
  if (filter.organizationId) query.andWhere('dir.organization_id = :organizationId', { organizationId: filter.organizationId });
  if (filter.search?.trim()) query.andWhere(`dir.name ILIKE :search ESCAPE '\\'`, { search: `%${filter.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
  return query;
}

export async function getDirectory(db: DataSource | EntityManager, scope: AccessScope, id: string): Promise<DirectoryEntity> {
  const directory = await directoriesQuery(db, scope).andWhere('dir.id = :id', { id }).getOne();
  if (!directory) throw new NotFoundError('Directory');
  return directory;
}

export async function createDirectory(db: DataSource | EntityManager, scope: AccessScope, organizationId: string, input: { name?: string; type: string }): Promise<{ directory: DirectoryEntity; token: string }> {
  const org = await getOrganization(db, scope, organizationId);
  // Own keys only: `in` would accept inherited names (toString, __proto__) and hand a function to TypeORM.
  if (!isOwnKey(DIRECTORY_TYPES, input.type)) throw ValidationError.field('type', 'invalid_directory_type', `Use one of: ${Object.keys(DIRECTORY_TYPES).join(', ')}.`);
  const name = input.name?.trim() || `${org.name} ${ownEntry(DIRECTORY_TYPES, input.type)!.replace(/ SCIM v2\.0$/, '')}`;
  if (name.length > 200) throw ValidationError.field('name', 'name_too_long', 'Use at most 200 characters.');
  const token = newScimToken();
  const directory = Object.assign(new DirectoryEntity(), {
    id: newId('directory'), environmentId: org.environmentId, organizationId: org.id, name, type: input.type, state: 'unlinked' as const,
    tokenHash: hashToken(token), previousTokenHash: null, tokenLastFour: token.slice(-4), tokenRotatedAt: new Date(), customAttributeMappings: {},
  });
  await db.getRepository(DirectoryEntity).insert(directory);
  return { directory: await getDirectory(db, scope, directory.id), token };
}

/** A new bearer token, shown once; the old one stops working at once (and marks the directory if the provider still sends it). */
export async function rotateDirectoryToken(db: DataSource | EntityManager, scope: AccessScope, id: string): Promise<{ directory: DirectoryEntity; token: string }> {
  const directory = await getDirectory(db, scope, id);
  const token = newScimToken();
  await db.getRepository(DirectoryEntity).update({ id }, { previousTokenHash: directory.tokenHash, tokenHash: hashToken(token), tokenLastFour: token.slice(-4), tokenRotatedAt: new Date(), updatedAt: new Date() });
  return { directory: await getDirectory(db, scope, id), token };
}

export async function deleteDirectory(db: DataSource, scope: AccessScope, id: string): Promise<DirectoryEntity> {
  const directory = await getDirectory(db, scope, id);
  await db.transaction(async (manager) => {
    await manager.getRepository(DirectoryEntity).delete({ id });
    await recordEvents(manager, [{ environmentId: directory.environmentId, organizationId: directory.organizationId, event: 'dsync.deleted', data: directoryForEvents(directory) }]);
  });
  return directory;
}

export async function updateDirectory(db: DataSource, scope: AccessScope, id: string, input: { name?: string }): Promise<DirectoryEntity> {
  await getDirectory(db, scope, id);
  const name = input.name?.trim();
  if (input.name !== undefined && (!name || name.length > 200)) throw ValidationError.field('name', 'invalid_name', 'Name the directory (1 to 200 characters).');
  if (name) await db.getRepository(DirectoryEntity).update({ id }, { name, updatedAt: new Date() });
  return getDirectory(db, scope, id);
}

/** The directory whose bearer token this is, for `/scim/v2/:directoryId`; a rotated-out token marks it invalid_credentials. */
/** What a SCIM request needs before it starts: the directory, and its environment's custom attributes (to map). */
export interface ScimAuthentication {
  directory: DirectoryEntity;
  customAttributes: Pick<CustomAttributeEntity, 'id' | 'key'>[];
}

/**
 * The directory a SCIM bearer token opens, with its environment's custom attributes, in one statement (providers
 * send a request per user: each round trip counts). A request with the token before the last rotation marks the
 * directory `invalid_credentials`.
 */
export async function authenticateScim(db: DataSource, directoryId: string, token: string | null): Promise<ScimAuthentication | null> {
  if (!token) return null;
  const hash = hashToken(token);
  const [row] = await preparedQuery<Record<string, any>>(db,
    `SELECT d.id, d.environment_id, d.organization_id, d.name, d.type, d.state, d.token_hash, d.previous_token_hash, d.token_last_four, d.token_rotated_at,
            d.custom_attribute_mappings, d.created_at, d.updated_at,
            (SELECT coalesce(json_agg(json_build_object('id', c.id, 'key', c.key) ORDER BY c.id), '[]'::json) FROM custom_attributes c WHERE c.environment_id = d.environment_id) AS attributes
       FROM directories d WHERE d.id = $1`,
    [directoryId],
  );
  if (!row) return null;
  const directory = Object.assign(new DirectoryEntity(), {
    id: row.id, environmentId: row.environment_id, organizationId: row.organization_id, name: row.name, type: row.type, state: row.state,
    tokenHash: row.token_hash, previousTokenHash: row.previous_token_hash, tokenLastFour: row.token_last_four, tokenRotatedAt: new Date(row.token_rotated_at),
    customAttributeMappings: row.custom_attribute_mappings ?? {}, createdAt: new Date(row.created_at), updatedAt: new Date(row.updated_at),
  });
  if (directory.tokenHash === hash) return { directory, customAttributes: row.attributes as ScimAuthentication['customAttributes'] };
  if (directory.previousTokenHash === hash && directory.state !== 'invalid_credentials') {
    const updatedAt = new Date();
    await db.transaction(async (m) => {
      // Only the request that moves the directory to invalid_credentials notifies (a concurrent one finds it moved).
      const moved = await m.query(`UPDATE directories SET state = 'invalid_credentials', updated_at = $2 WHERE id = $1 AND state <> 'invalid_credentials' RETURNING id`, [directory.id, updatedAt]);
      if (rowsOf(moved).length) {
        await enqueueInTransaction(m, 'notification', [{ data: { kind: 'directory_invalid_credentials', directoryId: directory.id, at: updatedAt.toISOString() } }]);
      }
    });
  }
  return null;
}

// ── Users and groups, for REST and GraphQL ──────────────────────────────────────────────────────────────

export function directoryUsersQuery(db: DataSource, scope: AccessScope, filter: { directoryId?: string; groupId?: string; search?: string }) {
  const query = restrict(db.getRepository(DirectoryUserEntity).createQueryBuilder('du'), scope, 'du');
  if (filter.directoryId) query.andWhere('du.directory_id = :directoryId', { directoryId: filter.directoryId });
  if (filter.groupId) query.andWhere('du.id IN (SELECT m.user_id FROM directory_group_members m WHERE m.group_id = :groupId)', { groupId: filter.groupId });
  const search = filter.search?.trim().toLowerCase();
  if (search) {
    query.andWhere(`(lower(du.email) LIKE :search ESCAPE '\\' OR lower(du.user_name) LIKE :search ESCAPE '\\' OR lower(coalesce(du.first_name, '') || ' ' || coalesce(du.last_name, '')) LIKE :anywhere ESCAPE '\\')`, {
      search: `${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, anywhere: `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
    });
  }
  return query;
}

export function directoryGroupsQuery(db: DataSource, scope: AccessScope, filter: { directoryId?: string; userId?: string; search?: string }) {
  const query = restrict(db.getRepository(DirectoryGroupEntity).createQueryBuilder('dg'), scope, 'dg');
  if (filter.directoryId) query.andWhere('dg.directory_id = :directoryId', { directoryId: filter.directoryId });
  if (filter.userId) query.andWhere('dg.id IN (SELECT m.group_id FROM directory_group_members m WHERE m.user_id = :userId)', { userId: filter.userId });
  if (filter.search?.trim()) query.andWhere(`dg.name ILIKE :search ESCAPE '\\'`, { search: `%${filter.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
  return query;
}

export async function getDirectoryUser(db: DataSource, scope: AccessScope, id: string): Promise<DirectoryUserEntity> {
  const user = await directoryUsersQuery(db, scope, {}).andWhere('du.id = :id', { id }).getOne();
  if (!user) throw new NotFoundError('Directory user');
  return user;
}

export async function getDirectoryGroup(db: DataSource, scope: AccessScope, id: string): Promise<DirectoryGroupEntity> {
  const group = await directoryGroupsQuery(db, scope, {}).andWhere('dg.id = :id', { id }).getOne();
  if (!group) throw new NotFoundError('Directory group');
  return group;
}

/** The groups of each user, in one query. */
export async function groupsOfUsers(db: DataSource | EntityManager, userIds: string[]): Promise<Map<string, DirectoryGroupEntity[]>> {
  const out = new Map<string, DirectoryGroupEntity[]>(userIds.map((id) => [id, []]));
  if (!userIds.length) return out;
  const rows = (await db.query(
    'SELECT m.user_id, g.* FROM directory_group_members m JOIN directory_groups g ON g.id = m.group_id WHERE m.user_id = ANY($1) ORDER BY g.id',
    [userIds],
  )) as Record<string, unknown>[];
  for (const row of rows) {
    const group = db.getRepository(DirectoryGroupEntity).create({
      id: row.id as string, directoryId: row.directory_id as string, environmentId: row.environment_id as string, organizationId: row.organization_id as string,
      name: row.name as string, externalId: row.external_id as string | null, idpId: row.idp_id as string, rawAttributes: row.raw_attributes as Record<string, unknown>,
      createdAt: new Date(row.created_at as string), updatedAt: new Date(row.updated_at as string),
    });
    out.get(row.user_id as string)?.push(group);
  }
  return out;
}

// ── Custom attributes ──────────────────────────────────────────────────────────────────────────────────

const KEY = /^[a-z][a-z0-9_]{0,39}$/;
export const BUILT_IN_ATTRIBUTES = ['idp_id', 'email', 'first_name', 'last_name', 'state', 'groups', 'username', 'emails', 'job_title'];

export async function listCustomAttributes(db: DataSource | EntityManager, environmentId: string): Promise<CustomAttributeEntity[]> {
  return db.getRepository(CustomAttributeEntity).find({ where: { environmentId }, order: { id: 'ASC' } });
}

function validateCustomAttribute(input: { key?: string; label?: string; type?: string }): FieldError[] {
  const problems: FieldError[] = [];
  if (input.key !== undefined) {
    if (!KEY.test(input.key)) problems.push({ field: 'key', code: 'invalid_key', message: 'Use lower-case letters, digits and _, starting with a letter (at most 40), e.g. cost_center.' });
    else if (BUILT_IN_ATTRIBUTES.includes(input.key)) problems.push({ field: 'key', code: 'built_in', message: `${input.key} is a built-in attribute.` });
  }
  if (input.label !== undefined && (!input.label.trim() || input.label.length > 100)) problems.push({ field: 'label', code: 'invalid_label', message: 'Give a label of 1 to 100 characters.' });
  if (input.type !== undefined && !['string', 'number', 'boolean', 'array'].includes(input.type)) problems.push({ field: 'type', code: 'invalid_type', message: 'Use string, number, boolean or array.' });
  return problems;
}

export async function createCustomAttribute(db: DataSource, scope: AccessScope, environmentId: string, input: { key: string; label: string; type: CustomAttributeType }): Promise<CustomAttributeEntity> {
  const environment = await environmentInScope({ db }, scope, environmentId);
  const problems = validateCustomAttribute(input);
  if (problems.length) throw new ValidationError(problems);
  if (await db.getRepository(CustomAttributeEntity).existsBy({ environmentId: environment.id, key: input.key })) throw new ConflictError(`The environment already has an attribute ${input.key}`, 'key');
  const row = db.getRepository(CustomAttributeEntity).create({ id: newId('customAttribute'), environmentId: environment.id, key: input.key, label: input.label.trim(), type: input.type });
  await db.getRepository(CustomAttributeEntity).insert(row);
  return row;
}

async function customAttributeInScope(db: DataSource, scope: AccessScope, id: string): Promise<CustomAttributeEntity> {
  const row = await restrict(db.getRepository(CustomAttributeEntity).createQueryBuilder('ca').where('ca.id = :id', { id }), scope, 'ca').getOne();
  if (!row) throw new NotFoundError('Custom attribute');
  return row;
}

/** Renames keep mappings (they refer to the attribute's ID); every user's custom_attributes is rebuilt with the new key. */
export async function updateCustomAttribute(db: DataSource, scope: AccessScope, id: string, input: { key?: string; label?: string }): Promise<CustomAttributeEntity> {
  const current = await customAttributeInScope(db, scope, id);
  const problems = validateCustomAttribute(input);
  if (problems.length) throw new ValidationError(problems);
  if (input.key && input.key !== current.key && (await db.getRepository(CustomAttributeEntity).existsBy({ environmentId: current.environmentId, key: input.key }))) {
    throw new ConflictError(`The environment already has an attribute ${input.key}`, 'key');
  }
  await db.transaction(async (manager) => {
    await manager.getRepository(CustomAttributeEntity).update({ id }, { ...(input.key ? { key: input.key } : {}), ...(input.label ? { label: input.label.trim() } : {}) });
    if (input.key && input.key !== current.key) await recomputeEnvironment(manager, current.environmentId);
  });
  return customAttributeInScope(db, scope, id);
}

export async function deleteCustomAttribute(db: DataSource, scope: AccessScope, id: string): Promise<CustomAttributeEntity> {
  const current = await customAttributeInScope(db, scope, id);
  await db.transaction(async (manager) => {
    await manager.getRepository(CustomAttributeEntity).delete({ id });
    await manager.query(`UPDATE directories SET custom_attribute_mappings = custom_attribute_mappings - $2 WHERE environment_id = $1`, [current.environmentId, id]);
    await recomputeEnvironment(manager, current.environmentId);
  });
  return current;
}

/** A user's custom_attributes: every environment attribute, its mapped value, or null where unmapped or absent. */
export function computeCustomAttributes(raw: Record<string, unknown>, attributes: Pick<CustomAttributeEntity, 'id' | 'key'>[], mappings: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const attribute of attributes) {
    const path = mappings[attribute.id];
    const value = path ? valueAtPath(raw, path) : undefined;
    out[attribute.key] = value === undefined ? null : value;
  }
  return out;
}

async function recomputeDirectory(manager: EntityManager, directory: DirectoryEntity): Promise<void> {
  const attributes = await listCustomAttributes(manager, directory.environmentId);
  const users = await manager.getRepository(DirectoryUserEntity).find({ where: { directoryId: directory.id }, select: ['id', 'rawAttributes'] });
  for (let i = 0; i < users.length; i += 500) {
    const batch = users.slice(i, i + 500);
    await manager.query(
      `UPDATE directory_users u SET custom_attributes = v.attrs::jsonb FROM unnest($1::text[], $2::text[]) AS v(id, attrs) WHERE u.id = v.id`,
      [batch.map((u) => u.id), batch.map((u) => JSON.stringify(computeCustomAttributes(u.rawAttributes, attributes, directory.customAttributeMappings)))],
    );
  }
}

async function recomputeEnvironment(manager: EntityManager, environmentId: string): Promise<void> {
  for (const directory of await manager.getRepository(DirectoryEntity).findBy({ environmentId })) await recomputeDirectory(manager, directory);
}

/** The attribute paths present in this directory's users' raw data, with a sample value each (the mapping UI's choices). */
export async function rawAttributePaths(db: DataSource, scope: AccessScope, directoryId: string): Promise<{ path: string; sample: string; users: number }[]> {
  await getDirectory(db, scope, directoryId);
  const users = await db.getRepository(DirectoryUserEntity).find({ where: { directoryId }, select: ['id', 'rawAttributes'], order: { id: 'DESC' }, take: 500 });
  const seen = new Map<string, { sample: unknown; users: number }>();
  for (const user of users) {
    for (const [path, value] of leafPaths(user.rawAttributes)) {
      const entry = seen.get(path);
      if (entry) entry.users += 1;
      else seen.set(path, { sample: value, users: 1 });
    }
  }
  return [...seen].map(([path, { sample, users: count }]) => ({ path, sample: String(sample).slice(0, 200), users: count })).sort((a, b) => a.path.localeCompare(b.path));
}

/** Maps (or unmaps, with null) a custom attribute for one directory; the path must exist in its users' raw data. Every user is updated. */
export async function mapCustomAttribute(db: DataSource, scope: AccessScope, directoryId: string, customAttributeId: string, path: string | null): Promise<DirectoryEntity> {
  const directory = await getDirectory(db, scope, directoryId);
  const attribute = await customAttributeInScope(db, scope, customAttributeId);
  if (attribute.environmentId !== directory.environmentId) throw new NotFoundError('Custom attribute');
  if (path !== null) {
    const paths = await rawAttributePaths(db, scope, directoryId);
    if (!paths.some((p) => p.path === path)) {
      throw ValidationError.field('path', 'path_not_in_raw_data', `No user of this directory has ${path}. Pick one of the paths seen in the directory’s data.`);
    }
  }
  const mappings = { ...directory.customAttributeMappings };
  if (path === null) delete mappings[attribute.id];
  else mappings[attribute.id] = path;
  await db.transaction(async (manager) => {
    await manager.getRepository(DirectoryEntity).update({ id: directory.id }, { customAttributeMappings: mappings, updatedAt: new Date() });
    await recomputeDirectory(manager, { ...directory, customAttributeMappings: mappings });
  });
  return getDirectory(db, scope, directoryId);
}
