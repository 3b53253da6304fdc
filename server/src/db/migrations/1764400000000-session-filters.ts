import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Sessions tab filters a connection's sessions by state, error and email prefix, newest first, and pages by
 * ID (ULIDs, so also by time). Each filter gets an index that serves it in order, so a deep page costs what the
 * first does. A time range needs none: it is an ID range.
 */
export class SessionFilters1764400000000 implements MigrationInterface {
  name = 'SessionFilters1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX sso_sessions_state_idx ON sso_sessions (connection_id, state, id DESC)');
    await q.query('CREATE INDEX sso_sessions_error_idx ON sso_sessions (connection_id, error, id DESC) WHERE error IS NOT NULL');
    await q.query('CREATE INDEX sso_sessions_email_idx ON sso_sessions (connection_id, lower(email) text_pattern_ops) WHERE email IS NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX sso_sessions_email_idx');
    await q.query('DROP INDEX sso_sessions_error_idx');
    await q.query('DROP INDEX sso_sessions_state_idx');
  }
}
