import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDataSource, migrate } from '../../src/db/data-source';

declare global {
  var __porticoEmbedded: { child: ChildProcess; dir: string } | undefined;
}

function startEmbedded(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.resolve(__dirname, '../../scripts/embedded-db.mjs'), path.join(dir, 'pglite')], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve({ child, url: out.trim() });
    });
    child.on('exit', (code) => reject(new Error(`embedded test database exited with ${code}`)));
  });
}

/**
 * One database for the run: DATABASE_URL when set (CI gives a fresh one), else an embedded engine in a
 * temporary folder. Tests isolate themselves by creating their own workspaces, not by truncating.
 */
export default async function globalSetup(): Promise<void> {
  let url = process.env.DATABASE_URL;
  if (!url) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-test-db-'));
    const embedded = await startEmbedded(dir);
    globalThis.__porticoEmbedded = { child: embedded.child, dir };
    url = embedded.url;
  }
  process.env.PORTICO_TEST_DATABASE_URL = url;
  process.env.PORTICO_TEST_DATABASE_KIND = process.env.DATABASE_URL ? 'postgres' : 'embedded';
  const ds = await createDataSource({ url }, 1).initialize();
  await migrate(ds);
  await ds.destroy();
}
