import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The built-in test identity provider (issue 14): one per Staging environment, with its signing key (the private
 * key sealed like other secrets) and the Test Organization and connection it serves. Sessions started by the
 * dashboard's "Test sign-in" are marked, so they end on Portico's result page instead of handing a code to the app.
 */
export class TestIdentityProvider1765200000000 implements MigrationInterface {
  name = 'TestIdentityProvider1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE test_identity_providers (
      environment_id text PRIMARY KEY REFERENCES environments(id) ON DELETE CASCADE,
      enabled boolean NOT NULL DEFAULT true,
      certificate text NOT NULL,
      private_key_encrypted text NOT NULL,
      organization_id text REFERENCES organizations(id) ON DELETE SET NULL,
      connection_id text REFERENCES connections(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query('ALTER TABLE sso_sessions ADD COLUMN test_sign_in boolean NOT NULL DEFAULT false');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE sso_sessions DROP COLUMN test_sign_in');
    await q.query('DROP TABLE test_identity_providers');
  }
}
