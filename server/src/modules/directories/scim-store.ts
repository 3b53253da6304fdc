import type { DataSource, EntityManager } from 'typeorm';
import { preparedQuery } from '../../db/prepared';
import { eventsFollowedSql } from '../events/events.service';
import { unindexable } from '../../db/unindexable';
import { SCIM_LOG_COLUMNS } from './scim-log.service';
import { DirectoryGroupEntity, DirectoryUserEntity } from './directory.entity';

/**
 * The SCIM write paths a provider sends most after creations (deactivation by PATCH, group membership PATCHes), in
 * as few round trips as their checks allow. One statement reads what the change is computed from, without a lock,
 * with the row's version (its xmin) and whether a webhook endpoint follows the events the change may record; one
 * statement writes the change, its events and the request's log row together, only if the row is still at that
 * version. With no endpoint following, that is the whole request, with no transaction (the write also checks that
 * no endpoint wants its events, or writes nothing); otherwise the write is in a transaction with the events'
 * deliveries. When the row changed in between, nothing was written and the caller takes the locked path: in a
 * transaction, the row read locked, then the same statement. (Counted by test/scim/scim-cost.test.ts; measured by
 * `npm run bench:scim`.)
 */

type Row = Record<string, any>;

/** An event row written by a statement here; the caller passes the same rows to followEvents when they are wanted. */
export interface EventRow {
  id: string;
  environmentId: string;
  organizationId: string | null;
  event: string;
  data: object;
}

/** The values of the request's log row (scimLogValues), or null when nothing is logged here. */
export type LogValues = unknown[] | null;

const toDate = (value: unknown) => (value instanceof Date ? value : new Date(String(value)));

/**
 * The columns the reads here name, rather than `*`: they are prepared statements, and PostgreSQL refuses to run one
 * whose `*` has come to mean other columns ("cached plan must not change result type"), which a migration adding a
 * column would do to every connection of a replica still running the previous version.
 */
const USER_COLUMNS = 'u.id, u.directory_id, u.environment_id, u.organization_id, u.user_name, u.external_id, u.idp_id, u.email, u.first_name, u.last_name, u.state, u.raw_attributes, u.custom_attributes, u.deleted_at, u.created_at, u.updated_at';
const GROUP_COLUMNS = 'g.id, g.directory_id, g.environment_id, g.organization_id, g.name, g.external_id, g.idp_id, g.raw_attributes, g.created_at, g.updated_at';

function userFromRow(row: Row): DirectoryUserEntity {
  return Object.assign(new DirectoryUserEntity(), {
    id: row.id, directoryId: row.directory_id, environmentId: row.environment_id, organizationId: row.organization_id, userName: row.user_name,
    externalId: row.external_id, idpId: row.idp_id, email: row.email, firstName: row.first_name, lastName: row.last_name, state: row.state,
    rawAttributes: row.raw_attributes, customAttributes: row.custom_attributes, deletedAt: row.deleted_at === null ? null : toDate(row.deleted_at),
    createdAt: toDate(row.created_at), updatedAt: toDate(row.updated_at),
  });
}

function groupFromRow(row: Row): DirectoryGroupEntity {
  return Object.assign(new DirectoryGroupEntity(), {
    id: row.id, directoryId: row.directory_id, environmentId: row.environment_id, organizationId: row.organization_id, name: row.name,
    externalId: row.external_id, idpId: row.idp_id, rawAttributes: row.raw_attributes, createdAt: toDate(row.created_at), updatedAt: toDate(row.updated_at),
  });
}

/** The membership events, whose user (`data.user.id`) is the member added or removed. */
const MEMBER_EVENTS = new Set(['dsync.group.user_added', 'dsync.group.user_removed']);

/** The events as rows of `jsonb_to_recordset`, for one INSERT of any number of them; `member`, the user a membership event is about. */
const eventsJson = (events: EventRow[]) => JSON.stringify(events.map((e) => ({
  id: e.id, environment_id: e.environmentId, organization_id: e.organizationId, event: e.event, data: e.data,
  member: MEMBER_EVENTS.has(e.event) ? ((e.data as { user?: { id?: unknown } }).user?.id ?? null) : null,
})));

/**
 * CTEs inserting the events (`$events`, a JSON array; those `only` allows, an SQL condition on the record `x`) and the
 * log row (parameters from `$log` on). The final SELECT reads `wantedSql` and `writtenSql` from them.
 */
function eventsAndLog(eventsParam: number, logParam: number, log: LogValues, from: string, only = 'true'): string {
  const logged = log ? `, l AS (INSERT INTO scim_requests (${SCIM_LOG_COLUMNS}) SELECT ${log.map((_, i) => `$${logParam + i}`).join(', ')} FROM ${from})` : '';
  return `, e AS (
      INSERT INTO events (id, environment_id, organization_id, event, data)
      SELECT x.id, x.environment_id, x.organization_id, x.event, x.data FROM jsonb_to_recordset($${eventsParam}::jsonb) AS x(id text, environment_id text, organization_id text, event text, data jsonb, member text), ${from}
       WHERE ${only}
      RETURNING id, event, environment_id)${logged}`;
}

