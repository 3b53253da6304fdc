import { type DataSource, type EntityManager } from 'typeorm';
import { newId } from '../../lib/ids';
import { eventFollowedSql, followEvents, followsWithoutSubscribers, recordEvents, type NewEvent } from '../events/events.service';
import { EventEntity } from '../events/event.entity';
import { OrganizationDomainEntity } from '../organizations/organization.entity';
import { computeCustomAttributes, groupsOfUsers, listCustomAttributes } from './directories.service';
import { directoryForEvents, presentDirectoryGroup, presentDirectoryUser } from './directory-presenters';
import { type CustomAttributeEntity, DirectoryEntity, DirectoryGroupEntity, DirectoryUserEntity } from './directory.entity';
import { SCIM_LOG_COLUMNS, scimLogValues } from './scim-log.service';
import { normalizeUserRaw, SCHEMAS, standardUserFields } from './scim-attributes';
import { ScimError } from './scim-error';
import { scimFilterSql } from './scim-filter';
import { patchGroup, patchUser, readOperations, type PatchOperation } from './scim-patch';
import { withoutPasswords } from './scim-redaction';
import { patchGroupInOneStatement, readGroupWithNamedUsers, readUserWithGroups, updateUserInOneStatement, type LogValues, type NamedUser, type ReadVersion, type Unchanged, type Written } from './scim-store';
import { findPrototypeKey } from '../../lib/own-keys';
import { preparedQuery } from '../../db/prepared';
import { uniqueViolation } from '../../db/unique-violation';
import { unindexable } from '../../db/unindexable';

// Record<string, any>: TypeORM's partial-entity types reject `unknown` values in jsonb columns.
type Json = Record<string, any>;

/**
 * The SCIM 2.0 resources of one directory (RFC 7643 / 7644): Users and Groups as the provider sends them, kept raw,
 * with WorkOS's standard fields derived, custom attributes mapped, and a dsync.* event for every change, written
 * atomically with it (one statement, or one transaction with the webhook deliveries) per request.
 */
export interface ScimScope {
  db: DataSource;
  directory: DirectoryEntity;
  /** `…/scim/v2/:directoryId`, for meta.location. */
  baseUrl: string;
  /** The environment's custom attributes (read with the directory when the request was authenticated). */
  customAttributes?: Pick<CustomAttributeEntity, 'id' | 'key'>[];
  /**
   * The request being served, for writes that log it themselves (in the statement that makes the change, so the
   * log row, the change and its events commit together); such a write sets `logged`, and the router doesn't log again.
   */
  request?: { method: string; path: string; query: string; started: bigint; logged?: boolean };
}

const notFound = (kind: string, id: string) => new ScimError(404, `${kind} ${id} not found`);

/** The enterprise extension as returned: `manager` complex (RFC 7643 §4.3) with the `$ref` of its User resource. */
function enterpriseResource(scope: ScimScope, raw: Json): Json {
  const extension = raw[SCHEMAS.enterprise];
  if (!extension || typeof extension !== 'object' || Array.isArray(extension)) return {};
  const manager = (extension as Json).manager;
  if (!manager || typeof manager !== 'object' || typeof manager.value !== 'string') return {};
  return { [SCHEMAS.enterprise]: { ...extension, manager: { ...manager, $ref: `${scope.baseUrl}/Users/${encodeURIComponent(manager.value)}` } } };
}

function userResource(scope: ScimScope, user: DirectoryUserEntity, groups: Pick<DirectoryGroupEntity, 'id' | 'name'>[]): Json {
  const raw = user.rawAttributes;
  return {
    ...raw,
    ...enterpriseResource(scope, raw),
    schemas: Array.isArray(raw.schemas) && raw.schemas.length ? raw.schemas : [SCHEMAS.user],
    id: user.id,
    userName: user.userName,
    active: user.state === 'active',
    groups: groups.map((g) => ({ value: g.id, display: g.name, $ref: `${scope.baseUrl}/Groups/${g.id}` })),
    meta: { resourceType: 'User', created: user.createdAt.toISOString(), lastModified: user.updatedAt.toISOString(), location: `${scope.baseUrl}/Users/${user.id}`, version: `W/"${user.updatedAt.getTime()}"` },
  };
}

