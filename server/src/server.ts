import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Config } from './config';
import { createApp } from './app';
import { openDatabase, type Database, type DatabaseKind } from './db/database';
import { liveness } from './http/ops/ops-router';
import { Lifecycle } from './http/ops/lifecycle';
import { stopTracing } from './lib/tracing';
import { logger } from './lib/logger';
import { createDeps } from './deps';
import { scheduleHousekeeping } from './modules/jobs/housekeeping';
import { JobQueue } from './modules/jobs/job-queue';
import { porticoWorkers } from './modules/jobs/workers';
import { seedDemoWorkspace, type DemoSignIn } from './seed';

export interface RunningPortico {
  url: string;
  port: number;
  database: Database;
  demo: DemoSignIn | null;
  stop(): Promise<void>;
}

/**
 * Until the app is ready, every request is told to come back (503 "starting", /ready included), except the
 * liveness probe: the process is alive, only not ready yet.
 */
function answerStarting(databaseKind: DatabaseKind) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '').split('?')[0];
    const { status, body } = path === '/health' && (req.method === 'GET' || req.method === 'HEAD') ? liveness(databaseKind) : { status: 503, body: { status: 'starting' } };
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...(status === 503 ? { 'Retry-After': '1' } : {}) });
    res.end(JSON.stringify(body));
  };
}

function listen(config: Config, lifecycle: Lifecycle, starting: ReturnType<typeof answerStarting>): Promise<Server> {
  const server = createServer((req, res) => lifecycle.track(req, res));
  server.on('request', starting);
  // Keep idle connections longer than the usual load balancer idle timeout (60 s), so a balancer (or a
  // keep-alive client) never sends a request on a socket this side is closing.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject).listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Time in-flight requests get to finish once the server stops accepting; then their connections are cut. */
export const IN_FLIGHT_GRACE_MS = 5_000;

/**
 * Listens at once (answering 503 "starting", /health 200), opens the database, migrates, seeds on first run, then serves.
 * `port: 0` picks a free port (tests).
 */
export async function startPortico(config: Config): Promise<RunningPortico> {
  const lifecycle = new Lifecycle();
  const starting = answerStarting(config.databaseUrl ? 'postgres' : 'embedded');
  const server = await listen(config, lifecycle, starting);
  let database: Database;
  try {
    database = await openDatabase(config);
  } catch (err) {
    await new Promise((resolve) => server.close(resolve));
    throw err;
  }
  try {
    const deps = createDeps(database.dataSource, config);
    const demo = config.seedDemo ? await seedDemoWorkspace(deps, config.databaseUrl ? null : config.dataDir) : null;
    if (demo) logger.info('demo workspace', { created: demo.created });
    const app = await createApp({ ...deps, databaseKind: database.kind, lifecycle });
    // The job queue (webhook deliveries, notifications, housekeeping) runs before the replica says it is ready.
    const queue = new JobQueue(database.dataSource);
    await queue.start(porticoWorkers(deps));
    const stopHousekeeping = scheduleHousekeeping(queue, config.housekeepingIntervalSeconds);
    server.off('request', starting);
    server.on('request', app.express);
    lifecycle.phase = 'ready';
    const port = (server.address() as { port: number }).port;
    return {
      url: config.publicUrl,
      port,
      database,
      demo,
      async stop() {
        stopHousekeeping();
        // /ready says 503 from now on; PORTICO_DRAIN_SECONDS keeps accepting meanwhile, so a load balancer
        // polling /ready takes this replica out before its connections are refused.
        lifecycle.phase = 'draining';
        if (config.drainSeconds > 0) {
          logger.info('draining', { seconds: config.drainSeconds });
          await sleep(config.drainSeconds * 1000);
        }
        // Stop accepting, drop idle keep-alive sockets, and let requests in flight (a sign-in being validated) finish.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const inFlight = lifecycle.requestsInFlight;
        if (!(await lifecycle.whenIdle(IN_FLIGHT_GRACE_MS))) logger.warn('requests still in flight after the grace period; closing their connections', { inFlight: lifecycle.requestsInFlight });
        else if (inFlight > 0) logger.info('requests in flight finished', { inFlight });
        server.closeAllConnections();
        await closed;
        await app.apollo.stop();
        await queue.stop();
        await deps.close();
        await database.close();
        await stopTracing();
      },
    };
  } catch (err) {
    await new Promise((resolve) => server.close(resolve));
    await database.close();
    throw err;
  }
}
