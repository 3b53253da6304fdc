import { createHash, randomBytes } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { QueryFailedError, type DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { dbQueryErrors, dbQuerySeconds } from '../lib/metrics';
import { refusedByDatabase } from './unreachable';

/**
 * A hot statement as a named prepared statement on the pg pool: PostgreSQL parses, analyses and plans it once per
 * connection instead of on every call (for the ACS statements, half a millisecond of the database's CPU per sign-in
 * each), and the client sends its text once. Measured by `npm run bench:acs`.
 *
 * The name carries the pool client's own number: the embedded engine serves every pool connection from one session,
 * where two connections preparing the same name would collide. Inside a transaction (an EntityManager bound to a
 * query runner) it is prepared on the transaction's own connection, and an error comes back as TypeORM's
 * QueryFailedError, as from `manager.query`. Either way TypeORM's logger sees it (the statement-count tests) and
 * `portico_db_query_duration_seconds` times it.
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

type Target = { dataSource: DataSource; pool: Pool; runner?: undefined } | { dataSource: DataSource; runner: QueryRunner; pool?: undefined };

function targetOf(db: DataSource | EntityManager): Target | null {
  const runner = 'queryRunner' in db ? db.queryRunner : undefined;
  if (runner) return runner.isReleased ? null : { dataSource: runner.connection, runner }; // a transaction's manager: its own connection
  const dataSource = 'driver' in db ? (db as DataSource) : (db as Partial<EntityManager>).connection;
  const pool = (dataSource?.driver as unknown as { master?: Pool } | undefined)?.master;
  return dataSource && pool && typeof pool.connect === 'function' ? { dataSource, pool } : null;
}

function numberOf(client: PoolClient): number {
  let number = clientNumbers.get(client);
  if (number === undefined) {
    number = (nextClient += 1);
    clientNumbers.set(client, number);
  }
  return number;
}

/** Runs `text` with `values` and answers its rows (as `db.query` does for a SELECT or a data-modifying CTE). */
export async function preparedQuery<T>(db: DataSource | EntityManager, text: string, values: unknown[]): Promise<T[]> {
  const target = targetOf(db);
  if (!target) return (await db.query(text, values)) as T[];
  if (target.runner) return run<T>(target, (await target.runner.connect()) as PoolClient, text, values, () => undefined);
  const client = await target.pool.connect();
  let broken: Error | undefined;
  return run<T>(target, client, text, values, (err) => {
    // A statement PostgreSQL refused leaves the connection usable; any other error (a lost socket) retires it.
    if (!refusedByDatabase(err)) broken = err instanceof Error ? err : new Error(String(err));
  }).finally(() => client.release(broken));
}

async function run<T>(target: Target, client: PoolClient, text: string, values: unknown[], failed: (err: unknown) => void): Promise<T[]> {
  target.dataSource.logger.logQuery(text, values, target.runner);
  const started = performance.now();
  try {
    const result = await client.query({ name: `${statementName(text)}_${instance}_${numberOf(client)}`, text, values });
    dbQuerySeconds.observe((performance.now() - started) / 1000);
    return result.rows as T[];
  } catch (err) {
    dbQueryErrors.inc();
    target.dataSource.logger.logQueryError(err instanceof Error ? err : String(err), text, values, target.runner);
    failed(err);
    // In a transaction, callers read errors as they come from manager.query (uniqueViolation reads driverError).
    throw target.runner ? new QueryFailedError(text, values, err as Error) : err;
  }
}
