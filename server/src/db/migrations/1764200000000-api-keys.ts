import type { MigrationInterface, QueryRunner } from 'typeorm';

/** API keys per environment: only a SHA-256 of the secret is kept, with its prefix and last four characters for display. */
export class ApiKeys1764200000000 implements MigrationInterface {
  name = 'ApiKeys1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_keys (
        id text PRIMARY KEY,
        environment_id text NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        name text NOT NULL,
        secret_hash text NOT NULL UNIQUE,
        prefix text NOT NULL,
        last_four text NOT NULL,
        created_by_id text REFERENCES dashboard_users(id) ON DELETE SET NULL,
        last_used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX api_keys_environment_idx ON api_keys (environment_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE api_keys');
  }
}
