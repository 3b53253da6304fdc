import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Notification emails sent, by what caused them and to whom: a notice goes to a person once, whatever retries. */
export class Notifications1764950000001 implements MigrationInterface {
  name = 'Notifications1764950000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notifications_sent (
        key text NOT NULL,
        user_id text NOT NULL REFERENCES dashboard_users(id) ON DELETE CASCADE,
        subject_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (key, user_id)
      )`);
    await q.query('CREATE INDEX notifications_sent_subject_idx ON notifications_sent (subject_id, created_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE notifications_sent');
  }
}
