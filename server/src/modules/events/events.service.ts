import type { DataSource, EntityManager } from 'typeorm';
import { ValidationError } from '../../errors';
import { newId } from '../../lib/ids';
import { enqueueInTransaction } from '../jobs/job-queue';
import { NOTIFYING_EVENTS } from '../notifications/notify-event';
import { queueWebhookDeliveries } from '../webhooks/webhooks.service';
import { EventEntity } from './event.entity';

export interface NewEvent {
  environmentId: string;
  organizationId: string | null;
  event: string;
  data: Record<string, unknown>;
}

/**
 * Records events in the caller's transaction, so an event exists exactly when its change does, together with
 * the webhook deliveries it causes (rows and queue jobs): no delivery without its event, no event without them.
 * Given the DataSource instead of a transaction, it opens one of its own.
 */
export async function recordEvents(manager: EntityManager | DataSource, events: NewEvent[]): Promise<void> {
  if (!events.length) return;
  if (!('queryRunner' in manager) || !manager.queryRunner?.isTransactionActive) {
    await manager.transaction((tx) => recordEvents(tx, events));
    return;
  }
  const rows = events.map((e) => Object.assign(new EventEntity(), { id: newId('event'), environmentId: e.environmentId, organizationId: e.organizationId, event: e.event, data: e.data as object }));
  await manager.getRepository(EventEntity).insert(rows);
  await followEvents(manager, rows);
}

/**
 * What an inserted event sets off, in the same transaction: its webhook deliveries (rows and queue jobs) and its
 * notification job. For a path that inserts its event rows by hand (SCIM's one-statement user creation) — it must
 * call this in that transaction, or the event would never be delivered.
 */
export async function followEvents(manager: EntityManager, rows: EventEntity[]): Promise<void> {
  await queueWebhookDeliveries(manager, rows);
  const notifying = rows.filter((e) => NOTIFYING_EVENTS.has(e.event));
  await enqueueInTransaction(manager, 'notification', notifying.map((e) => ({ data: { kind: 'event', eventId: e.id } })));
}

/** SQL (for a hand-written statement) that is true when an enabled webhook endpoint of `environment` (an SQL expression) wants one of `events` (an SQL text[]). */
export function eventsFollowedSql(environment: string, events: string): string {
  return `EXISTS (SELECT 1 FROM webhook_endpoints we WHERE we.environment_id = ${environment} AND we.status = 'enabled' AND we.events ?| ${events})`;
}

/** SQL (for a hand-written statement) that is true when `event` sets anything off in the environment `$environment`. */
export function eventFollowedSql(environmentParam: string, eventParam: string): string {
  return eventsFollowedSql(environmentParam, `ARRAY[${eventParam}]::text[]`);
}
export const followsWithoutSubscribers = (event: string) => NOTIFYING_EVENTS.has(event);

export interface EventQuery {
  events: string[];
  organizationId?: string;
  rangeStart?: Date;
  rangeEnd?: Date;
  after?: string;
  limit: number;
  order: 'asc' | 'desc';
}

export const EVENT_RETENTION_DAYS = 90;
export const EVENT_QUERY_WINDOW_DAYS = 30;

/** `GET /events` (contract §5.2): by name, optionally one organization's, in a time range or after a cursor. */
export async function listEvents(db: DataSource, environmentId: string, q: EventQuery) {
  if (q.rangeStart && q.after) throw ValidationError.field('after', 'range_start_and_after', 'Pass range_start or after, not both.');
  const windowMs = EVENT_QUERY_WINDOW_DAYS * 86_400_000;
  if (q.rangeStart && q.rangeEnd && q.rangeEnd.getTime() - q.rangeStart.getTime() > windowMs) {
    throw ValidationError.field('range_end', 'range_too_long', `A query covers at most ${EVENT_QUERY_WINDOW_DAYS} days: range_end must be within ${EVENT_QUERY_WINDOW_DAYS} days of range_start.`);
  }
  // A range with only its start covers the 30 days that follow it.
  if (q.rangeStart && !q.rangeEnd) q = { ...q, rangeEnd: new Date(q.rangeStart.getTime() + windowMs) };
  const query = db.getRepository(EventEntity).createQueryBuilder('e').where('e.environment_id = :environmentId', { environmentId });
  if (q.events.length) query.andWhere('e.event IN (:...events)', { events: q.events });
  if (q.organizationId) query.andWhere('e.organization_id = :organizationId', { organizationId: q.organizationId });
  if (q.rangeStart) query.andWhere('e.created_at >= :rangeStart', { rangeStart: q.rangeStart });
  if (q.rangeEnd) query.andWhere('e.created_at < :rangeEnd', { rangeEnd: q.rangeEnd });
  query.andWhere('e.created_at >= :retention', { retention: new Date(Date.now() - EVENT_RETENTION_DAYS * 86_400_000) });
  if (q.after) query.andWhere(`e.id ${q.order === 'desc' ? '<' : '>'} :after`, { after: q.after });
  const rows = await query.orderBy('e.id', q.order === 'desc' ? 'DESC' : 'ASC').take(q.limit + 1).getMany();
  const more = rows.length > q.limit;
  const data = rows.slice(0, q.limit);
  return {
    object: 'list' as const,
    data: data.map((e) => ({ object: 'event' as const, id: e.id, event: e.event, data: e.data, created_at: e.createdAt.toISOString() })),
    list_metadata: { after: more ? data.at(-1)!.id : null },
  };
}

/** Housekeeping: events past the Events API's retention, and SCIM request log entries older than 30 days. */
export async function purgeOldEvents(db: DataSource, now = new Date()): Promise<void> {
  await db.query('DELETE FROM events WHERE created_at < $1', [new Date(now.getTime() - EVENT_RETENTION_DAYS * 86_400_000)]);
  await db.query('DELETE FROM scim_requests WHERE created_at < $1', [new Date(now.getTime() - 30 * 86_400_000)]);
}
