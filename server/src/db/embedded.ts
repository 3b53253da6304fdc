import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { logger } from '../lib/logger';
import { lockDataDir } from './data-dir-lock';
import type { EmbeddedWorkerData, EmbeddedWorkerMessage } from './embedded-worker';
import { prepareSocketDir, SOCKET_FILE } from './private-dir';

export interface EmbeddedPostgres {
  /** The folder of the Unix socket: `pg` takes a folder as `host` and connects to `<host>/.s.PGSQL.<port>`. */
  host: string;
  port: number;
  stop(): Promise<void>;
}

/** How long a stop waits for the engine to close its files before its thread is ended. */
const STOP_TIMEOUT_MS = 15_000;

/**
 * Starts PGlite on `dataDir` in a thread of its own (embedded-worker.ts) and serves it over the Postgres wire
 * protocol, so the app talks to it through the same `pg` driver as to a real server, and the main thread, which
 * answers every request, never runs a statement itself. The socket server runs one connection's transaction (and
 * extended query: pglite-server.ts) at a time, which keeps TypeORM transactions isolated (typeorm-pglite does not).
 * Should the engine's thread end by itself, Portico exits, so that whatever supervises it starts it again.
 *
 * PGlite accepts any user and password, so access is the file system's: a Unix socket in a folder only this
 * user can enter, never a TCP port, where any local user could read password hashes and forge sessions.
 */
export async function startEmbeddedPostgres(dataDir: string, maxConnections = 10): Promise<EmbeddedPostgres> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  restrictToOwner(dataDir);
  const unlock = lockDataDir(dataDir);
  const socketDir = prepareSocketDir(dataDir);
  let worker: Worker | null = null;
  try {
    worker = new Worker(workerFile(), {
      workerData: { pgliteDir: path.join(dataDir, 'pglite'), socketPath: path.join(socketDir.dir, SOCKET_FILE), maxConnections } satisfies EmbeddedWorkerData,
    });
    const engine = worker;
    await new Promise<void>((resolve, reject) => {
      engine.once('message', (m: EmbeddedWorkerMessage) => ('error' in m ? reject(new Error(`The embedded database did not start: ${m.error}`)) : resolve()));
      engine.once('error', reject);
      engine.once('exit', (code) => reject(new Error(`The embedded database stopped as it started (exit code ${code})`)));
    });
    let stopping = false;
    engine.removeAllListeners();
    engine.on('error', (err) => logger.error('the embedded database failed', { error: err.message }));
    engine.on('exit', (code) => {
      if (stopping) return;
      // Every request would now fail: exit, so that the supervisor (systemd, Docker, npm start's parent) restarts it.
      logger.error('the embedded database stopped; Portico exits', { exitCode: code });
      process.exit(1);
    });
    return {
      host: socketDir.dir,
      port: 5432,
      async stop() {
        stopping = true;
        if (engine.threadId !== -1) {
          const exited = new Promise((resolve) => engine.once('exit', resolve));
          engine.postMessage('stop');
          const stopped = await Promise.race([exited.then(() => true), new Promise((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS, false).unref())]);
          if (!stopped) {
            logger.warn('the embedded database did not stop in time; its thread is ended', { timeoutMs: STOP_TIMEOUT_MS });
            await engine.terminate();
          }
        }
        socketDir.cleanup();
        unlock();
      },
    };
  } catch (err) {
    await worker?.terminate();
    socketDir.cleanup();
    unlock();
    throw err;
  }
}

/** The compiled worker. Under ts-jest this module runs from src/, so the worker comes from the build (`npm test` builds first). */
function workerFile(): string {
  const here = __filename.endsWith('.ts') ? path.resolve(__dirname, '../../dist/db') : __dirname;
  const file = path.join(here, 'embedded-worker.js');
  if (!fs.existsSync(file)) throw new Error(`The embedded database's worker is not built (${file}); run the server build first`);
  return file;
}

// The database files hold password hashes: other local users must not read them. A folder someone else
// owns (root running Portico on a volume prepared for another user) is left as its owner set it.
function restrictToOwner(dir: string): void {
  if (process.getuid && fs.statSync(dir).uid === process.getuid()) fs.chmodSync(dir, 0o700);
}
