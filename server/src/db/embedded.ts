import fs from 'node:fs';
import path from 'node:path';

export interface EmbeddedPostgres {
  host: string;
  port: number;
  stop(): Promise<void>;
}

/** Takes the folder for this process, or explains who holds it. A lock left by a dead process is taken over. */
function lockDataDir(dataDir: string): () => void {
  const lockPath = path.join(dataDir, 'portico.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = fs.openSync(lockPath, 'wx', 0o600);
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => fs.rmSync(lockPath, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(lockPath, 'utf8'));
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new Error(`The data folder ${dataDir} is in use by process ${holder}. Stop it, or set PORTICO_DATA_DIR to another folder.`);
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock the data folder ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Starts PGlite on `dataDir` and serves it over the Postgres wire protocol on a loopback port, so the
 * app talks to it through the same `pg` driver as to a real server. The socket server runs one
 * connection's transaction at a time, which keeps TypeORM transactions isolated (typeorm-pglite does not).
 */
export async function startEmbeddedPostgres(dataDir: string, maxConnections = 10): Promise<EmbeddedPostgres> {
  fs.mkdirSync(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
    const db = await PGlite.create({ dataDir: path.join(dataDir, 'pglite') });
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
    await server.start();
    const [host, port] = server.getServerConn().split(':');
    return {
      host,
      port: Number(port),
      async stop() {
        await server.stop();
        await db.close();
        unlock();
      },
    };
  } catch (err) {
    unlock();
    throw err;
  }
}