/** The IDs of the events inserted, as a JSON array. */
const writtenSql = `(SELECT coalesce(json_agg(e.id), '[]'::json) FROM e)`;

/** What a one-statement write answers: whether the row was written, whether an endpoint wants an event, and which events were recorded. */
export interface Written {
  updated: boolean;
  wanted: boolean;
  /** The IDs of the events recorded (a membership event only when the membership changed). */
  written: Set<string>;
}

const writtenOf = (row: { updated: number; wanted: boolean; written: string[] } | undefined): Written =>
  ({ updated: row?.updated === 1, wanted: row?.wanted === true, written: new Set(row?.written ?? []) });

/** True when an enabled webhook endpoint of the events' environment wants one of the inserted events. */
const wantedSql = `EXISTS (SELECT 1 FROM webhook_endpoints we JOIN e ON we.environment_id = e.environment_id WHERE we.status = 'enabled' AND we.events ? e.event)`;

// ── Users ───────────────────────────────────────────────────────────────────────────────────────────────

/** The webhook events a change of a user or a group may record. */
const USER_EVENTS = ['dsync.user.updated'];
const GROUP_EVENTS = ['dsync.group.updated', 'dsync.group.user_added', 'dsync.group.user_removed'];

/** What a write is computed from: the row's version (its xmin), and whether an enabled webhook endpoint follows any of the events the change may record. */
export interface ReadVersion {
  version: string;
  followed: boolean;
}

/** True when an enabled webhook endpoint of the row's environment (`table`.environment_id) wants one of the events in `$param`. */
const followedSql = (table: string, param: number) => eventsFollowedSql(`${table}.environment_id`, `$${param}::text[]`);

/** A live user of the directory with the id and name of each of its groups, and its ReadVersion; null when unknown. Locked for the request's transaction when `lock`. */
export async function readUserWithGroups(db: EntityManager | DataSource, directoryId: string, id: string, lock: boolean): Promise<({ user: DirectoryUserEntity; groups: Pick<DirectoryGroupEntity, 'id' | 'name'>[] } & ReadVersion) | null> {
  const [row] = (await preparedQuery<Row>(db,
    `SELECT ${USER_COLUMNS}, u.xmin::text AS version, ${followedSql('u', 3)} AS followed, COALESCE((SELECT json_agg(json_build_object('id', g.id, 'name', g.name) ORDER BY g.id)
                             FROM directory_group_members m JOIN directory_groups g ON g.id = m.group_id WHERE m.user_id = u.id), '[]') AS groups
       FROM directory_users u
      WHERE u.id = $1 AND ${unindexable('u.directory_id = $2 AND u.deleted_at IS NULL')} -- tenancy: the user is the directory's
      ${lock ? 'FOR UPDATE OF u' : ''}`,
    [id, directoryId, USER_EVENTS],
  )) as Row[];
  return row ? { user: userFromRow(row), groups: row.groups, version: row.version, followed: row.followed === true } : null;
}

/**
 * When the row a write was computed from was read without a lock: the version it was read at (nothing is written
 * unless the row is still at it), and whether the write also needs no endpoint to want its events (outside a
 * transaction, where their deliveries could not be queued with them).
 */
export type Unchanged = { since: string; unwanted: boolean } | null;

/**
 * One statement: the user's new fields, its `dsync.user.updated` event when there is one, and the log row; whether
 * it wrote, and whether an enabled webhook endpoint wants the event (then the caller, in a transaction, queues its
 * deliveries in it). With `unchanged`, written only under its conditions.
 */
export async function updateUserInOneStatement(db: EntityManager | DataSource, user: DirectoryUserEntity, events: EventRow[], log: LogValues, unchanged: Unchanged = null): Promise<Written> {
  const params: unknown[] = [
    user.id, user.userName, user.externalId, user.idpId, user.email, user.firstName, user.lastName, user.state,
    JSON.stringify(user.rawAttributes), JSON.stringify(user.customAttributes), user.updatedAt, eventsJson(events), ...(log ?? []),
  ];
  const guard = guardSql(params, unchanged, user.environmentId, events);
  const [row] = (await preparedQuery<Row>(db,
    `WITH u AS (
       UPDATE directory_users SET user_name = $2, external_id = $3, idp_id = $4, email = $5, first_name = $6, last_name = $7, state = $8,
              raw_attributes = $9, custom_attributes = $10, updated_at = $11
        WHERE id = $1${guard} RETURNING id)${eventsAndLog(12, 13, log, 'u')}
     SELECT (SELECT count(*) FROM u)::int AS updated, ${wantedSql} AS wanted, ${writtenSql} AS written`,
    params,
  )) as { updated: number; wanted: boolean; written: string[] }[];
  if (unchanged === null && row?.updated !== 1) throw new Error(`The user ${user.id} was not updated`);
  return writtenOf(row);
}

