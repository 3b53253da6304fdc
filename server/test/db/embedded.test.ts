import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../../src/db/database';

// The embedded engine (PGlite behind pglite-socket) has one session: concurrent parameterized queries from
// several connections would interleave their Parse/Bind messages in it.
describe('the embedded database', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-embedded-'));
  let db: Database;
  beforeAll(async () => { db = await openDatabase({ databaseUrl: undefined, dataDir }); });
  afterAll(async () => {
    await db?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('uses one connection, so statements from concurrent requests cannot interleave in its single session', () => {
    expect((db.dataSource.driver.options as { extra?: { max?: number } }).extra?.max).toBe(1);
  });

  it('answers many concurrent parameterized queries, each with its own parameters', async () => {
    // Different statements with different parameter counts, as real traffic sends.
    const run = (i: number) => (i % 2 ? db.dataSource.query('SELECT $1::int AS n', [i]) : db.dataSource.query('SELECT $1::int AS n, $2::text AS tag', [i, `q${i}`]));
    for (let round = 0; round < 10; round += 1) {
      const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => run(i)));
      expect(answers.map((rows) => rows[0])).toEqual(Array.from({ length: 60 }, (_, i) => (i % 2 ? { n: i } : { n: i, tag: `q${i}` })));
    }
  });

  it('keeps concurrent transactions apart: a rollback undoes only its own writes', async () => {
    await db.dataSource.query('CREATE TABLE IF NOT EXISTS embedded_probe (v int)');
    const failing = db.dataSource.transaction(async (m) => {
      await m.query('INSERT INTO embedded_probe VALUES ($1)', [1]);
      await new Promise((r) => setTimeout(r, 50));
      throw new Error('roll back');
    }).catch(() => 'rolled back');
    const committing = db.dataSource.transaction((m) => m.query('INSERT INTO embedded_probe VALUES ($1)', [2]));
    expect(await failing).toBe('rolled back');
    await committing;
    expect(await db.dataSource.query('SELECT v FROM embedded_probe ORDER BY v')).toEqual([{ v: 2 }]);
  });
});