function groupResource(scope: ScimScope, group: DirectoryGroupEntity, members: { id: string; userName: string }[]): Json {
  return {
    ...group.rawAttributes,
    schemas: [SCHEMAS.group],
    id: group.id,
    displayName: group.name,
    members: members.map((m) => ({ value: m.id, display: m.userName, $ref: `${scope.baseUrl}/Users/${m.id}` })),
    meta: { resourceType: 'Group', created: group.createdAt.toISOString(), lastModified: group.updatedAt.toISOString(), location: `${scope.baseUrl}/Groups/${group.id}`, version: `W/"${group.updatedAt.getTime()}"` },
  };
}

function cleanRaw(body: unknown): Json {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ScimError(400, 'The body must be a SCIM resource (a JSON object)', 'invalidSyntax');
  // Keys through __proto__ / constructor / prototype would reach Object.prototype when the resource is patched later.
  const named = findPrototypeKey(body);
  if (named) throw new ScimError(400, `${named}: __proto__, constructor and prototype are not attribute names`, 'invalidPath');
  // Okta sends a password with new users (nested ones too, in extensions); Portico never stores one.
  const raw = withoutPasswords(body as Json);
  delete raw.id;
  delete raw.meta;
  delete raw.groups; // read-only on Users: memberships come from Groups
  return raw;
}

async function eventBase(scope: ScimScope) {
  return { environmentId: scope.directory.environmentId, organizationId: scope.directory.organizationId };
}

/** The first authenticated request links the directory (dsync.activated), and recovers it from invalid_credentials. */
export async function markLinked(db: DataSource, directory: DirectoryEntity): Promise<void> {
  if (directory.state === 'linked') return;
  await db.transaction(async (manager) => {
    const [, updated] = (await manager.query(`UPDATE directories SET state = 'linked', updated_at = now() WHERE id = $1 AND state <> 'linked'`, [directory.id])) as [unknown, number];
    if (!updated) return;
    const domains = await manager.getRepository(OrganizationDomainEntity).findBy({ organizationId: directory.organizationId });
    await recordEvents(manager, [{
      environmentId: directory.environmentId, organizationId: directory.organizationId, event: 'dsync.activated',
      data: { ...directoryForEvents({ ...directory, state: 'linked' }), external_key: directory.id, domains: domains.map((d) => ({ object: 'organization_domain', id: d.id, domain: d.domain })) },
    }]);
  });
  directory.state = 'linked';
}

// ── Users ───────────────────────────────────────────────────────────────────────────────────────────────

async function findUser(manager: EntityManager | DataSource, scope: ScimScope, id: string, lock = false): Promise<DirectoryUserEntity> {
  const query = manager.getRepository(DirectoryUserEntity).createQueryBuilder('u').where(`u.id = :id AND ${unindexable('u.directory_id = :dir AND u.deleted_at IS NULL')}`, { id, dir: scope.directory.id });
  if (lock) query.setLock('pessimistic_write');
  const user = await query.getOne();
  if (!user) throw notFound('User', id);
  return user;
}

async function assertUniqueUserName(manager: EntityManager | DataSource, scope: ScimScope, userName: string, exceptId?: string): Promise<void> {
  const [clash] = (await manager.query('SELECT id FROM directory_users WHERE directory_id = $1 AND lower(user_name) = lower($2) AND deleted_at IS NULL AND id <> $3', [scope.directory.id, userName, exceptId ?? ''])) as { id: string }[];
  if (clash) throw new ScimError(409, `A user with userName ${userName} already exists`, 'uniqueness');
}

/**
 * Equality of JSON values, key order aside (jsonb read back orders keys its own way, so JSON text can't be compared)
 * and realm aside (structuredClone's arrays are another realm's under a VM sandbox, which util.isDeepStrictEqual sees).
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && sameJson((a as Json)[k], (b as Json)[k]));
}

/** Shallow diff of root fields and custom_attributes for dsync.user.updated's previous_attributes. */
function previousAttributes(before: Json, after: Json): Json {
  const previous: Json = {};
  for (const key of ['first_name', 'last_name', 'email', 'state', 'username', 'job_title', 'idp_id']) {
    if (!sameJson(before[key], after[key])) previous[key] = before[key] ?? null;
  }
  const beforeCustom = (before.custom_attributes ?? {}) as Json;
  const afterCustom = (after.custom_attributes ?? {}) as Json;
  const custom: Json = {};
  for (const key of new Set([...Object.keys(beforeCustom), ...Object.keys(afterCustom)])) {
    if (!sameJson(beforeCustom[key], afterCustom[key])) custom[key] = Object.hasOwn(beforeCustom, key) ? beforeCustom[key] : null;
  }
  if (Object.keys(custom).length) previous.custom_attributes = custom;
  return previous;
}

