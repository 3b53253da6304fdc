import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Accounts, workspaces, members, invitations, environments, dashboard sessions, rate limits, the dev outbox. */
export class Foundation1764100000000 implements MigrationInterface {
  name = 'Foundation1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dashboard_users (
        id text PRIMARY KEY,
        email text NOT NULL,
        name text NOT NULL,
        password_hash text NOT NULL,
        theme text NOT NULL DEFAULT 'SYSTEM' CHECK (theme IN ('LIGHT','DARK','SYSTEM')),
        notification_settings jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT dashboard_users_email_normalized CHECK (email = lower(btrim(email)))
      )`);
    await q.query(`CREATE UNIQUE INDEX dashboard_users_email_key ON dashboard_users (email)`);

    await q.query(`
      CREATE TABLE workspaces (
        id text PRIMARY KEY,
        name text NOT NULL,
        support_email text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE members (
        id text PRIMARY KEY,
        workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        user_id text NOT NULL REFERENCES dashboard_users(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('ADMIN','DEVELOPER','SUPPORT')),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (workspace_id, user_id)
      )`);
    await q.query(`CREATE INDEX members_user_id_idx ON members (user_id)`);

    await q.query(`
      CREATE TABLE invitations (
        id text PRIMARY KEY,
        workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        email text NOT NULL,
        role text NOT NULL CHECK (role IN ('ADMIN','DEVELOPER','SUPPORT')),
        token_hash text NOT NULL UNIQUE,
        invited_by_id text NOT NULL REFERENCES dashboard_users(id),
        expires_at timestamptz NOT NULL,
        last_sent_at timestamptz NOT NULL,
        send_count int NOT NULL DEFAULT 1,
        accepted_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // At most one open invitation per address and workspace; accepted or revoked ones stay as history.
    await q.query(`
      CREATE UNIQUE INDEX invitations_open_email_key ON invitations (workspace_id, email)
      WHERE accepted_at IS NULL AND revoked_at IS NULL`);

    await q.query(`
      CREATE TABLE environments (
        id text PRIMARY KEY,
        workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('STAGING','PRODUCTION')),
        name text NOT NULL,
        client_id text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (workspace_id, kind)
      )`);

    await q.query(`
      CREATE TABLE dashboard_sessions (
        token_hash text PRIMARY KEY,
        user_id text NOT NULL REFERENCES dashboard_users(id) ON DELETE CASCADE,
        workspace_id text REFERENCES workspaces(id) ON DELETE SET NULL,
        expires_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        ip text,
        user_agent text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX dashboard_sessions_user_id_idx ON dashboard_sessions (user_id)`);

    await q.query(`
      CREATE TABLE rate_limits (
        key text NOT NULL,
        window_start timestamptz NOT NULL,
        hits int NOT NULL,
        PRIMARY KEY (key, window_start)
      )`);

    await q.query(`
      CREATE TABLE outbox_messages (
        id text PRIMARY KEY,
        workspace_id text REFERENCES workspaces(id) ON DELETE CASCADE,
        to_address text NOT NULL,
        from_address text NOT NULL,
        subject text NOT NULL,
        text_body text NOT NULL,
        html_body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX outbox_messages_workspace_idx ON outbox_messages (workspace_id, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['outbox_messages', 'rate_limits', 'dashboard_sessions', 'environments', 'invitations', 'members', 'workspaces', 'dashboard_users']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
