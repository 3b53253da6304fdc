/**
 * PGlite served over the PostgreSQL wire protocol on a Unix socket (pglite-socket), with each connection's extended
 * queries kept whole. Used by the embedded engine's thread (embedded-worker.ts) and by scripts/embedded-db.mjs (the
 * test run's and the tools' engine in a process of its own).
 *
 * PGlite is one session. pglite-socket runs one wire message at a time from a queue shared by every connection, and
 * keeps to one connection only inside a transaction block. An extended query is several messages (Parse, Bind,
 * Describe, Execute, then Sync), and a large one reaches the socket in several reads: another connection's Parse
 * could run between this one's Parse and Bind and replace the session's unnamed statement, so this Bind ran the other
 * statement ("bind message supplies 9 parameters, but prepared statement "" requires 2"), or, with as many
 * parameters, silently returned its rows. Here the queue also treats a connection as in a transaction from its first
 * extended-query message until its Sync.
 */

/** The wire messages that begin or continue an extended query (or a COPY's data), which its Sync (or CopyDone/Fail) ends. */
const CONTINUES = new Set(['P', 'B', 'D', 'E', 'C', 'H', 'd'].map((c) => c.charCodeAt(0)));

interface Engine {
  isInTransaction(): boolean;
  execProtocolRawStream(message: Uint8Array, options: unknown): Promise<void>;
  exec(query: string): Promise<unknown>;
}

/** `db` as pglite-socket's queue sees it: "in a transaction" also while the last message run left an extended query open. */
export function keepingExtendedQueriesWhole<T extends Engine>(db: T): T {
  let open = false;
  return new Proxy(db, {
    get(target, property) {
      if (property === 'isInTransaction') return () => open || target.isInTransaction();
      if (property === 'execProtocolRawStream') {
        return (message: Uint8Array, options: unknown) => {
          open = CONTINUES.has(message[0]!);
          return target.execProtocolRawStream(message, options);
        };
      }
      // The queue's ROLLBACK for a connection that left mid-transaction (or mid-query): nothing is open after it.
      if (property === 'exec') {
        return (query: string) => {
          open = false;
          return target.exec(query);
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export interface ServedPGlite {
  stop(): Promise<void>;
}

/** Opens PGlite on `pgliteDir` (creating it when new) and serves it on `socketPath` until `stop()`. */
export async function servePGlite(options: { pgliteDir: string; socketPath: string; maxConnections: number }): Promise<ServedPGlite> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create({ dataDir: options.pgliteDir });
  const server = new PGLiteSocketServer({ db: keepingExtendedQueriesWhole(db), path: options.socketPath, maxConnections: options.maxConnections });
  await server.start();
  return {
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
