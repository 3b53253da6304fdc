import type { Server } from 'node:http';
import type { Config } from './config';
import { createApp } from './app';
import { openDatabase, type Database } from './db/database';
import { logger } from './lib/logger';
import { purgeExpiredSessions } from './modules/accounts/sessions.service';
import { purgeExpiredSignUps } from './modules/sign-ups/sign-ups.service';
import { createDeps } from './deps';
import { purgeExpiredSsoRecords } from './modules/sso-sessions/sso-flow';
import { purgeRawSaml } from './modules/sso-sessions/sessions.service';
import { purgeOldEvents } from './modules/events/events.service';
import { refreshIdpMetadata } from './modules/connections/connections.service';
import { purgeExpiredRateLimits } from './modules/rate-limits/rate-limits.service';
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
    const housekeeping = setInterval(() => {
      Promise.all([purgeExpiredSessions(database.dataSource), purgeExpiredSignUps(database.dataSource), purgeExpiredRateLimits(database.dataSource), purgeExpiredSsoRecords(database.dataSource), purgeRawSaml(database.dataSource, config.samlRawRetentionDays), purgeOldEvents(database.dataSource),
        refreshIdpMetadata({ db: database.dataSource, config })]).catch((err) =>
        logger.warn('housekeeping failed', { error: String(err) }),
      );
    }, 10 * 60_000).unref();
    return {
      url: config.publicUrl,
      port,
      database,
      demo,
      async stop() {
        clearInterval(housekeeping);
        // Stop accepting, drop idle keep-alive sockets now, and give in-flight requests a moment to finish.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const force = setTimeout(() => server.closeAllConnections(), 5_000).unref();
        await closed;
        clearTimeout(force);
        await app.apollo.stop();
        await deps.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
