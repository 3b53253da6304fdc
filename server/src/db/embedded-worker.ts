import { parentPort, workerData } from 'node:worker_threads';
import { servePGlite } from './pglite-server';

/**
 * The embedded engine's own thread (see embedded.ts): PGlite and its wire-protocol server on the Unix socket
 * (pglite-server.ts). PGlite runs each statement synchronously in WebAssembly; on the main thread, every statement
 * held the event loop, so a sign-in storm stalled the dashboard and a slow query stalled every request.
 */
export interface EmbeddedWorkerData {
  pgliteDir: string;
  socketPath: string;
  maxConnections: number;
}

export type EmbeddedWorkerMessage = { listening: true } | { error: string };

async function serve(): Promise<void> {
  const engine = await servePGlite(workerData as EmbeddedWorkerData);
  // Any message asks the engine to stop: the socket closes, then the database (its files synced); the thread ends.
  parentPort!.once('message', () => {
    void engine.stop()
      .catch((err: unknown) => console.error(`the embedded database did not stop cleanly: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => parentPort!.close());
  });
  parentPort!.postMessage({ listening: true } satisfies EmbeddedWorkerMessage);
}

serve().catch((err: unknown) => parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) } satisfies EmbeddedWorkerMessage));
