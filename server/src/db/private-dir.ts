import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Makes `dir` a folder only this user can enter (mode 0700), refusing one that is a symlink or belongs to
 * someone else: what it guards (the embedded database's socket and files) has no password of its own.
 */
export function ensurePrivateDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const stat = fs.lstatSync(dir);
  if (!stat.isDirectory()) throw new Error(`${dir} must be a folder, not a link or a file`);
  if (process.getuid && stat.uid !== process.getuid()) throw new Error(`${dir} belongs to another user (uid ${stat.uid}); Portico needs a folder of its own`);
  fs.chmodSync(dir, 0o700);
}

// Unix socket paths are limited to 104 bytes on macOS and 108 on Linux, the terminating NUL included.
const MAX_SOCKET_PATH = 103;
/** `pg` connects to `<host>/.s.PGSQL.<port>`: the embedded engine answers as port 5432 of its socket folder. */
export const SOCKET_FILE = '.s.PGSQL.5432';

/**
 * The folder for the embedded database's Unix socket: `<dataDir>/socket`, or, when that path is too long
 * for a socket, a fresh private folder under the system's temporary folder (removed by `cleanup`).
 */
export function prepareSocketDir(dataDir: string): { dir: string; cleanup(): void } {
  const inData = path.join(dataDir, 'socket');
  if (path.join(inData, SOCKET_FILE).length <= MAX_SOCKET_PATH) {
    ensurePrivateDir(inData);
    // The caller holds the data-folder lock, so a socket file here was left by a process that died.
    fs.rmSync(path.join(inData, SOCKET_FILE), { force: true });
    return { dir: inData, cleanup: () => undefined };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-db-')); // created 0700 by mkdtemp(3)
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
