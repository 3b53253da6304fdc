import type { DataSource } from 'typeorm';
import type { AccessScope } from '../environments/access-scope';
import { getWebhookEndpoint } from './webhooks.service';

/** The delivery log of one endpoint: its latest deliveries, each with its attempts, in two queries. */
export async function deliveryLog(db: DataSource, scope: AccessScope, endpointId: string, first: number) {
  const endpoint = await getWebhookEndpoint(db, scope, endpointId); // tenancy: the endpoint is in the caller's scope
  const deliveries: Array<{ id: string; event_id: string; event: string; status: string; created_at: Date }> = await db.query(
    `SELECT d.id, d.event_id, e.event, d.status, d.created_at FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
     WHERE d.endpoint_id = $1 ORDER BY d.id DESC LIMIT $2`,
    [endpoint.id, first],
  );
  const attempts: Array<{ id: string; delivery_id: string; attempted_at: Date; duration_ms: number; response_status: number | null; response_body: string | null; error: string | null; succeeded: boolean }> =
    deliveries.length ? await db.query('SELECT * FROM webhook_attempts WHERE delivery_id = ANY($1) ORDER BY id DESC', [deliveries.map((d) => d.id)]) : [];
  return deliveries.map((d) => ({
    id: d.id, eventId: d.event_id, eventName: d.event, status: d.status, createdAt: d.created_at,
    attempts: attempts.filter((a) => a.delivery_id === d.id).map((a) => ({
      id: a.id, attemptedAt: a.attempted_at, durationMs: a.duration_ms, responseStatus: a.response_status, responseBody: a.response_body, error: a.error, succeeded: a.succeeded,
    })),
  }));
}
