import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ACS hardening: a per-connection switch that still accepts unencrypted assertions while an IdP moves to
 * encryption; the raw SAML response of a failed attempt kept truncated, with its original size; and a count of
 * failed attempts that were refused but not recorded once a connection or an IP passed its rate limit.
 */
export class AcsHardening1764810000000 implements MigrationInterface {
  name = 'AcsHardening1764810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE connections ADD COLUMN accept_unencrypted_assertions boolean NOT NULL DEFAULT false');
    await q.query('ALTER TABLE sso_sessions ADD COLUMN saml_response_bytes integer, ADD COLUMN saml_response_truncated boolean NOT NULL DEFAULT false');
    await q.query(`
      CREATE TABLE sso_unrecorded_attempts (
        connection_id text NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        window_start timestamptz NOT NULL,
        attempts integer NOT NULL,
        PRIMARY KEY (connection_id, window_start)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE sso_unrecorded_attempts');
    await q.query('ALTER TABLE sso_sessions DROP COLUMN saml_response_truncated, DROP COLUMN saml_response_bytes');
    await q.query('ALTER TABLE connections DROP COLUMN accept_unencrypted_assertions');
  }
}