/** The request's log row for a write that logs itself with its change (see ScimScope.request), or null. */
function logValuesFor(scope: ScimScope, status: number): LogValues {
  const request = scope.request;
  if (!request) return null;
  return scimLogValues({
    directoryId: scope.directory.id, method: request.method, path: request.path, query: request.query, status,
    durationMs: Number(process.hrtime.bigint() - request.started) / 1e6, requestBody: null, responseBody: null,
  });
}

/** The event rows for a one-statement write, and what they set off once written (webhook deliveries, notifications). */
function eventRows(scope: ScimScope, events: { event: string; data: Json }[]): EventEntity[] {
  return events.map((e) => Object.assign(new EventEntity(), { id: newId('event'), environmentId: scope.directory.environmentId, organizationId: scope.directory.organizationId, event: e.event, data: e.data }));
}

/**
 * A change computed from its row, written as scim-store describes. The row is read without a lock and the change
 * written only if the row is still as read: with no webhook endpoint following the change's events, by one statement
 * and no transaction; otherwise by that statement and the events' deliveries in one transaction. When another request
 * changed the row in between (nothing was written), the row is read again locked, in a transaction, and the change
 * computed and written from it. Answers the row and the change as written; the write logged the request.
 */
async function writeChange<F extends ReadVersion, C extends { events: EventEntity[] }>(
  scope: ScimScope,
  read: (db: DataSource | EntityManager, lock: boolean) => Promise<F | null>,
  missing: () => ScimError,
  compute: (db: DataSource | EntityManager, found: F) => Promise<C> | C,
  write: (db: DataSource | EntityManager, change: C, unchanged: Unchanged) => Promise<Written>,
): Promise<{ found: F; change: C }> {
  /** In a transaction: the write, then what its recorded events set off (webhook deliveries, notifications); whether it wrote. */
  const writeAndFollow = async (manager: EntityManager, change: C, unchanged: Unchanged) => {
    const { updated, wanted, written } = await write(manager, change, unchanged);
    const events = change.events.filter((e) => written.has(e.id));
    if (updated && events.length && (wanted || events.some((e) => followsWithoutSubscribers(e.event)))) await followEvents(manager, events);
    return updated;
  };
  const found = await read(scope.db, false);
  if (!found) throw missing();
  const change = await compute(scope.db, found);
  const written = !found.followed && !change.events.some((e) => followsWithoutSubscribers(e.event))
    ? (await write(scope.db, change, { since: found.version, unwanted: true })).updated
    : await scope.db.transaction((manager) => writeAndFollow(manager, change, { since: found.version, unwanted: false }));
  const done = written ? { found, change } : await scope.db.transaction(async (manager) => {
    const locked = await read(manager, true);
    if (!locked) throw missing();
    const again = await compute(manager, locked);
    await writeAndFollow(manager, again, null);
    return { found: locked, change: again };
  });
  if (scope.request) scope.request.logged = true;
  return done;
}

/**
 * POST /Users, the request a provider sends once per user: one statement. The user row (the unique index decides a
 * userName clash: nothing is written and the answer is 409), its dsync.user.created event and the request's log row
 * are inserted together by one INSERT … ON CONFLICT DO NOTHING with data-modifying CTEs, atomic as any statement;
 * in a transaction only when a webhook endpoint wants the event (its deliveries are queued in it).
 */
