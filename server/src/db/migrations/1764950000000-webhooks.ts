import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks: endpoints per environment (secret sealed at rest, since every delivery signs with it), one delivery
 * row per event and endpoint (written with the event, in its transaction), and every attempt with its outcome
 * for the delivery log. Certificate-expiry notices remember which were sent, so each goes out once.
 */
export class Webhooks1764950000000 implements MigrationInterface {
  name = 'Webhooks1764950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_endpoints (
        id text PRIMARY KEY,
        environment_id text NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        endpoint_url text NOT NULL,
        secret_sealed text NOT NULL,
        status text NOT NULL DEFAULT 'enabled' CHECK (status IN ('enabled', 'disabled')),
        events jsonb NOT NULL DEFAULT '[]',
        failing_since timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX webhook_endpoints_environment_idx ON webhook_endpoints (environment_id)');
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id text PRIMARY KEY,
        endpoint_id text NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
        event_id text NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz
      )`);
    await q.query('CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, id)');
    await q.query('CREATE INDEX webhook_deliveries_event_idx ON webhook_deliveries (event_id)');
    await q.query(`
      CREATE TABLE webhook_attempts (
        id text PRIMARY KEY,
        delivery_id text NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
        attempted_at timestamptz NOT NULL DEFAULT now(),
        duration_ms integer NOT NULL,
        response_status integer,
        response_body text,
        error text,
        succeeded boolean NOT NULL
      )`);
    await q.query('CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, id)');
    await q.query(`
      CREATE TABLE certificate_expiry_notices (
        connection_id text NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        certificate_fingerprint text NOT NULL,
        days_before integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (connection_id, certificate_fingerprint, days_before)
      )`);
    // A STARTED session reported as timed out (authentication.sso_timed_out) is not reported again.
    await q.query('ALTER TABLE sso_sessions ADD COLUMN timeout_reported boolean NOT NULL DEFAULT false');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE sso_sessions DROP COLUMN timeout_reported');
    await q.query('DROP TABLE certificate_expiry_notices');
    await q.query('DROP TABLE webhook_attempts');
    await q.query('DROP TABLE webhook_deliveries');
    await q.query('DROP TABLE webhook_endpoints');
  }
}
