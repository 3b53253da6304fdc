import type { DataSource, EntityManager } from 'typeorm';
import { connectionEvent } from '../connections/connection-events';
import { SsoConnectionEntity } from '../connections/connection.entity';
import { EventEntity } from '../events/event.entity';
import { followEvents, recordEvents, type NewEvent } from '../events/events.service';
import { newId } from '../../lib/ids';
import { authorizeInOneStatement, authorizeQuietBatch, insertStartedSession, saveSession, type Authorization, type AuthorizeResult, type QuietSignIn } from './acs-store';
import { writeSlots } from './write-slots';
import type { SsoSessionEntity } from './sso-session.entity';

export type SsoEventName = 'authentication.sso_started' | 'authentication.sso_succeeded' | 'authentication.sso_failed' | 'authentication.sso_timed_out';

const STATUS: Record<SsoEventName, string> = {
  'authentication.sso_started': 'started', 'authentication.sso_succeeded': 'succeeded', 'authentication.sso_failed': 'failed', 'authentication.sso_timed_out': 'timed_out',
};

/** `authentication.sso_*` data (contract §5.2), with the session ID, and on failure the dashboard error and reason. */
export function ssoEvent(event: SsoEventName, s: SsoSessionEntity): NewEvent {
  return {
    environmentId: s.environmentId,
    organizationId: s.organizationId,
    event,
    data: {
      type: 'sso', status: STATUS[event], email: s.email ?? null, ip_address: s.ip ?? null, user_agent: s.userAgent ?? null, user_id: null,
      sso: { connection_id: s.connectionId, organization_id: s.organizationId, session_id: s.id },
      ...(event === 'authentication.sso_failed' ? { error: { code: s.error ?? 'server_error', reason: s.errorReason ?? null, message: s.errorMessage ?? null } } : {}),
    },
  };
}

/**
 * A successful sign-in with its events, atomically (issue 12: no event without its change, no change without its
 * event). The session, its code and its `authentication.sso_succeeded` row are one statement. When nothing follows
 * the event (no webhook endpoint wants it, the connection is already active) that statement runs alone, as atomic
 * as any statement and with no round trip added; otherwise it runs in a transaction with what follows: the webhook
 * deliveries, and for the sign-in whose statement activated the connection, `connection.activated` (exactly once,
 * however many first sign-ins race) with its notification.
 */
export async function authorizeWithEvents(db: DataSource, session: SsoSessionEntity, authorization: Authorization, mayBeQuiet: boolean, contextVersion: string | null = null): Promise<AuthorizeResult> {
  const event = ssoEvent('authentication.sso_succeeded', session);
  const row = { id: newId('event'), data: event.data };
  if (mayBeQuiet) {
    const alone = await authorizeInOneStatement(db, session, authorization, row, true, contextVersion);
    if (alone.outcome !== 'followed') return alone;
  }
  return db.transaction(async (m) => {
    const result = await authorizeInOneStatement(m, session, authorization, row, false, contextVersion);
    if (result.outcome !== 'authorized') return result;
    if (result.subscribed) {
      await followEvents(m, [Object.assign(new EventEntity(), { id: row.id, environmentId: event.environmentId, organizationId: event.organizationId, event: event.event, data: event.data })]);
    }
    if (result.activated) {
      const connection = await m.getRepository(SsoConnectionEntity).findOneByOrFail({ id: session.connectionId });
      await recordEvents(m, [await connectionEvent(m, connection, 'connection.activated')]);
    }
    return result;
  });
}

/**
 * authorizeWithEvents in one of the process's write slots (ACS_WRITE_SLOTS). A sign-in that may be quiet, checked
 * against a cached context, and finds the slots busy waits to be written with the other sign-ins of its connection
 * waiting then: one statement (authorizeQuietBatch) and one commit for all of them. Should that statement find the
 * event followed after all, each is written again on its own, in a transaction with what follows.
 */
export async function authorizeWithEventsInSlot(db: DataSource, { slots, batch }: { slots: number; batch: number }, session: SsoSessionEntity, authorization: Authorization, mayBeQuiet: boolean, contextVersion: string | null): Promise<AuthorizeResult> {
  const slotsOf = writeSlots(db, slots);
  if (!mayBeQuiet || contextVersion === null || !session.connectionId || batch <= 1) return slotsOf.run(() => authorizeWithEvents(db, session, authorization, mayBeQuiet, contextVersion));
  const event = ssoEvent('authentication.sso_succeeded', session);
  const signIn: QuietSignIn = { session, authorization, event: { id: newId('event'), data: event.data } };
  const connectionId = session.connectionId;
  const result = await slotsOf.runBatched(`${connectionId} ${contextVersion}`, [`assertion ${authorization.assertionId}`, `session ${session.id}`], signIn,
    (one) => authorizeWithEvents(db, one.session, one.authorization, true, contextVersion),
    (many) => authorizeQuietBatch(db, connectionId, contextVersion, many), batch);
  if (result.outcome !== 'followed') return result;
  return slotsOf.run(() => authorizeWithEvents(db, session, authorization, false, contextVersion));
}

/**
 * `/sso/authorize`: the STARTED session with its `authentication.sso_started`, in one statement when no webhook
 * endpoint wants the event (checked by the statement itself), else in a transaction with the deliveries.
 */
export async function startSessionWithEvent(db: DataSource, session: SsoSessionEntity, alongside?: (m: EntityManager) => Promise<void>): Promise<void> {
  const event = ssoEvent('authentication.sso_started', session);
  const row = { id: newId('event'), data: event.data };
  // `alongside` (an OAuth sign-in's one-time state) must be written with the session: then always a transaction.
  if (!alongside && (await insertStartedSession(db, session, row, true)).outcome === 'inserted') return;
  await db.transaction(async (m) => {
    const { subscribed } = await insertStartedSession(m, session, row, false);
    if (subscribed) await followEvents(m, [Object.assign(new EventEntity(), { id: row.id, environmentId: event.environmentId, organizationId: event.organizationId, event: event.event, data: event.data })]);
    await alongside?.(m);
  });
}

/**
 * Saves a failed attempt and its `authentication.sso_failed` event in one transaction (the event notifies, so its
 * notification job goes with it); false, writing nothing, when a SP-initiated session had already been answered.
 */
export async function saveFailedSession(db: DataSource, session: SsoSessionEntity): Promise<boolean> {
  return db.transaction(async (m) => {
    if (!(await saveSession(m, session))) return false;
    await recordEvents(m, [ssoEvent('authentication.sso_failed', session)]);
    return true;
  });
}

/** Started sessions that never got an answer within 5 minutes: one `authentication.sso_timed_out` each. */
export async function recordSsoTimeouts(db: DataSource, now = new Date()): Promise<void> {
  await db.transaction(async (m) => {
    const rows: SsoSessionEntity[] = await m.query(
      `UPDATE sso_sessions SET timeout_reported = true
       WHERE state = 'STARTED' AND NOT timeout_reported AND started_at < $1 AND started_at > $2
       RETURNING id, environment_id AS "environmentId", organization_id AS "organizationId", connection_id AS "connectionId", email, ip, user_agent AS "userAgent"`,
      [new Date(now.getTime() - 5 * 60_000), new Date(now.getTime() - 24 * 3_600_000)],
    ).then((r: [SsoSessionEntity[], number] | SsoSessionEntity[]) => (Array.isArray(r[0]) ? (r[0] as SsoSessionEntity[]) : (r as SsoSessionEntity[])));
    await recordEvents(m, rows.map((s) => ssoEvent('authentication.sso_timed_out', s)));
  });
}
