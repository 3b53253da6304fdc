import type PgBoss from 'pg-boss';
import type { WorkerSpec } from '../jobs/job-queue';
import { sendNotice, type NotificationDeps } from './notifications.service';

/** Events that may notify someone: recordEvents queues a notification job for them, in their transaction. */
export const NOTIFYING_EVENTS = new Set(['connection.activated', 'connection.deactivated', 'connection.saml_certificate_renewal_required', 'authentication.sso_failed']);

export const BURST = { failures: 10, windowMinutes: 10, quietMinutes: 60 };

export type NotificationJob =
  | { kind: 'event'; eventId: string }
  | { kind: 'directory_invalid_credentials'; directoryId: string; at: string }
  | { kind: 'webhook_failing'; endpointId: string; since: string };

type EventRow = { id: string; environment_id: string; event: string; data: Record<string, any> };

async function notifyEvent(deps: NotificationDeps, e: EventRow): Promise<void> {
  const base = { environmentId: e.environment_id, setting: 'connectionActivity' as const, permission: 'organizations:manage' as const };
  if (e.event === 'connection.activated' || e.event === 'connection.deactivated') {
    const c = e.data;
    const verb = e.event === 'connection.activated' ? 'activated' : 'deactivated';
    await sendNotice(deps, {
      ...base, key: `event:${e.id}`, subjectId: c.id, path: `/connections/${c.id}`,
      subject: `Connection ${c.name} was ${verb}`,
      lines: [verb === 'activated' ? `The connection ${c.name} (${c.connection_type}) is active: its first sign-in succeeded.` : `The connection ${c.name} (${c.connection_type}) was deactivated: its users can't sign in through it.`],
    });
  } else if (e.event === 'connection.saml_certificate_renewal_required') {
    const c = e.data.connection;
    await sendNotice(deps, {
      ...base, key: `event:${e.id}`, subjectId: c.id, path: `/connections/${c.id}`,
      subject: `The IdP certificate of ${c.name} expires in ${e.data.days_until_expiry} days`,
      lines: [`The identity provider's signing certificate of the connection ${c.name} expires on ${e.data.certificate.expiry_date.slice(0, 10)}.`, 'Ask the IT admin for the new certificate (or metadata) and add it to the connection before then, or sign-ins will fail.'],
    });
  } else if (e.event === 'authentication.sso_failed') {
    await notifyFailureBurst(deps, e);
  }
}

/**
 * A burst of failed sign-ins: 10 failures within 10 minutes on a connection that had worked (a success before
 * them, none since), at most one email an hour per connection.
 */
async function notifyFailureBurst(deps: NotificationDeps, e: EventRow): Promise<void> {
  const connectionId: string = e.data.sso.connection_id;
  const [stats] = await deps.db.query(
    `WITH last_success AS (SELECT max(COALESCE(succeeded_at, authorized_at)) AS at FROM sso_sessions WHERE connection_id = $1 AND state IN ('AUTHORIZED', 'SUCCESSFUL'))
     SELECT (SELECT at FROM last_success) AS last_success,
            (SELECT count(*)::int FROM sso_sessions WHERE connection_id = $1 AND state = 'FAILED' AND failed_at > now() - make_interval(mins => $2)
               AND failed_at > COALESCE((SELECT at FROM last_success), 'infinity'::timestamptz)) AS failures,
            EXISTS (SELECT 1 FROM notifications_sent WHERE subject_id = $1 AND key LIKE 'burst:%' AND created_at > now() - make_interval(mins => $3)) AS recently,
            (SELECT name FROM connections WHERE id = $1) AS name`,
    [connectionId, BURST.windowMinutes, BURST.quietMinutes],
  );
  if (!stats?.last_success || stats.failures < BURST.failures || stats.recently) return;
  await sendNotice(deps, {
    environmentId: e.environment_id, setting: 'connectionActivity', permission: 'organizations:manage',
    key: `burst:${connectionId}:${e.id}`, subjectId: connectionId, path: `/connections/${connectionId}/sessions?status=FAILED`,
    subject: `Sign-ins through ${stats.name} are failing`,
    lines: [`${stats.failures} sign-ins through the connection ${stats.name} failed in the last ${BURST.windowMinutes} minutes, after it had worked.`, 'The Sessions tab shows each failure with its error and what the identity provider sent.'],
  });
}

export function notificationWorker(deps: NotificationDeps): WorkerSpec {
  return {
    name: 'notification',
    batchSize: 10,
    pollingIntervalSeconds: 1,
    async handler(jobs) {
      for (const job of jobs as Array<PgBoss.Job<NotificationJob>>) {
        const data = job.data;
        if (data.kind === 'event') {
          const [row] = await deps.db.query('SELECT id, environment_id, event, data FROM events WHERE id = $1', [data.eventId]);
          if (row) await notifyEvent(deps, row);
        } else if (data.kind === 'directory_invalid_credentials') {
          const [d] = await deps.db.query('SELECT id, environment_id, name FROM directories WHERE id = $1', [data.directoryId]);
          if (d) {
            await sendNotice(deps, {
              environmentId: d.environment_id, setting: 'directoryActivity', permission: 'organizations:manage', key: `directory_invalid:${d.id}:${data.at}`, subjectId: d.id,
              path: `/directories/${d.id}/log`, subject: `The directory ${d.name} lost its credentials`,
              lines: [`The identity provider is still sending the SCIM token that was rotated out for the directory ${d.name}: its changes are refused.`, 'Give the IT admin the current token (or rotate it again and share the new one).'],
            });
          }
        } else if (data.kind === 'webhook_failing') {
          const [w] = await deps.db.query('SELECT id, environment_id, endpoint_url FROM webhook_endpoints WHERE id = $1', [data.endpointId]);
          if (w) {
            await sendNotice(deps, {
              environmentId: w.environment_id, setting: 'connectionActivity', permission: 'environment:configure', key: `webhook_failing:${w.id}:${data.since}`, subjectId: w.id,
              path: `/configuration/webhooks/${w.id}`, subject: 'A webhook endpoint is failing',
              lines: [`Portico gave up delivering an event to ${w.endpoint_url} after 6 attempts. Later events are still tried.`, 'The delivery log shows each attempt and what the endpoint answered; Resend any event once it is fixed.'],
            });
          }
        }
      }
    },
  };
}
