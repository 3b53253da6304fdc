import type { DataSource } from 'typeorm';
import { purgeExpiredSessions } from '../accounts/sessions.service';
import { purgeExpiredPortalRecords } from '../admin-portal/portal-links.service';
import { purgeOldEvents } from '../events/events.service';
import { purgeExpiredSignUps } from '../sign-ups/sign-ups.service';
import { purgeExpiredRateLimits } from '../rate-limits/rate-limits.service';
import { purgeExpiredSsoRecords } from '../sso-sessions/sso-flow';
import { purgeRawSaml } from '../sso-sessions/sessions.service';
import type { JobQueue, WorkerSpec } from './job-queue';

export interface HousekeepingOptions {
  intervalSeconds: number;
  samlRawRetentionDays: number;
  /** Extra periodic work (certificate expiry checks …), run in the same single job. */
  extra?: Array<(db: DataSource, now: Date) => Promise<void>>;
}

/** The periodic clean-up, as one job that runs in one process per period, however many processes run. */
export function housekeepingWorker(db: DataSource, opts: HousekeepingOptions): WorkerSpec {
  return {
    name: 'housekeeping',
    pollingIntervalSeconds: Math.min(5, Math.max(0.5, opts.intervalSeconds / 4)),
    async handler() {
      const now = new Date();
      await purgeExpiredSessions(db);
      await purgeExpiredSignUps(db);
      await purgeExpiredRateLimits(db);
      await purgeExpiredSsoRecords(db);
      await purgeExpiredPortalRecords(db, now);
      await purgeRawSaml(db, opts.samlRawRetentionDays);
      await purgeOldEvents(db, now);
      for (const task of opts.extra ?? []) await task(db, now);
    },
  };
}

/**
 * Asks for a housekeeping run in the current period. Every process asks, often; pg-boss's throttle keys the job
 * on the period (`singletonSeconds`), so one job exists per period and the `stately` queue runs one at a time.
 */
export function scheduleHousekeeping(queue: JobQueue, intervalSeconds: number): () => void {
  const request = () => {
    queue.boss.send('housekeeping', {}, { singletonKey: 'housekeeping', singletonSeconds: intervalSeconds }).catch(() => undefined);
  };
  request();
  const timer = setInterval(request, Math.max(500, Math.min(60_000, (intervalSeconds * 1000) / 4))).unref();
  return () => clearInterval(timer);
}