/** The UPDATE's added condition for `unchanged` (its parameters appended to `params`): the row (the UPDATE's own) is still at the version read, and no enabled webhook endpoint of the environment wants one of the events when so asked. */
function guardSql(params: unknown[], unchanged: Unchanged, environmentId: string, events: EventRow[]): string {
  if (!unchanged) return '';
  params.push(unchanged.since);
  const version = ` AND xmin = $${params.length}::text::xid`;
  if (!unchanged.unwanted) return version;
  params.push(environmentId, [...new Set(events.map((e) => e.event))]);
  return `${version} AND NOT ${eventsFollowedSql(`$${params.length - 1}`, `$${params.length}::text[]`)}`;
}

// ── Groups ──────────────────────────────────────────────────────────────────────────────────────────────

/** A user a membership change names: live in the directory, and whether it is a member of the group already. */
export interface NamedUser {
  user: DirectoryUserEntity;
  member: boolean;
}

/**
 * The group and its ReadVersion, and the live users of the directory among `userIds`; null when the group is unknown.
 * Locked for the request's transaction when `lock`. The ids reach the planner through a sub-select, so that a plan
 * made for any ids costs what one made for these does and PostgreSQL keeps its generic plan instead of planning
 * every call again (it sees the two or so ids a PATCH names as cheaper than the ten it assumes for an unseen array).
 */
export async function readGroupWithNamedUsers(db: EntityManager | DataSource, directoryId: string, id: string, userIds: string[], lock: boolean): Promise<({ group: DirectoryGroupEntity; named: Map<string, NamedUser> } & ReadVersion) | null> {
  const [row] = (await preparedQuery<Row>(db,
    `SELECT ${GROUP_COLUMNS}, g.xmin::text AS version, ${followedSql('g', 4)} AS followed, COALESCE((SELECT json_agg(to_jsonb(u) || jsonb_build_object('member', m.user_id IS NOT NULL))
                             FROM directory_users u LEFT JOIN directory_group_members m ON m.group_id = g.id AND m.user_id = u.id
                            WHERE u.id = ANY((SELECT $3::text[])::text[]) AND ${unindexable('u.directory_id = g.directory_id AND u.deleted_at IS NULL')}), '[]') AS named
       FROM directory_groups g
      WHERE g.id = $1 AND ${unindexable('g.directory_id = $2')} -- tenancy: the group and the users are the directory's
      ${lock ? 'FOR UPDATE OF g' : ''}`,
    [id, directoryId, userIds, GROUP_EVENTS],
  )) as Row[];
  if (!row) return null;
  return {
    group: groupFromRow(row), named: new Map((row.named as Row[]).map((u) => [u.id as string, { user: userFromRow(u), member: u.member === true }])),
    version: row.version, followed: row.followed === true,
  };
}

/**
 * One statement: the group's new attributes, the members added and removed, their events and the log row; as
 * updateUserInOneStatement. A membership event is recorded only with its change: a member another request removed
 * meanwhile (DELETE /Users takes its memberships away without touching the group) is not removed twice, and a user
 * deleted meanwhile is not added. The member IDs reach the planner through sub-selects, as in readGroupWithNamedUsers,
 * so that the statement keeps its generic plan.
 */
export async function patchGroupInOneStatement(db: EntityManager | DataSource, group: DirectoryGroupEntity, change: { added: string[]; removed: string[] }, events: EventRow[], log: LogValues, unchanged: Unchanged = null): Promise<Written> {
  const params: unknown[] = [
    group.id, group.name, group.externalId, group.idpId, JSON.stringify(group.rawAttributes), group.updatedAt, change.added, change.removed, eventsJson(events), ...(log ?? []),
  ];
  const guard = guardSql(params, unchanged, group.environmentId, events);
  const [row] = (await preparedQuery<Row>(db,
    `WITH g AS (
       UPDATE directory_groups SET name = $2, external_id = $3, idp_id = $4, raw_attributes = $5, updated_at = $6 WHERE id = $1${guard} RETURNING id
     ), a AS (
       INSERT INTO directory_group_members (group_id, user_id)
       SELECT g.id, x FROM g, unnest((SELECT $7::text[])) AS x WHERE EXISTS (SELECT 1 FROM directory_users u WHERE u.id = x AND u.deleted_at IS NULL)
       ON CONFLICT DO NOTHING RETURNING user_id
     ), r AS (
       DELETE FROM directory_group_members WHERE group_id IN (SELECT id FROM g) AND user_id = ANY((SELECT $8::text[])::text[]) RETURNING user_id
     )${eventsAndLog(9, 10, log, 'g', `x.member IS NULL OR (x.event = 'dsync.group.user_added' AND x.member IN (SELECT user_id FROM a)) OR (x.event = 'dsync.group.user_removed' AND x.member IN (SELECT user_id FROM r))`)}
     SELECT (SELECT count(*) FROM g)::int AS updated, ${wantedSql} AS wanted, ${writtenSql} AS written`,
    params,
  )) as { updated: number; wanted: boolean; written: string[] }[];
  if (unchanged === null && row?.updated !== 1) throw new Error(`The group ${group.id} was not updated`);
  return writtenOf(row);
}
