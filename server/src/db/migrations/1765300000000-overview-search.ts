import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The search palette finds an environment's objects by the start of a name, a domain or an email, case-insensitively:
 * one btree index per column, led by the environment (every search is scoped to one), on the expression in the "C"
 * collation: `lower(col) COLLATE "C" LIKE 'prefix%'` is then an index range whatever the database's collation, and
 * `ORDER BY lower(col) COLLATE "C"` is the index's order, so a search reads only the rows it returns (a LIMIT stops
 * the scan). Sessions add `id DESC`: one address's newest sign-ins first. Plain btree prefix search works the same
 * on PostgreSQL and on the embedded PGlite (pg_trgm would need an extension loaded there).
 * The Overview needs none: its figures are ID ranges on sso_sessions_environment_idx (IDs are ULIDs, so by time).
 */
export class OverviewSearch1765300000000 implements MigrationInterface {
  name = 'OverviewSearch1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX organizations_name_search_idx ON organizations (environment_id, (lower(name) COLLATE "C"))`);
    await q.query(`CREATE INDEX organization_domains_search_idx ON organization_domains (environment_id, (domain COLLATE "C"))`);
    await q.query(`CREATE INDEX connections_name_search_idx ON connections (environment_id, (lower(name) COLLATE "C"))`);
    await q.query(`CREATE INDEX directories_name_search_idx ON directories (environment_id, (lower(name) COLLATE "C"))`);
    await q.query(`CREATE INDEX directory_users_email_search_idx ON directory_users (environment_id, (lower(email) COLLATE "C")) WHERE deleted_at IS NULL AND email IS NOT NULL`);
    await q.query(`CREATE INDEX directory_users_name_search_idx ON directory_users (environment_id, (lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '')) COLLATE "C")) WHERE deleted_at IS NULL`);
    await q.query(`CREATE INDEX sso_sessions_email_search_idx ON sso_sessions (environment_id, (lower(email) COLLATE "C"), id DESC) WHERE email IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of ['sso_sessions_email_search_idx', 'directory_users_name_search_idx', 'directory_users_email_search_idx', 'directories_name_search_idx',
      'connections_name_search_idx', 'organization_domains_search_idx', 'organizations_name_search_idx']) {
      await q.query(`DROP INDEX ${index}`);
    }
  }
}
