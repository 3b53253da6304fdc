import { createHash, randomBytes } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { dbQueryErrors, dbQuerySeconds } from '../lib/metrics';

/**
 * A hot statement as a named prepared statement on the pg pool: PostgreSQL parses, analyses and plans it once per
 * connection instead of on every call (for the ACS statements, half a millisecond of the database's CPU per sign-in
 * each), and the client sends its text once. Measured by `npm run bench:acs`.
 *
 * The name carries the pool client's own number: the embedded engine serves every pool connection from one session,
 * where two connections preparing the same name would collide. Inside a transaction (an EntityManager bound to a
 * query runner) the statement runs unnamed through TypeORM, as any other. Either way TypeORM's logger sees it (the
 * statement-count tests) and `portico_db_query_duration_seconds` times it.
 */
const clientNumbers = new WeakMap<PoolClient, number>();
let nextClient = 0;
/**
 * This module instance's own tag: two instances sharing one embedded session (the test runner loads the module once
 * per test file, all of them on one embedded engine) would otherwise both number their first client 1 and collide.
 */
const instance = randomBytes(4).toString('hex');
const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `portico_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    statementNames.set(text, name);
  }
  return name;
}

function poolOf(db: DataSource | EntityManager): { dataSource: DataSource; pool: Pool } | null {
  if ('queryRunner' in db && db.queryRunner) return null; // a transaction's manager: its own connection
  const dataSource = 'driver' in db ? (db as DataSource) : (db as Partial<EntityManager>).connection;
  const pool = (dataSource?.driver as unknown as { master?: Pool } | undefined)?.master;
  return dataSource && pool && typeof pool.connect === 'function' ? { dataSource, pool } : null;
}

/** Runs `text` with `values` and answers its rows (as `db.query` does for a SELECT or a data-modifying CTE). */
export async function preparedQuery<T>(db: DataSource | EntityManager, text: string, values: unknown[]): Promise<T[]> {
  const target = poolOf(db);
  if (!target) return (await db.query(text, values)) as T[];
  target.dataSource.logger.logQuery(text, values);
  const client = await target.pool.connect();
  let number = clientNumbers.get(client);
  if (number === undefined) {
    number = (nextClient += 1);
    clientNumbers.set(client, number);
  }
  const started = performance.now();
  let broken: Error | undefined;
  try {
    const result = await client.query({ name: `${statementName(text)}_${instance}_${number}`, text, values });
    dbQuerySeconds.observe((performance.now() - started) / 1000);
    return result.rows as T[];
  } catch (err) {
    dbQueryErrors.inc();
    target.dataSource.logger.logQueryError(err instanceof Error ? err : String(err), text, values);
    // An error PostgreSQL answered leaves the connection usable; any other (a lost socket) retires it.
    if (err instanceof Error && !('severity' in err)) broken = err;
    throw err;
  } finally {
    client.release(broken);
  }
}
