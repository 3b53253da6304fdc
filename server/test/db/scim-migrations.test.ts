import { startTestApp, type TestApp } from '../helpers/app';
import { buildDirectorySetup, ENTERPRISE, entraUser } from '../helpers/scim';
import { ScimHardening1764800000000 } from '../../src/db/migrations/1764800000000-scim-hardening';
import { ScimInterop1764910000000 } from '../../src/db/migrations/1764910000000-scim-interop';

/**
 * The SCIM migrations' data steps, run against rows in the shapes earlier versions wrote. Each runs in a
 * transaction that is rolled back: the schema step is undone first so `up` runs as on an old database.
 */

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(() => app.close());

async function inRolledBackTransaction(work: (runner: ReturnType<TestApp['db']['createQueryRunner']>) => Promise<void>): Promise<void> {
  const runner = app.db.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  try {
    await work(runner);
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
}

describe('ScimHardening1764800000000', () => {
  it('redacts passwords that earlier versions kept in the SCIM log, and drops them from raw attributes', async () => {
    const d = await buildDirectorySetup(app);
    const user = (await d.scim('POST', '/Users', entraUser('old@acme.com'))).body;
    await inRolledBackTransaction(async (q) => {
      await q.query('ALTER TABLE scim_requests DROP COLUMN suppressed_count');
      // As the first versions logged a failed Okta create and a failed password reset: bodies verbatim.
      await q.query(`INSERT INTO scim_requests (id, directory_id, method, path, status, duration_ms, request_body, response_body) VALUES
        ('scim_request_old1', $1, 'POST', '/Users', 400, 1, $2, $3),
        ('scim_request_old2', $1, 'PATCH', '/Users/x', 400, 1, $4, NULL)`, [
        d.directoryId,
        JSON.stringify({ userName: 'x', password: 'Old-S3cret-1', [ENTERPRISE]: { Password: 'Old-S3cret-2' } }),
        JSON.stringify({ detail: 'bad', echoed: { password: 'Old-S3cret-3' } }),
        JSON.stringify({ Operations: [{ op: 'replace', path: 'password', value: 'Old-S3cret-4' }] }),
      ]);
      await q.query(`UPDATE directory_users SET raw_attributes = raw_attributes || '{"password": "Old-S3cret-5"}'::jsonb WHERE id = $1`, [user.id]);

      await new ScimHardening1764800000000().up(q);

      const rows = await q.query(`SELECT id, request_body, response_body, suppressed_count FROM scim_requests WHERE id LIKE 'scim_request_old%' ORDER BY id`);
      expect(JSON.stringify(rows)).not.toContain('Old-S3cret');
      expect(rows[0]).toMatchObject({ request_body: { userName: 'x', password: '[redacted]', [ENTERPRISE]: { Password: '[redacted]' } }, response_body: { echoed: { password: '[redacted]' } }, suppressed_count: 0 });
      expect(rows[1].request_body.Operations[0]).toEqual({ op: 'replace', path: 'password', value: '[redacted]' });
      const [raw] = await q.query('SELECT raw_attributes FROM directory_users WHERE id = $1', [user.id]);
      expect(raw.raw_attributes.password).toBeUndefined();
      expect(raw.raw_attributes.userName).toBe('old@acme.com');
    });
  });
});

describe('ScimInterop1764910000000', () => {
  it('turns a manager stored as a string into the complex form, and drops an empty one', async () => {
    const d = await buildDirectorySetup(app, 'azure scim v2.0');
    const withString = (await d.scim('POST', '/Users', entraUser('s@acme.com'))).body;
    const withEmpty = (await d.scim('POST', '/Users', entraUser('e@acme.com'))).body;
    const complex = (await d.scim('POST', '/Users', entraUser('c@acme.com', 'already-complex'))).body;
    await inRolledBackTransaction(async (q) => {
      await q.query('DROP INDEX directory_users_emails_idx');
      const setManager = `UPDATE directory_users SET raw_attributes = jsonb_set(raw_attributes, ARRAY[$2::text, 'manager'], $3::jsonb) WHERE id = $1`;
      await q.query(setManager, [withString.id, ENTERPRISE, JSON.stringify('mgr-string-id')]);
      await q.query(setManager, [withEmpty.id, ENTERPRISE, JSON.stringify('')]);

      await new ScimInterop1764910000000().up(q);

      const manager = async (id: string) => (await q.query('SELECT raw_attributes FROM directory_users WHERE id = $1', [id]))[0].raw_attributes[ENTERPRISE];
      expect(await manager(withString.id)).toEqual({ employeeNumber: '1906', department: 'Navy', manager: { value: 'mgr-string-id' } });
      expect(await manager(withEmpty.id)).toEqual({ employeeNumber: '1906', department: 'Navy' });
      expect(await manager(complex.id)).toEqual({ employeeNumber: '1906', department: 'Navy', manager: { value: 'already-complex' } });
      expect(await q.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'directory_users_emails_idx'`)).toEqual([{ indexdef: expect.stringContaining('gin') }]);
    });
  });
});