export async function createUser(scope: ScimScope, body: unknown): Promise<Json> {
  const raw: Json = normalizeUserRaw(cleanRaw(body));
  const fields = standardUserFields(raw);
  const attributes = scope.customAttributes ?? (await listCustomAttributes(scope.db, scope.directory.environmentId));
  const now = new Date();
  const user = Object.assign(new DirectoryUserEntity(), {
    id: newId('directoryUser'), directoryId: scope.directory.id, environmentId: scope.directory.environmentId, organizationId: scope.directory.organizationId,
    userName: fields.userName, externalId: fields.externalId, idpId: fields.idpId, email: fields.email, firstName: fields.firstName, lastName: fields.lastName,
    state: fields.active ? 'active' : 'inactive', rawAttributes: raw, customAttributes: computeCustomAttributes(raw, attributes, scope.directory.customAttributeMappings),
    deletedAt: null, createdAt: now, updatedAt: now,
  } satisfies DirectoryUserEntity);
  const resource = userResource(scope, user, []);
  const event = Object.assign(new EventEntity(), {
    id: newId('event'), environmentId: user.environmentId, organizationId: user.organizationId, event: 'dsync.user.created', data: presentDirectoryUser(user, []),
  });
  const params: unknown[] = [
    user.id, user.directoryId, user.environmentId, user.organizationId, user.userName, user.externalId, user.idpId, user.email, user.firstName, user.lastName,
    user.state, JSON.stringify(user.rawAttributes), JSON.stringify(user.customAttributes), now,
    event.id, JSON.stringify(event.data),
  ];
  const request = scope.request;
  const log = logValuesFor(scope, 201);
  if (log) params.push(...log);
  const logged = log ? `, l AS (INSERT INTO scim_requests (${SCIM_LOG_COLUMNS}) SELECT $17, $18, $19, $20, $21, $22, $23, $24 FROM u)` : '';
  // The event's webhook deliveries must be queued in the same transaction as the event. The usual creation (no
  // endpoint wants dsync.user.created) is the statement alone, with no transaction: it inserts nothing when an endpoint
  // wants the event, and says so; then it runs again in a transaction with the deliveries.
  params.push(event.event);
  const subscribed = eventFollowedSql('$3', `$${params.length}`);
  const statement = (alone: boolean) => `WITH u AS (
       INSERT INTO directory_users (id, directory_id, environment_id, organization_id, user_name, external_id, idp_id, email, first_name, last_name, state, raw_attributes, custom_attributes, deleted_at, created_at, updated_at)
       SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text, $10::text, $11::text, $12::jsonb, $13::jsonb, NULL, $14::timestamptz, $14::timestamptz
       ${alone ? `WHERE NOT ${subscribed}` : ''}
       ON CONFLICT (directory_id, lower(user_name)) WHERE deleted_at IS NULL DO NOTHING
       RETURNING id),
     e AS (INSERT INTO events (id, environment_id, organization_id, event, data) SELECT $15, $3, $4, 'dsync.user.created', $16 FROM u)${logged}
     SELECT (SELECT id FROM u) AS id, ${subscribed} AS subscribed`;
  type Outcome = { id: string | null; subscribed: boolean };
  let outcome = followsWithoutSubscribers(event.event) ? null : (await preparedQuery<Outcome>(scope.db, statement(true), params))[0]!;
  if (!outcome || (!outcome.id && outcome.subscribed)) {
    outcome = await scope.db.transaction(async (manager) => {
      const [row] = await preparedQuery<Outcome>(manager, statement(false), params);
      if (row!.id) await followEvents(manager, [event]);
      return row!;
    });
  }
  if (!outcome.id) throw new ScimError(409, `A user with userName ${fields.userName} already exists`, 'uniqueness');
  if (request) request.logged = true;
  return resource;
}

export async function getUser(scope: ScimScope, id: string): Promise<Json> {
  const user = await findUser(scope.db, scope, id);
  return userResource(scope, user, (await groupsOfUsers(scope.db, [user.id])).get(user.id) ?? []);
}

export async function listUsers(scope: ScimScope, params: { filter?: string; startIndex?: string; count?: string }): Promise<Json> {
  const filter = scimFilterSql('User', params.filter);
  const { startIndex, count } = page(params);
  const query = scope.db.getRepository(DirectoryUserEntity).createQueryBuilder('u').where('u.directory_id = :dir AND u.deleted_at IS NULL', { dir: scope.directory.id });
  if (filter) query.andWhere(`(${filter.where})`, filter.params);
  const [users, total] = await query.orderBy('u.id', 'ASC').skip(startIndex - 1).take(count).getManyAndCount();
  const groups = await groupsOfUsers(scope.db, users.map((u) => u.id));
  return listResponse(users.map((u) => userResource(scope, u, groups.get(u.id) ?? [])), total, startIndex);
}

export async function replaceUser(scope: ScimScope, id: string, body: unknown): Promise<Json> {
  const raw = cleanRaw(body);
  return updateUser(scope, id, () => raw);
}

