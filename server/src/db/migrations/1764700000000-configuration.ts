import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Environment configuration: Staging API key secrets kept sealed so they can be shown again (Production ones never
 * are), OAuth provider credentials (secrets sealed), and the Admin Portal's redirect link and branding.
 */
export class Configuration1764700000000 implements MigrationInterface {
  name = 'Configuration1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE api_keys ADD COLUMN secret_sealed text');
    await q.query(`
      CREATE TABLE oauth_providers (
        environment_id text NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        provider text NOT NULL CHECK (provider IN ('GoogleOAuth', 'MicrosoftOAuth', 'GitHubOAuth', 'AppleOAuth')),
        enabled boolean NOT NULL DEFAULT false,
        client_id text,
        client_secret_sealed text,
        apple_team_id text,
        apple_key_id text,
        apple_private_key_sealed text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (environment_id, provider)
      )`);
    await q.query(`
      CREATE TABLE admin_portal_settings (
        environment_id text PRIMARY KEY REFERENCES environments(id) ON DELETE CASCADE,
        redirect_url text,
        display_name text,
        logo_url text,
        brand_color text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE admin_portal_settings');
    await q.query('DROP TABLE oauth_providers');
    await q.query('ALTER TABLE api_keys DROP COLUMN secret_sealed');
  }
}
