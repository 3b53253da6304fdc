import type { DataSource } from 'typeorm';
import { createDataSource, migrate } from '../../src/db/data-source';

describe('migration 1765940000000: SSO responses compressed with lz4 where PostgreSQL has it', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = await createDataSource({ url: process.env.PORTICO_TEST_DATABASE_URL! }, 1).initialize();
    await migrate(db);
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('sets lz4 on the raw request, response and decrypted assertion when the server offers it, and leaves the default otherwise', async () => {
    const [{ lz4 }] = (await db.query(`SELECT EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) AS lz4`)) as { lz4: boolean }[];
    const columns = (await db.query(
      `SELECT attname, attcompression FROM pg_attribute WHERE attrelid = 'sso_sessions'::regclass AND attname IN ('saml_request', 'saml_response', 'decrypted_assertion', 'email') ORDER BY attname`,
    )) as { attname: string; attcompression: string }[];
    const expected = lz4 ? 'l' : '';
    expect(columns).toEqual([
      { attname: 'decrypted_assertion', attcompression: expected },
      { attname: 'email', attcompression: '' },
      { attname: 'saml_request', attcompression: expected },
      { attname: 'saml_response', attcompression: expected },
    ]);
  });

  it('reads back a large compressed response byte for byte', async () => {
    const xml = `<samlp:Response>${Array.from({ length: 400 }, (_, i) => `<saml:AttributeValue>group ${i} – ü</saml:AttributeValue>`).join('')}</samlp:Response>`;
    // Through the column itself: a temporary table with the same columns and compression.
    await db.transaction(async (m) => {
      await m.query('CREATE TEMP TABLE compressed_probe (LIKE sso_sessions INCLUDING DEFAULTS INCLUDING COMPRESSION) ON COMMIT DROP');
      await m.query(`INSERT INTO compressed_probe (id, environment_id, origin, state, saml_response, saml_response_bytes, saml_response_truncated, started_at) VALUES ('s', 'e', 'IDP', 'AUTHORIZED', $1, 0, false, now())`, [xml]);
      const [back] = (await m.query('SELECT saml_response, pg_column_size(saml_response) < length(saml_response) AS compressed FROM compressed_probe')) as { saml_response: string; compressed: boolean }[];
      expect(back).toEqual({ saml_response: xml, compressed: true });
    });
  });
});
