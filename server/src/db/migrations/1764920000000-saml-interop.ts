import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SAML interop (issue 15): a per-connection demand for signed assertions (else a signed Response covering its one
 * assertion is accepted); the decrypted assertion of an encrypted sign-in kept beside the raw response; the SP
 * encryption key's successor, published before it becomes current; which SP key decrypted and which IdP certificate
 * verified each sign-in; and when a connection's metadata URL was last re-fetched, with the last failure.
 */
export class SamlInterop1764920000000 implements MigrationInterface {
  name = 'SamlInterop1764920000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE connections
      ADD COLUMN require_signed_assertions boolean NOT NULL DEFAULT false,
      ADD COLUMN sp_next_certificate text,
      ADD COLUMN sp_next_private_key_encrypted text,
      ADD COLUMN idp_metadata_refreshed_at timestamptz,
      ADD COLUMN idp_metadata_refresh_error text`);
    await q.query(`ALTER TABLE sso_sessions
      ADD COLUMN decrypted_assertion text,
      ADD COLUMN sp_key_fingerprint text,
      ADD COLUMN idp_certificate_fingerprint text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE sso_sessions DROP COLUMN idp_certificate_fingerprint, DROP COLUMN sp_key_fingerprint, DROP COLUMN decrypted_assertion');
    await q.query(`ALTER TABLE connections DROP COLUMN idp_metadata_refresh_error, DROP COLUMN idp_metadata_refreshed_at,
      DROP COLUMN sp_next_private_key_encrypted, DROP COLUMN sp_next_certificate, DROP COLUMN require_signed_assertions`);
  }
}
