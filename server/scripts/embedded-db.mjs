// An embedded database in its own process, for the test run (jest's globalSetup hangs on PGlite's ESM import) and
// tools. Usage: embedded-db.mjs <pglite-folder>. Serves it on a Unix socket in <pglite-folder>/../socket (mode 0700:
// PGlite takes any password, so the folder's mode is the only guard), prints the connection URL once listening,
// and stops cleanly on SIGTERM. The server as npm start runs it serves its engine the same way (src/db/pglite-server.ts,
// built: `npm test` builds first), each connection's extended queries kept whole.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const built = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'db', 'pglite-server.js');
if (!fs.existsSync(built)) {
  process.stderr.write(`embedded-db: ${built} is not built; run the server build first\n`);
  process.exit(1);
}
const { servePGlite } = (await import(built)).default;
const socketDir = path.join(path.dirname(path.resolve(process.argv[2])), 'socket');
fs.mkdirSync(socketDir, { recursive: true, mode: 0o700 });
fs.chmodSync(socketDir, 0o700);
const engine = await servePGlite({ pgliteDir: process.argv[2], socketPath: path.join(socketDir, '.s.PGSQL.5432'), maxConnections: 32 });
process.stdout.write(`postgres://postgres:postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}\n`);
const stop = async () => {
  await engine.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
