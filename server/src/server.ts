import type { Server } from 'node:http';
import type { Config } from './config';
import { createApp } from './app';
import { openDatabase, type Database } from './db/database';
import { scheduleHousekeeping } from './modules/jobs/housekeeping';
import { JobQueue } from './modules/jobs/job-queue';
import { porticoWorkers } from './modules/jobs/workers';
import { createDeps } from './deps';
import { seedDemoWorkspace, type DemoSignIn } from './seed';

export interface RunningPortico {
  url: string;
  port: number;
  database: Database;
  demo: DemoSignIn | null;
  stop(): Promise<void>;
}

/** Opens the database, migrates, seeds on first run, and listens. `port: 0` picks a free port (tests). */
export async function startPortico(config: Config): Promise<RunningPortico> {
  const database = await openDatabase(config);
  try {
    const demo = config.seedDemo ? await seedDemoWorkspace(database.dataSource, config.databaseUrl ? null : config.dataDir) : null;
    const deps = createDeps(database.dataSource, config);
    const app = await createApp({ ...deps, databaseKind: database.kind });
    const server: Server = await new Promise((resolve, reject) => {
      const s = app.express.listen(config.port, config.host, () => resolve(s)).on('error', reject);
    });
    // Keep idle connections longer than the usual load balancer idle timeout (60 s), so a balancer (or a
    // keep-alive client) never sends a request on a socket this side is closing.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    const port = (server.address() as { port: number }).port;
    const queue = new JobQueue(database.dataSource);
    await queue.start(porticoWorkers(deps));
    const stopHousekeeping = scheduleHousekeeping(queue, config.housekeepingIntervalSeconds);
    return {
      url: config.publicUrl,
      port,
      database,
      demo,
      async stop() {
        stopHousekeeping();
        // Stop accepting, drop idle keep-alive sockets now, and give in-flight requests a moment to finish.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const force = setTimeout(() => server.closeAllConnections(), 5_000).unref();
        await closed;
        clearTimeout(force);
        await app.apollo.stop();
        await queue.stop();
        await deps.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