/** PATCH /Users/:id (deactivation is `active: false`): see updateUser. */
export async function patchUserResource(scope: ScimScope, id: string, body: unknown): Promise<Json> {
  const operations = readOperations(body);
  return updateUser(scope, id, (before) => withoutPasswords(patchUser(before.rawAttributes, operations)));
}

/** The user as `rawFor` makes it from `before`, and the dsync.user.updated event (only when something changed). */
async function userChange(manager: EntityManager | DataSource, scope: ScimScope, before: DirectoryUserEntity, rawFor: (before: DirectoryUserEntity) => Json) {
  const raw: Json = normalizeUserRaw(rawFor(before));
  const fields = standardUserFields(raw);
  const attributes = scope.customAttributes ?? (await listCustomAttributes(manager, scope.directory.environmentId));
  const after = Object.assign(new DirectoryUserEntity(), before, {
    userName: fields.userName, externalId: fields.externalId, idpId: fields.idpId, email: fields.email, firstName: fields.firstName, lastName: fields.lastName,
    state: fields.active ? ('active' as const) : ('inactive' as const), rawAttributes: raw,
    customAttributes: computeCustomAttributes(raw, attributes, scope.directory.customAttributeMappings) as Json, updatedAt: new Date(),
  });
  const previous = previousAttributes(presentDirectoryUser(before, []), presentDirectoryUser(after, []));
  const changed = Object.keys(previous).length > 0 || !sameJson(before.rawAttributes, after.rawAttributes);
  const events = eventRows(scope, changed ? [{ event: 'dsync.user.updated', data: { ...presentDirectoryUser(after, []), previous_attributes: previous } }] : []);
  if (fields.userName.toLowerCase() !== before.userName.toLowerCase()) await assertUniqueUserName(manager, scope, fields.userName, before.id);
  return { after, events };
}

/** The unique index decides a concurrent userName clash (the check can't see another request's uncommitted user): the loser gets 409. */
async function clashAs409<T>(userName: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (uniqueViolation(err) === 'directory_users_user_name_idx') throw new ScimError(409, `A user with userName ${userName} already exists`, 'uniqueness');
    throw err;
  }
}

/**
 * A user's new raw attributes, written (writeChange) with its dsync.user.updated event (only when something changed)
 * and the log row by one statement (scim-store). A userName change is checked first (one more statement); the unique
 * index still decides a concurrent clash.
 */
async function updateUser(scope: ScimScope, id: string, rawFor: (before: DirectoryUserEntity) => Json): Promise<Json> {
  const { found, change } = await writeChange(scope,
    (db, lock) => readUserWithGroups(db, scope.directory.id, id, lock), () => notFound('User', id),
    (db, read) => userChange(db, scope, read.user, rawFor),
    (db, { after, events }, unchanged) => clashAs409(after.userName, () => updateUserInOneStatement(db, after, events, logValuesFor(scope, 200), unchanged)));
  return userResource(scope, change.after, found.groups);
}

/** Deprovisioning: the user leaves its groups, becomes inactive (still listed by the API) and disappears from SCIM. */
export async function deleteUser(scope: ScimScope, id: string): Promise<void> {
  await scope.db.transaction(async (manager) => {
    const user = await findUser(manager, scope, id, true);
    const groups = (await groupsOfUsers(manager, [user.id])).get(user.id) ?? [];
    await manager.query('DELETE FROM directory_group_members WHERE user_id = $1', [user.id]);
    await manager.getRepository(DirectoryUserEntity).update({ id: user.id }, { state: 'inactive', deletedAt: new Date(), updatedAt: new Date() });
    const gone = { ...user, state: 'inactive' as const };
    const base = await eventBase(scope);
    await recordEvents(manager, [
      ...groups.map((g): NewEvent => ({ ...base, event: 'dsync.group.user_removed', data: { directory_id: scope.directory.id, user: presentDirectoryUser(gone, []), group: presentDirectoryGroup(g) } })),
      { ...base, event: 'dsync.user.deleted', data: presentDirectoryUser(gone, []) },
    ]);
  });
}

// ── Groups ──────────────────────────────────────────────────────────────────────────────────────────────

