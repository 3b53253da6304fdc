import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { preparedQuery } from '../../src/db/prepared';

const onPostgres = process.env.PORTICO_TEST_DATABASE_KIND !== 'embedded';
const STATEMENT = 'SELECT $1::int AS n, $2::text AS tag';

describe('preparedQuery (the ACS hot path statements)', () => {
  let db: DataSource;
  beforeAll(async () => {
    // One connection: the session whose prepared statements the test reads.
    db = await createDataSource({ url: process.env.PORTICO_TEST_DATABASE_URL! }, 1).initialize();
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('prepares a statement once per connection and reuses it (PostgreSQL parses and plans its text once)', async () => {
    for (let i = 0; i < 3; i += 1) expect(await preparedQuery(db, STATEMENT, [i, `t${i}`])).toEqual([{ n: i, tag: `t${i}` }]);
    const rows = (await db.query(`SELECT name, statement FROM pg_prepared_statements WHERE statement = $1`, [STATEMENT])) as { name: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.name).toMatch(/^portico_[0-9a-f]{16}_[0-9a-f]{8}_\d+$/);
  });

  it('runs unnamed inside a transaction, on the transaction’s own connection, and sees its writes', async () => {
    const seen = await db.transaction(async (m) => {
      await m.query('CREATE TEMP TABLE prepared_probe (n int) ON COMMIT DROP');
      await m.query('INSERT INTO prepared_probe VALUES (7)');
      return preparedQuery<{ n: number }>(m, 'SELECT n FROM prepared_probe', []);
    });
    expect(seen).toEqual([{ n: 7 }]);
  });

  it('keeps the connection after an error PostgreSQL answered, and names the statement in TypeORM’s log', async () => {
    const logged: string[] = [];
    const logger = db.logger;
    const original = logger.logQuery.bind(logger);
    logger.logQuery = (query: string, parameters?: unknown[]) => {
      logged.push(query);
      return original(query, parameters);
    };
    try {
      await expect(preparedQuery(db, 'SELECT 1 / $1::int AS n', [0])).rejects.toThrow(/division by zero/);
      expect(await preparedQuery(db, 'SELECT 1 / $1::int AS n', [1])).toEqual([{ n: 1 }]);
    } finally {
      logger.logQuery = original;
    }
    expect(logged.filter((q) => q === 'SELECT 1 / $1::int AS n')).toHaveLength(2);
  });

  (onPostgres ? it : it.skip)('answers concurrent callers on several connections, each with its own parameters', async () => {
    const pool = await createDataSource({ url: process.env.PORTICO_TEST_DATABASE_URL! }, 4).initialize();
    try {
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => preparedQuery<{ n: number; tag: string }>(pool, STATEMENT, [i, `c${i}`])));
      expect(answers).toEqual(Array.from({ length: 40 }, (_, i) => [{ n: i, tag: `c${i}` }]));
    } finally {
      await pool.destroy();
    }
  });
});
