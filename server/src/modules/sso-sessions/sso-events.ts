import type { DataSource } from 'typeorm';
import { connectionEvent } from '../connections/connection-events';
import { SsoConnectionEntity } from '../connections/connection.entity';
import { recordEvents, type NewEvent } from '../events/events.service';
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
 * A successful sign-in's events; the first one through a validating connection also activated it (the
 * sign-in's own statement moved it to active), so `connection.activated` goes with it.
 */
export async function recordSsoSuccess(db: DataSource, session: SsoSessionEntity, activated: boolean): Promise<void> {
  const events = [ssoEvent('authentication.sso_succeeded', session)];
  if (activated) {
    const connection = await db.getRepository(SsoConnectionEntity).findOneBy({ id: session.connectionId, state: 'active' });
    if (connection) events.push(await connectionEvent(db, connection, 'connection.activated'));
  }
  await recordEvents(db, events);
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