async function findGroup(manager: EntityManager | DataSource, scope: ScimScope, id: string, lock = false): Promise<DirectoryGroupEntity> {
  const query = manager.getRepository(DirectoryGroupEntity).createQueryBuilder('g').where(`g.id = :id AND ${unindexable('g.directory_id = :dir')}`, { id, dir: scope.directory.id });
  if (lock) query.setLock('pessimistic_write');
  const group = await query.getOne();
  if (!group) throw notFound('Group', id);
  return group;
}

async function membersOf(manager: EntityManager | DataSource, groupIds: string[]): Promise<Map<string, { id: string; userName: string }[]>> {
  const out = new Map<string, { id: string; userName: string }[]>(groupIds.map((id) => [id, []]));
  if (!groupIds.length) return out;
  const rows = (await manager.query('SELECT m.group_id, u.id, u.user_name FROM directory_group_members m JOIN directory_users u ON u.id = m.user_id WHERE m.group_id = ANY($1) ORDER BY u.id', [groupIds])) as { group_id: string; id: string; user_name: string }[];
  for (const row of rows) out.get(row.group_id)?.push({ id: row.id, userName: row.user_name });
  return out;
}

function groupFields(raw: Json): { name: string; externalId: string | null } {
  const name = typeof raw.displayName === 'string' ? raw.displayName.trim() : '';
  if (!name) throw new ScimError(400, 'displayName is required', 'invalidValue');
  return { name, externalId: typeof raw.externalId === 'string' && raw.externalId ? raw.externalId : null };
}

const memberValues = (raw: Json): string[] => (Array.isArray(raw.members) ? raw.members : []).map((m) => String((m as Json)?.value ?? '')).filter(Boolean);

