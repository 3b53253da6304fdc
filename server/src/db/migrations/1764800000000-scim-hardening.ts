import type { MigrationInterface, QueryRunner } from 'typeorm';
import { redactPasswords, withoutPasswords } from '../../modules/directories/scim-redaction';

/**
 * SCIM hardening. scim_requests.suppressed_count: failed authentications past the per-directory rate are counted on
 * the latest 401 row instead of each being a row. And end users' passwords that earlier versions stored (nested keys
 * in raw attributes, failed requests' bodies in the SCIM log) are removed now, as new writes remove them.
 */
export class ScimHardening1764800000000 implements MigrationInterface {
  name = 'ScimHardening1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE scim_requests ADD COLUMN suppressed_count int NOT NULL DEFAULT 0');
    const scrub = async (table: string, column: string, clean: (value: unknown) => unknown) => {
      const rows = (await q.query(`SELECT id, ${column} AS value FROM ${table} WHERE ${column}::text ~* 'password'`)) as { id: string; value: unknown }[];
      for (const row of rows) await q.query(`UPDATE ${table} SET ${column} = $2 WHERE id = $1`, [row.id, JSON.stringify(clean(row.value))]);
    };
    await scrub('directory_users', 'raw_attributes', withoutPasswords);
    await scrub('directory_groups', 'raw_attributes', withoutPasswords);
    await scrub('events', 'data', withoutPasswords);
    await scrub('scim_requests', 'request_body', redactPasswords);
    await scrub('scim_requests', 'response_body', redactPasswords);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE scim_requests DROP COLUMN suppressed_count');
  }
}
