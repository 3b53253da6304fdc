// An embedded database in its own process, for the test run (jest's globalSetup hangs on PGlite's ESM import) and the benchmarks.
// Prints "host:port" once listening; stops cleanly on SIGTERM.
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const db = await PGlite.create({ dataDir: process.argv[2] });
const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 32 });
await server.start();
process.stdout.write(`${server.getServerConn()}\n`);
const stop = async () => {
  await server.stop();
  await db.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
