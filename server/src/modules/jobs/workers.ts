import type { AppDeps } from '../../context';
import { recordCertificateRenewalNotices } from '../connections/certificate-events';
import { recordSsoTimeouts } from '../sso-sessions/sso-events';
import { notificationWorker } from '../notifications/notify-event';
import { webhookDeliveryWorker } from '../webhooks/deliver-webhook';
import { refreshIdpMetadata } from '../connections/connections.service';
import { housekeepingWorker } from './housekeeping';
import type { WorkerSpec } from './job-queue';

/** Every queue's workers, as each Portico process runs them. */
export function porticoWorkers(deps: AppDeps): WorkerSpec[] {
  return [
    housekeepingWorker(deps.db, {
      intervalSeconds: deps.config.housekeepingIntervalSeconds, samlRawRetentionDays: deps.config.samlRawRetentionDays,
      extra: [recordSsoTimeouts, recordCertificateRenewalNotices, async () => { await refreshIdpMetadata({ db: deps.db, config: deps.config }); }],
    }),
    webhookDeliveryWorker({ db: deps.db, secrets: deps.secrets, allowPrivateUrls: deps.config.allowPrivateUrls }),
    notificationWorker({ db: deps.db, mailer: deps.mailer, publicUrl: deps.config.publicUrl }),
  ];
}
