import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API key scopes (READ_ONLY, SSO_ADMIN, FULL_ENVIRONMENT). Existing keys become SSO_ADMIN: everything they could
 * do over GraphQL before (organizations, connections, directories) stays allowed, and REST is unchanged for them.
 */
export class ApiKeyScopes1764930000000 implements MigrationInterface {
  name = 'ApiKeyScopes1764930000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_keys ADD COLUMN scope text NOT NULL DEFAULT 'SSO_ADMIN' CHECK (scope IN ('READ_ONLY', 'SSO_ADMIN', 'FULL_ENVIRONMENT'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE api_keys DROP COLUMN scope');
  }
}
