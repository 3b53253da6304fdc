import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { createDataSource, migrate } from './data-source';
import { logger } from '../lib/logger';
import { startEmbeddedPostgres } from './embedded';

export type DatabaseKind = 'embedded' | 'postgres';

export const EMBEDDED_POOL_SIZE = 1;

export interface Database {
  kind: DatabaseKind;
  dataSource: DataSource;
  close(): Promise<void>;
}

/** Opens PostgreSQL at DATABASE_URL, or the embedded engine in the data folder, and migrates it. */
export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Database> {
  if (config.databaseUrl) {
    const dataSource = await createDataSource({ url: config.databaseUrl }).initialize();
    logger.info('database opened', { database: 'postgres' });
    logger.info('migrations applied', { applied: await migrate(dataSource) });
    return { kind: 'postgres', dataSource, close: () => dataSource.destroy() };
  }
  const embedded = await startEmbeddedPostgres(config.dataDir);
  try {
    // One connection: PGlite is a single session that runs one statement at a time, whichever connection sends it
    // (pglite-server.ts keeps connections' queries apart); more connections would only queue there instead of here.
    const dataSource = await createDataSource({ host: embedded.host, port: embedded.port }, EMBEDDED_POOL_SIZE).initialize();
    logger.info('database opened', { database: 'embedded', dataDir: config.dataDir });
    logger.info('migrations applied', { applied: await migrate(dataSource) });
    return {
      kind: 'embedded',
      dataSource,
      async close() {
        await dataSource.destroy();
        await embedded.stop();
      },
    };
  } catch (err) {
    await embedded.stop();
    throw err;
  }
}
