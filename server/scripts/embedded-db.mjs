// An embedded database in its own process, for the test run (jest's globalSetup hangs on PGlite's ESM import) and the benchmarks.
// Usage: embedded-db.mjs <pglite-folder>. Serves it on a Unix socket in <pglite-folder>/../socket (mode 0700:
// PGlite takes any password, so the folder's mode is the only guard), prints the connection URL once listening,
// and stops cleanly on SIGTERM.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const socketDir = path.join(path.dirname(path.resolve(process.argv[2])), 'socket');
fs.mkdirSync(socketDir, { recursive: true, mode: 0o700 });
fs.chmodSync(socketDir, 0o700);
const db = await PGlite.create({ dataDir: process.argv[2] });
const server = new PGLiteSocketServer({ db, path: path.join(socketDir, '.s.PGSQL.5432'), maxConnections: 32 });
await server.start();
process.stdout.write(`postgres://postgres:postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}\n`);
const stop = async () => {
  await server.stop();
  await db.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
