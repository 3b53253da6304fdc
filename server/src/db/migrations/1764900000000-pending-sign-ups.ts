import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-up by email confirmation: a sign-up waits here until its emailed link is opened, so answering a sign-up
 * never says whether the address already has an account. The link's token is kept only as its hash.
 */
export class PendingSignUps1764900000000 implements MigrationInterface {
  name = 'PendingSignUps1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE pending_sign_ups (
        token_hash text PRIMARY KEY,
        email text NOT NULL,
        name text NOT NULL,
        workspace_name text NOT NULL,
        password_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        confirmed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX pending_sign_ups_expires_at ON pending_sign_ups (expires_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE pending_sign_ups');
  }
}