/** Sets memberships and records user_added / user_removed; members must be users of this directory. */
async function applyMembers(manager: EntityManager, scope: ScimScope, group: DirectoryGroupEntity, change: { add: string[]; remove: string[]; replace: string[] | null }): Promise<NewEvent[]> {
  const current = new Set(((await membersOf(manager, [group.id])).get(group.id) ?? []).map((m) => m.id));
  const target = new Set(change.replace ?? current);
  change.add.forEach((id) => target.add(id));
  change.remove.forEach((id) => target.delete(id));
  const added = [...target].filter((id) => !current.has(id));
  const removed = [...current].filter((id) => !target.has(id));
  if (added.length) {
    const found = (await manager.query(`SELECT id FROM directory_users WHERE id = ANY($1) AND ${unindexable('directory_id = $2 AND deleted_at IS NULL')}`, [added, scope.directory.id])) as { id: string }[];
    const unknown = added.filter((id) => !found.some((f) => f.id === id));
    if (unknown.length) throw new ScimError(400, `No such users in this directory: ${unknown.join(', ')}`, 'invalidValue');
    await manager.query('INSERT INTO directory_group_members (group_id, user_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [group.id, added]);
  }
  if (removed.length) await manager.query('DELETE FROM directory_group_members WHERE group_id = $1 AND user_id = ANY($2)', [group.id, removed]);
  const users = await manager.getRepository(DirectoryUserEntity).createQueryBuilder('u').where('u.id IN (:...ids)', { ids: [...added, ...removed, ''] }).getMany();
  const base = await eventBase(scope);
  const event = (name: string, id: string): NewEvent => ({ ...base, event: name, data: { directory_id: scope.directory.id, user: presentDirectoryUser(users.find((u) => u.id === id)!, []), group: presentDirectoryGroup(group) } });
  return [...added.map((id) => event('dsync.group.user_added', id)), ...removed.map((id) => event('dsync.group.user_removed', id))];
}

export async function createGroup(scope: ScimScope, body: unknown): Promise<Json> {
  const raw = cleanRaw(body);
  const members = memberValues(raw);
  delete raw.members;
  const fields = groupFields(raw);
  return scope.db.transaction(async (manager) => {
    const group = Object.assign(new DirectoryGroupEntity(), {
      id: newId('directoryGroup'), directoryId: scope.directory.id, environmentId: scope.directory.environmentId, organizationId: scope.directory.organizationId,
      name: fields.name, externalId: fields.externalId, idpId: fields.externalId ?? fields.name, rawAttributes: raw,
    });
    await manager.getRepository(DirectoryGroupEntity).insert(group);
    const saved = await manager.getRepository(DirectoryGroupEntity).findOneByOrFail({ id: group.id });
    const events = await applyMembers(manager, scope, saved, { add: members, remove: [], replace: null });
    await recordEvents(manager, [{ ...(await eventBase(scope)), event: 'dsync.group.created', data: presentDirectoryGroup(saved) }, ...events]);
    return groupResource(scope, saved, (await membersOf(manager, [saved.id])).get(saved.id) ?? []);
  });
}

export async function getGroup(scope: ScimScope, id: string, excludeMembers = false): Promise<Json> {
  const group = await findGroup(scope.db, scope, id);
  const resource = groupResource(scope, group, excludeMembers ? [] : ((await membersOf(scope.db, [group.id])).get(group.id) ?? []));
  if (excludeMembers) delete resource.members;
  return resource;
}

export async function listGroups(scope: ScimScope, params: { filter?: string; startIndex?: string; count?: string; excludedAttributes?: string }): Promise<Json> {
  const filter = scimFilterSql('Group', params.filter);
  const { startIndex, count } = page(params);
  const query = scope.db.getRepository(DirectoryGroupEntity).createQueryBuilder('g').where('g.directory_id = :dir', { dir: scope.directory.id });
  if (filter) query.andWhere(`(${filter.where})`, filter.params);
  const [groups, total] = await query.orderBy('g.id', 'ASC').skip(startIndex - 1).take(count).getManyAndCount();
  const excludeMembers = /\bmembers\b/i.test(params.excludedAttributes ?? '');
  const members = excludeMembers ? new Map() : await membersOf(scope.db, groups.map((g) => g.id));
  return listResponse(groups.map((g) => {
    const resource = groupResource(scope, g, members.get(g.id) ?? []);
    if (excludeMembers) delete resource.members;
    return resource;
  }), total, startIndex);
}

async function updateGroupWith(manager: EntityManager, scope: ScimScope, before: DirectoryGroupEntity, raw: Json, members: { add: string[]; remove: string[]; replace: string[] | null }, withMembers = true): Promise<Json> {
  const fields = groupFields(raw);
  await manager.getRepository(DirectoryGroupEntity).update({ id: before.id }, { name: fields.name, externalId: fields.externalId, idpId: fields.externalId ?? fields.name, rawAttributes: raw, updatedAt: new Date() });
  const after = await manager.getRepository(DirectoryGroupEntity).findOneByOrFail({ id: before.id });
  const events = await applyMembers(manager, scope, after, members);
  const renamed = before.name !== after.name;
  await recordEvents(manager, [
    ...(renamed || !sameJson(before.rawAttributes, raw) ? [{ ...(await eventBase(scope)), event: 'dsync.group.updated', data: { ...presentDirectoryGroup(after), previous_attributes: renamed ? { name: before.name } : {} } }] : []),
    ...events,
  ]);
  return groupResource(scope, after, withMembers ? ((await membersOf(manager, [after.id])).get(after.id) ?? []) : []);
}

export async function replaceGroup(scope: ScimScope, id: string, body: unknown): Promise<Json> {
  const raw = cleanRaw(body);
  const members = Array.isArray(raw.members) ? memberValues(raw) : null;
  delete raw.members;
  return scope.db.transaction(async (manager) => updateGroupWith(manager, scope, await findGroup(manager, scope, id, true), raw, { add: [], remove: [], replace: members }));
}

/**
 * PATCH /Groups/:id. `withMembers: false` when the answer is 204 (the member list, possibly long, isn't read), and
 * `status` is what the router answers, for the log row. Adding and removing members (what Okta and Entra ID send) is
 * one read (the group, and the users the operations name: live here, and members already?), then one statement
 * writing the group, the memberships, their events and the log row (writeChange). Replacing the whole member list
 * reads the current one first, in a transaction.
 */
export async function patchGroupResource(scope: ScimScope, id: string, body: unknown, withMembers = true, status = 200): Promise<Json> {
  const operations = readOperations(body);
  const { members: change } = patchGroup({}, operations);
  if (change.replace !== null) {
    return scope.db.transaction(async (manager) => {
      const before = await findGroup(manager, scope, id, true);
      const { raw, members } = patchGroup(before.rawAttributes, operations);
      return updateGroupWith(manager, scope, before, withoutPasswords(raw), members, withMembers);
    });
  }
  const userIds = [...new Set([...change.add, ...change.remove])];
  const { change: written } = await writeChange(scope,
    (db, lock) => readGroupWithNamedUsers(db, scope.directory.id, id, userIds, lock), () => notFound('Group', id),
    (_db, found) => groupMemberChange(scope, found, operations, change),
    (db, { after, members, events }, unchanged) => patchGroupInOneStatement(db, after, members, events, logValuesFor(scope, status), unchanged));
  return groupResource(scope, written.after, withMembers ? ((await membersOf(scope.db, [id])).get(id) ?? []) : []);
}

/** The group as the operations leave it, the members added and removed, and their events (read from `found`: the group and the users the operations name). */
function groupMemberChange(scope: ScimScope, found: { group: DirectoryGroupEntity; named: Map<string, NamedUser> }, operations: PatchOperation[], change: { add: string[]; remove: string[] }) {
  const { group: before, named } = found;
  const raw = withoutPasswords(patchGroup(before.rawAttributes, operations).raw);
  const fields = groupFields(raw);
  const after = Object.assign(new DirectoryGroupEntity(), before, { name: fields.name, externalId: fields.externalId, idpId: fields.externalId ?? fields.name, rawAttributes: raw, updatedAt: new Date() });
  // As a member list: the current members, plus those added, minus those removed (a removal wins over an addition).
  const removing = new Set(change.remove);
  const unknown = [...new Set(change.add)].filter((userId) => !removing.has(userId) && !named.has(userId));
  if (unknown.length) throw new ScimError(400, `No such users in this directory: ${unknown.join(', ')}`, 'invalidValue');
  const added = [...new Set(change.add)].filter((userId) => !removing.has(userId) && !named.get(userId)!.member);
  const removed = [...removing].filter((userId) => named.get(userId)?.member === true);
  const renamed = before.name !== after.name;
  const membership = (event: string, userId: string) => ({ event, data: { directory_id: scope.directory.id, user: presentDirectoryUser(named.get(userId)!.user, []), group: presentDirectoryGroup(after) } });
  const events = eventRows(scope, [
    ...(renamed || !sameJson(before.rawAttributes, raw) ? [{ event: 'dsync.group.updated', data: { ...presentDirectoryGroup(after), previous_attributes: renamed ? { name: before.name } : {} } }] : []),
    ...added.map((userId) => membership('dsync.group.user_added', userId)),
    ...removed.map((userId) => membership('dsync.group.user_removed', userId)),
  ]);
  return { after, members: { added, removed }, events };
}

export async function deleteGroup(scope: ScimScope, id: string): Promise<void> {
  await scope.db.transaction(async (manager) => {
    const group = await findGroup(manager, scope, id, true);
    const members = (await membersOf(manager, [group.id])).get(group.id) ?? [];
    const events = await applyMembers(manager, scope, group, { add: [], remove: members.map((m) => m.id), replace: null });
    await manager.getRepository(DirectoryGroupEntity).delete({ id: group.id });
    await recordEvents(manager, [...events, { ...(await eventBase(scope)), event: 'dsync.group.deleted', data: presentDirectoryGroup(group) }]);
  });
}

// ── Lists ───────────────────────────────────────────────────────────────────────────────────────────────

const MAX_COUNT = 200;

/**
 * startIndex and count as RFC 7644 §3.4.2.4 reads them: startIndex below 1 is 1, a negative count is 0, and count is
 * capped. Only plain integers are accepted: `1e20` or `NaN` would reach SQL as an OFFSET PostgreSQL can't hold.
 */
function page(params: { startIndex?: string; count?: string }): { startIndex: number; count: number } {
  const integer = (name: string, text: string | undefined, fallback: number): number => {
    if (text === undefined) return fallback;
    const value = /^\s*[+-]?\d{1,16}\s*$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(value)) throw new ScimError(400, `${name} must be an integer between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER} written in digits; got "${text.slice(0, 40)}"`, 'invalidValue');
    return value;
  };
  const startIndex = integer('startIndex', params.startIndex, 1);
  const count = integer('count', params.count, 100);
  return { startIndex: Math.max(1, startIndex), count: Math.min(Math.max(0, count), MAX_COUNT) };
}

function listResponse(resources: Json[], total: number, startIndex: number): Json {
  return { schemas: [SCHEMAS.list], totalResults: total, startIndex, itemsPerPage: resources.length, Resources: resources };
}
