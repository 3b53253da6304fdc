import fs from 'node:fs';
import path from 'node:path';
import { lockDataDir } from './data-dir-lock';
import { prepareSocketDir, SOCKET_FILE } from './private-dir';

export interface EmbeddedPostgres {
  /** The folder of the Unix socket: `pg` takes a folder as `host` and connects to `<host>/.s.PGSQL.<port>`. */
  host: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts PGlite on `dataDir` and serves it over the Postgres wire protocol, so the app talks to it through
 * the same `pg` driver as to a real server. The socket server runs one connection's transaction at a time,
 * which keeps TypeORM transactions isolated (typeorm-pglite does not).
 *
 * PGlite accepts any user and password, so access is the file system's: a Unix socket in a folder only this
 * user can enter, never a TCP port, where any local user could read password hashes and forge sessions.
 */
export async function startEmbeddedPostgres(dataDir: string, maxConnections = 10): Promise<EmbeddedPostgres> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  restrictToOwner(dataDir);
  const unlock = lockDataDir(dataDir);
  const socketDir = prepareSocketDir(dataDir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
    const db = await PGlite.create({ dataDir: path.join(dataDir, 'pglite') });
    const server = new PGLiteSocketServer({ db, path: path.join(socketDir.dir, SOCKET_FILE), maxConnections });
    await server.start();
    return {
      host: socketDir.dir,
      port: 5432,
      async stop() {
        await server.stop();
        await db.close();
        socketDir.cleanup();
        unlock();
      },
    };
  } catch (err) {
    socketDir.cleanup();
    unlock();
    throw err;
  }
}

// The database files hold password hashes: other local users must not read them. A folder someone else
// owns (root running Portico on a volume prepared for another user) is left as its owner set it.
function restrictToOwner(dir: string): void {
  if (process.getuid && fs.statSync(dir).uid === process.getuid()) fs.chmodSync(dir, 0o700);
}
