import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign in with Google, Microsoft, GitHub and Apple (issue 13). An OAuth attempt is an SSO session like a SAML one,
 * but of the environment's provider rather than of an organization's connection: `provider` names it, and the
 * session has no organization or connection row. `oauth_exchange` keeps the raw exchange for Session Details
 * (authorization request, token response with its tokens redacted, ID-token claims); the provider's tokens travel
 * sealed until the application's code exchange hands them over once.
 * `oauth_states` holds each attempt's one-time state: bound to the browser that started it (a cookie's hash), with
 * its PKCE verifier (sealed) and nonce.
 */
export class OAuthSignIn1765800000000 implements MigrationInterface {
  name = 'OAuthSignIn1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sso_sessions ALTER COLUMN organization_id DROP NOT NULL, ALTER COLUMN connection_id DROP NOT NULL,
      ADD COLUMN provider text, ADD COLUMN oauth_exchange jsonb, ADD COLUMN oauth_tokens_sealed text,
      ADD CONSTRAINT sso_sessions_connection_or_provider CHECK ((connection_id IS NOT NULL AND organization_id IS NOT NULL) OR provider IS NOT NULL)`);
    await q.query('CREATE INDEX sso_sessions_provider_idx ON sso_sessions (environment_id, provider, id DESC) WHERE provider IS NOT NULL');
    // The provider's connection ID, as WorkOS gives each environment's OAuth provider one (the profile's connection_id).
    await q.query(`ALTER TABLE oauth_providers ADD COLUMN connection_id text UNIQUE,
      ADD COLUMN microsoft_tenant text NOT NULL DEFAULT 'common'`);
    await q.query(`
      CREATE TABLE oauth_states (
        state_hash text PRIMARY KEY,
        session_id text NOT NULL REFERENCES sso_sessions(id) ON DELETE CASCADE,
        browser_hash text NOT NULL,
        code_verifier_sealed text NOT NULL,
        nonce text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await q.query('CREATE INDEX oauth_states_expires_idx ON oauth_states (expires_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE oauth_states');
    await q.query('ALTER TABLE oauth_providers DROP COLUMN connection_id, DROP COLUMN microsoft_tenant');
    await q.query('DELETE FROM sso_sessions WHERE provider IS NOT NULL');
    await q.query(`ALTER TABLE sso_sessions DROP CONSTRAINT sso_sessions_connection_or_provider, DROP COLUMN provider, DROP COLUMN oauth_exchange, DROP COLUMN oauth_tokens_sealed,
      ALTER COLUMN organization_id SET NOT NULL, ALTER COLUMN connection_id SET NOT NULL`);
  }
}
