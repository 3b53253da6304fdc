import { QueryFailedError, type DataSource } from 'typeorm';
import { uniqueViolation } from '../../src/db/unique-violation';
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

  it('prepares inside a transaction on the transaction’s own connection, and sees its writes', async () => {
    const { seen, prepared } = await db.transaction(async (m) => {
      await m.query('CREATE TEMP TABLE prepared_probe (n int) ON COMMIT DROP');
      await m.query('INSERT INTO prepared_probe VALUES (7)');
      const rows = await preparedQuery<{ n: number }>(m, 'SELECT n FROM prepared_probe WHERE n > $1', [0]);
      // the same session: its prepared statements hold this one
      const names = (await m.query(`SELECT name FROM pg_prepared_statements WHERE statement = $1`, ['SELECT n FROM prepared_probe WHERE n > $1'])) as { name: string }[];
      return { seen: rows, prepared: names };
    });
    expect(seen).toEqual([{ n: 7 }]);
    expect(prepared).toHaveLength(1);
    expect(prepared[0]!.name).toMatch(/^portico_[0-9a-f]{16}_[0-9a-f]{8}_\d+$/);
  });

  it('answers an error inside a transaction as manager.query does (QueryFailedError with the driver’s error), and the transaction rolls back', async () => {
    await db.query('CREATE TABLE IF NOT EXISTS prepared_unique (n int PRIMARY KEY)');
    try {
      const failure = await db.transaction(async (m) => {
        await m.query('INSERT INTO prepared_unique VALUES (1)');
        return preparedQuery(m, 'INSERT INTO prepared_unique VALUES ($1)', [1]);
      }).catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(QueryFailedError);
      expect(uniqueViolation(failure)).toBe('prepared_unique_pkey');
      expect(await db.query('SELECT count(*)::int AS n FROM prepared_unique')).toEqual([{ n: 0 }]);
    } finally {
      await db.query('DROP TABLE prepared_unique');
    }
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
