import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Admin Portal: links handed to a customer's IT admin, the portal sessions they open, and the audit trail of what
 * was done through them. Link and session tokens are stored as SHA-256 hashes only.
 *
 * - An `api` link (POST /portal/generate_link) is single-use and must be opened within 5 minutes.
 * - An `invite` link (dashboard "Invite IT admin") lives 30 days or until setup completes, can be opened again, is
 *   revocable, and there is at most one live invite per organization and intent (the partial unique index).
 * - A portal session is scoped to its link's organization and intent, lives at most 12 hours, and dies with its link.
 */
export class AdminPortal1765700000000 implements MigrationInterface {
  name = 'AdminPortal1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE portal_links (
        id text PRIMARY KEY,
        environment_id text NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        organization_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        intent text NOT NULL CHECK (intent IN ('sso', 'dsync', 'domain_verification', 'certificate_renewal')),
        kind text NOT NULL CHECK (kind IN ('api', 'invite')),
        token_hash text NOT NULL UNIQUE,
        return_url text,
        success_url text,
        admin_emails jsonb NOT NULL DEFAULT '[]',
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        opened_at timestamptz,
        revoked_at timestamptz,
        completed_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX portal_links_one_live_invite ON portal_links (organization_id, intent) WHERE kind = 'invite' AND revoked_at IS NULL AND completed_at IS NULL`);
    await q.query('CREATE INDEX portal_links_organization ON portal_links (organization_id, created_at DESC)');
    await q.query(`
      CREATE TABLE portal_sessions (
        token_hash text PRIMARY KEY,
        link_id text NOT NULL REFERENCES portal_links(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX portal_sessions_link ON portal_sessions (link_id)');
    await q.query(`
      CREATE TABLE portal_actions (
        id bigserial PRIMARY KEY,
        organization_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        link_id text REFERENCES portal_links(id) ON DELETE SET NULL,
        intent text NOT NULL,
        action text NOT NULL,
        actor text,
        detail jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX portal_actions_organization ON portal_actions (organization_id, created_at DESC)');
    // Admin Portal emails reply to the team's support email; the dev outbox shows it.
    await q.query('ALTER TABLE outbox_messages ADD COLUMN reply_to text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE outbox_messages DROP COLUMN reply_to');
    for (const table of ['portal_actions', 'portal_sessions', 'portal_links']) await q.query(`DROP TABLE ${table}`);
  }
}
