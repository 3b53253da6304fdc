import type { EntityManager } from 'typeorm';
import { preparedQuery } from '../../db/prepared';
import { unindexable } from '../../db/unindexable';
import { SCIM_LOG_COLUMNS } from './scim-log.service';
import { DirectoryGroupEntity, DirectoryUserEntity } from './directory.entity';

/**
 * The SCIM write paths a provider sends most after creations (deactivation by PATCH, group membership PATCHes), in
 * as few round trips as their checks allow: inside the request's transaction, one statement reads what the change
 * is computed from (the row locked), and one statement writes the change, its events and the request's log row
 * together, saying whether a webhook endpoint wants the events. (Counted by test/scim/scim-cost.test.ts; measured by
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

/** The events as rows of `jsonb_to_recordset`, for one INSERT of any number of them. */
const eventsJson = (events: EventRow[]) => JSON.stringify(events.map((e) => ({ id: e.id, environment_id: e.environmentId, organization_id: e.organizationId, event: e.event, data: e.data })));

/** CTEs inserting the events (`$events`, a JSON array) and the log row (parameters from `$log` on), and the SELECT saying whether an endpoint wants any of them. */
function eventsAndLog(eventsParam: number, logParam: number, log: LogValues, from: string): string {
  const logged = log ? `, l AS (INSERT INTO scim_requests (${SCIM_LOG_COLUMNS}) SELECT ${log.map((_, i) => `$${logParam + i}`).join(', ')} FROM ${from})` : '';
  return `, e AS (
      INSERT INTO events (id, environment_id, organization_id, event, data)
      SELECT x.id, x.environment_id, x.organization_id, x.event, x.data FROM jsonb_to_recordset($${eventsParam}::jsonb) AS x(id text, environment_id text, organization_id text, event text, data jsonb), ${from}
      RETURNING event, environment_id)${logged}`;
}

/** True when an enabled webhook endpoint of the events' environment wants one of the inserted events. */
const wantedSql = `EXISTS (SELECT 1 FROM webhook_endpoints we JOIN e ON we.environment_id = e.environment_id WHERE we.status = 'enabled' AND we.events ? e.event)`;

// ── Users ───────────────────────────────────────────────────────────────────────────────────────────────

/** A live user of the directory, locked for the request's transaction, with the id and name of each of its groups; null when unknown. */
export async function lockUserWithGroups(manager: EntityManager, directoryId: string, id: string): Promise<{ user: DirectoryUserEntity; groups: Pick<DirectoryGroupEntity, 'id' | 'name'>[] } | null> {
  const [row] = (await preparedQuery<Row>(manager, 
    `SELECT u.*, COALESCE((SELECT json_agg(json_build_object('id', g.id, 'name', g.name) ORDER BY g.id)
                             FROM directory_group_members m JOIN directory_groups g ON g.id = m.group_id WHERE m.user_id = u.id), '[]') AS groups
       FROM directory_users u
      WHERE u.id = $1 AND ${unindexable('u.directory_id = $2 AND u.deleted_at IS NULL')} -- tenancy: the user is the directory's
      FOR UPDATE OF u`,
    [id, directoryId],
  )) as Row[];
  return row ? { user: userFromRow(row), groups: row.groups } : null;
}

/**
 * One statement: the user's new fields, its `dsync.user.updated` event when there is one, and the log row. Answers
 * whether an enabled webhook endpoint wants the event (then the caller queues its deliveries in the same transaction).
 */
export async function updateUserInOneStatement(manager: EntityManager, user: DirectoryUserEntity, events: EventRow[], log: LogValues): Promise<{ wanted: boolean }> {
  const params: unknown[] = [
    user.id, user.userName, user.externalId, user.idpId, user.email, user.firstName, user.lastName, user.state,
    JSON.stringify(user.rawAttributes), JSON.stringify(user.customAttributes), user.updatedAt, eventsJson(events), ...(log ?? []),
  ];
  const [row] = (await preparedQuery<Row>(manager, 
    `WITH u AS (
       UPDATE directory_users SET user_name = $2, external_id = $3, idp_id = $4, email = $5, first_name = $6, last_name = $7, state = $8,
              raw_attributes = $9, custom_attributes = $10, updated_at = $11
        WHERE id = $1 RETURNING id)${eventsAndLog(12, 13, log, 'u')}
     SELECT (SELECT count(*) FROM u)::int AS updated, ${wantedSql} AS wanted`,
    params,
  )) as { updated: number; wanted: boolean }[];
  if (row?.updated !== 1) throw new Error(`The user ${user.id} was not updated`);
  return { wanted: row.wanted };
}

// ── Groups ──────────────────────────────────────────────────────────────────────────────────────────────

/** A user a membership change names: live in the directory, and whether it is a member of the group already. */
export interface NamedUser {
  user: DirectoryUserEntity;
  member: boolean;
}

/** The group, locked for the request's transaction, and the live users of the directory among `userIds`; null when the group is unknown. */
export async function lockGroupWithNamedUsers(manager: EntityManager, directoryId: string, id: string, userIds: string[]): Promise<{ group: DirectoryGroupEntity; named: Map<string, NamedUser> } | null> {
  const [row] = (await preparedQuery<Row>(manager, 
    `SELECT g.*, COALESCE((SELECT json_agg(to_jsonb(u) || jsonb_build_object('member', m.user_id IS NOT NULL))
                             FROM directory_users u LEFT JOIN directory_group_members m ON m.group_id = g.id AND m.user_id = u.id
                            WHERE u.id = ANY($3::text[]) AND ${unindexable('u.directory_id = g.directory_id AND u.deleted_at IS NULL')}), '[]') AS named
       FROM directory_groups g
      WHERE g.id = $1 AND ${unindexable('g.directory_id = $2')} -- tenancy: the group and the users are the directory's
      FOR UPDATE OF g`,
    [id, directoryId, userIds],
  )) as Row[];
  if (!row) return null;
  return { group: groupFromRow(row), named: new Map((row.named as Row[]).map((u) => [u.id as string, { user: userFromRow(u), member: u.member === true }])) };
}

/** One statement: the group's new attributes, the members added and removed, their events and the log row; whether an endpoint wants an event. */
export async function patchGroupInOneStatement(manager: EntityManager, group: DirectoryGroupEntity, change: { added: string[]; removed: string[] }, events: EventRow[], log: LogValues): Promise<{ wanted: boolean }> {
  const params: unknown[] = [
    group.id, group.name, group.externalId, group.idpId, JSON.stringify(group.rawAttributes), group.updatedAt, change.added, change.removed, eventsJson(events), ...(log ?? []),
  ];
  const [row] = (await preparedQuery<Row>(manager, 
    `WITH g AS (
       UPDATE directory_groups SET name = $2, external_id = $3, idp_id = $4, raw_attributes = $5, updated_at = $6 WHERE id = $1 RETURNING id
     ), a AS (
       INSERT INTO directory_group_members (group_id, user_id) SELECT g.id, x FROM g, unnest($7::text[]) AS x ON CONFLICT DO NOTHING
     ), r AS (
       DELETE FROM directory_group_members WHERE group_id IN (SELECT id FROM g) AND user_id = ANY($8::text[])
     )${eventsAndLog(9, 10, log, 'g')}
     SELECT (SELECT count(*) FROM g)::int AS updated, ${wantedSql} AS wanted`,
    params,
  )) as { updated: number; wanted: boolean }[];
  if (row?.updated !== 1) throw new Error(`The group ${group.id} was not updated`);
  return { wanted: row.wanted };
}
