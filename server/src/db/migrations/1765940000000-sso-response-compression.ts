import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A session's raw SAML request and response and its decrypted assertion (XML of 3–60 KB) are compressed with lz4
 * instead of pglz, where the server has it: every sign-in writes its response, and pglz was a fifth of
 * PostgreSQL's CPU for the one statement that records a sign-in (bench:acs, same statements, 200 sign-ins per batch:
 * 2.25 → 1.87 ms). Values already written stay as they are (PostgreSQL reads both); nothing is rewritten.
 * A server built without lz4 (and the embedded engine) keeps pglz.
 */
const COLUMNS = ['saml_request', 'saml_response', 'decrypted_assertion'];

async function hasLz4(q: QueryRunner): Promise<boolean> {
  const rows = (await q.query(`SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)`)) as unknown[];
  return rows.length > 0;
}

export class SsoResponseCompression1765940000000 implements MigrationInterface {
  name = 'SsoResponseCompression1765940000000';

  async up(q: QueryRunner): Promise<void> {
    if (!(await hasLz4(q))) return;
    await q.query(`ALTER TABLE sso_sessions ${COLUMNS.map((c) => `ALTER COLUMN ${c} SET COMPRESSION lz4`).join(', ')}`);
  }

  async down(q: QueryRunner): Promise<void> {
    if (!(await hasLz4(q))) return;
    await q.query(`ALTER TABLE sso_sessions ${COLUMNS.map((c) => `ALTER COLUMN ${c} SET COMPRESSION pglz`).join(', ')}`);
  }
}
