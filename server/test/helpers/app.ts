import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { DataSource, Logger } from 'typeorm';
import { createApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import type { AppDeps } from '../../src/context';
import { createDataSource, migrate } from '../../src/db/data-source';
import { EMBEDDED_POOL_SIZE } from '../../src/db/database';
import { createDeps } from '../../src/deps';
import { setLogLevel } from '../../src/lib/logger';

/** Counts the SQL statements the app sends, for N+1 assertions; while `recorded` is an array, keeps them (text and parameters) there too. */
export class QueryCounter implements Logger {
  count = 0;
  recorded: { query: string; parameters: unknown[] }[] | null = null;
  logQuery(query: string, parameters?: unknown[]): void {
    this.count += 1;
    this.recorded?.push({ query, parameters: parameters ?? [] });
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

export const TEST_SECRET_KEY = 'portico-test-secret-key-0123456789abcdef';

export interface TestApp {
  url: string;
  db: DataSource;
  config: Config;
  deps: AppDeps;
  queries: QueryCounter;
  close(): Promise<void>;
}

/**
 * The real Express app (GraphQL, cookies, CSRF) on a free loopback port, against the run's test database — or,
 * with `databaseUrl`, against a database of its own (migrated here), for tests that must not share job queues
 * with other test processes.
 */
export async function startTestApp(env: Record<string, string> = {}, opts: { databaseUrl?: string; dns?: AppDeps['dns'] } = {}): Promise<TestApp> {
  setLogLevel((env.LOG_LEVEL as 'silent') ?? 'silent');
  const queries = new QueryCounter();
  // On the embedded engine, one connection per pool (see EMBEDDED_POOL_SIZE); real PostgreSQL gets a pool.
  const db = createDataSource({ url: opts.databaseUrl ?? process.env.PORTICO_TEST_DATABASE_URL! }, process.env.PORTICO_TEST_DATABASE_KIND === 'embedded' ? EMBEDDED_POOL_SIZE : 5);
  db.setOptions({ logger: queries, logging: ['query'] });
  await db.initialize();
  if (opts.databaseUrl) await migrate(db);
  const config = loadConfig({
    PORT: '0', PUBLIC_URL: 'http://portico.test', LOG_LEVEL: 'silent', TRUST_PROXY: 'true', PORTICO_SECRET_KEY: TEST_SECRET_KEY, SAML_WORKERS: '1',
    PORTICO_ALLOW_PRIVATE_METADATA_URLS: 'true', ...env,
  });
  const deps = Object.assign(createDeps(db, config), opts.dns ? { dns: opts.dns } : {});
  const app = await createApp({ ...deps, databaseKind: 'postgres' });
  const server: Server = await new Promise((resolve) => {
    const s = app.express.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    db,
    config,
    deps,
    queries,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.apollo.stop();
      await deps.close();
      await db.destroy();
    },
  };
}
