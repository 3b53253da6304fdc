import { createHmac } from 'node:crypto';
import type PgBoss from 'pg-boss';
import type { DataSource } from 'typeorm';
import type { SecretBox } from '../../lib/secret-box';
import { newId } from '../../lib/ids';
import { webhookDeliveries, webhookDeliverySeconds } from '../../lib/metrics';
import { postWebhook } from '../../lib/post-webhook';
import { enqueueInTransaction, type JobQueue, type WorkerSpec } from '../jobs/job-queue';
import { whileUnreachable } from '../../db/unreachable';

// TypeORM answers an UPDATE … RETURNING as [rows, count].
const rowsOf = <T>(r: [T[], number] | T[]): T[] => (Array.isArray(r[0]) ? (r[0] as T[]) : (r as T[]));
import { secretContext } from './webhooks.service';

export interface DeliveryDeps {
  db: DataSource;
  secrets: SecretBox;
  allowPrivateUrls: boolean;
}

/** The compact JSON of the event, exactly what is signed and sent (the SDK re-stringifies parsed payloads). */
export function eventBody(e: { id: string; event: string; data: object; created_at: Date }): string {
  return JSON.stringify({ object: 'event', id: e.id, event: e.event, data: e.data, created_at: e.created_at.toISOString() });
}

/** `WorkOS-Signature: t=<ms>, v1=<hex HMAC-SHA256(secret, t + "." + body)>` (contract §5.3). */
export function signatureHeader(secret: string, body: string, now = Date.now()): string {
  return `t=${now}, v1=${createHmac('sha256', secret).update(`${now}.${body}`).digest('hex')}`;
}

export const RESPONSE_BODY_LIMIT = 4096;

type DeliveryRow = { id: string; status: string; endpoint_id: string; endpoint_url: string; endpoint_status: string; secret_sealed: string; event_id: string; event: string; data: object; created_at: Date };

/** Delivers one job's webhook; throws to have pg-boss retry it, returns when done (delivered, or given up). */
async function deliverOne(deps: DeliveryDeps, job: PgBoss.JobWithMetadata<{ deliveryId: string }>): Promise<void> {
  const [row]: DeliveryRow[] = await deps.db.query(
    `SELECT d.id, d.status, we.id AS endpoint_id, we.endpoint_url, we.status AS endpoint_status, we.secret_sealed, ev.id AS event_id, ev.event, ev.data, ev.created_at
     FROM webhook_deliveries d JOIN webhook_endpoints we ON we.id = d.endpoint_id JOIN events ev ON ev.id = d.event_id WHERE d.id = $1`,
    [job.data.deliveryId],
  );
  // Gone with its endpoint or event, or already delivered by an earlier run of this job (a crash after the POST).
  if (!row || row.status === 'delivered') return;
  if (row.endpoint_status !== 'enabled') {
    await deps.db.query(`UPDATE webhook_deliveries SET status = 'failed' WHERE id = $1`, [row.id]);
    return;
  }
  const body = eventBody({ id: row.event_id, event: row.event, data: row.data, created_at: row.created_at });
  const secret = deps.secrets.open(row.secret_sealed, secretContext(row.endpoint_id));
  const attemptedAt = new Date();
  const res = await postWebhook(row.endpoint_url, body, { 'content-type': 'application/json', 'user-agent': 'Portico-Webhooks/1', 'workos-signature': signatureHeader(secret, body) }, {
    allowPrivate: deps.allowPrivateUrls, timeoutMs: 10_000, maxBodyBytes: RESPONSE_BODY_LIMIT,
  });
  const ok = res.status !== null && res.status >= 200 && res.status < 300;
  const final = !ok && job.retryCount >= job.retryLimit;
  // The receiver has answered: if the database went away meanwhile (a restart), wait for it to write the answer down
  // while the job is still this process's (before it expires and runs again), rather than POST the event twice.
  const attemptId = newId('webhookAttempt');
  await whileUnreachable(() => recordAttempt(deps.db, row, { id: attemptId, attemptedAt, res, ok, final }), { deadlineMs: timeLeft(job) - 2_000 });
  webhookDeliveries.inc({ outcome: ok ? 'delivered' : final ? 'failed' : 'retrying' });
  if (ok) {
    webhookDeliverySeconds.observe((Date.now() - new Date(row.created_at).getTime()) / 1000);
    return;
  }
  if (!final) throw new Error(res.error ?? `HTTP ${res.status}`);
  // The endpoint turns failing (once, until a success clears it) and its owners are told, in one transaction.
  await deps.db.transaction(async (m) => {
    const marked: Array<{ failing_since: Date }> = await m.query('UPDATE webhook_endpoints SET failing_since = now() WHERE id = $1 AND failing_since IS NULL RETURNING failing_since', [row.endpoint_id]).then((r) => rowsOf<{ failing_since: Date }>(r));
    if (marked.length) await enqueueInTransaction(m, 'notification', [{ data: { kind: 'webhook_failing', endpointId: row.endpoint_id, since: marked[0]!.failing_since.toISOString() } }]);
  });
}

/** The job's time left before pg-boss expires it and runs it again, in ms. */
function timeLeft(job: PgBoss.JobWithMetadata<unknown>): number {
  const expireInSeconds = Number((job as { expireInSeconds?: number }).expireInSeconds ?? 30);
  return new Date(job.startedOn).getTime() + expireInSeconds * 1000 - Date.now();
}

/**
 * One attempt in the delivery log, and the delivery's new state, in one transaction. Idempotent by the attempt's ID:
 * run again after a lost COMMIT answer, it changes nothing.
 */
async function recordAttempt(db: DataSource, row: DeliveryRow, a: { id: string; attemptedAt: Date; res: Awaited<ReturnType<typeof postWebhook>>; ok: boolean; final: boolean }): Promise<void> {
  const { res, ok, final } = a;
  await db.transaction(async (m) => {
    const inserted = rowsOf<{ id: string }>(await m.query(
      `INSERT INTO webhook_attempts (id, delivery_id, attempted_at, duration_ms, response_status, response_body, error, succeeded) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [a.id, row.id, a.attemptedAt, res.durationMs, res.status, res.body.replace(/\u0000/g, ''), res.error ?? (ok ? null : `http_${res.status}`), ok],
    ));
    if (!inserted.length) return;
    await m.query(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, status = $2, delivered_at = CASE WHEN $2 = 'delivered' THEN now() ELSE delivered_at END WHERE id = $1`,
      [row.id, ok ? 'delivered' : final ? 'failed' : 'pending'],
    );
    if (ok) await m.query('UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL', [row.endpoint_id]);
  });
}

/**
 * The delivery workers: each loop claims a batch and POSTs it in parallel, so one slow receiver holds one loop for
 * at most the timeout while the other loops go on. A failed job is failed alone (it retries by its backoff).
 */
export function webhookDeliveryWorker(deps: DeliveryDeps): WorkerSpec {
  return {
    name: 'webhook-delivery',
    workers: 4,
    batchSize: 25,
    pollingIntervalSeconds: 0.5,
    includeMetadata: true,
    async handler(jobs, queue: JobQueue) {
      await Promise.all(
        jobs.map((job) =>
          deliverOne(deps, job as PgBoss.JobWithMetadata<{ deliveryId: string }>).catch((err: Error) => queue.failJob('webhook-delivery', job.id, err).catch(() => undefined)),
        ),
      );
    },
  };
}
