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

/**
 * The wire messages that begin or continue an extended query (Parse, Bind, Describe, Execute, Close, Flush), which
 * its Sync ends. Any other message (Sync, a simple Query, a function call, Terminate, the password) leaves nothing
 * open. Not covered: COPY (Portico sends none) and a client that holds an extended query open while it waits for
 * another connection (it would wait for ever, as one holding a transaction open would).
 */
const CONTINUES = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((c) => c.charCodeAt(0)));

interface Engine {
  isInTransaction(): boolean;
  execProtocolRawStream(message: Uint8Array, options: unknown): Promise<void>;
  execProtocolRaw(message: Uint8Array): Promise<Uint8Array>;
  exec(query: string): Promise<unknown>;
}

/** A Sync message: ends an extended query (PostgreSQL rolls back what an error or a ROLLBACK before it aborted). */
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

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
      // The queue's ROLLBACK for a connection that left mid-transaction or mid-query. A query left open is then ended
      // by a Sync, after the ROLLBACK (which aborts what it had run; a Sync first would commit it). After an error,
      // PostgreSQL skips every message up to a Sync, the ROLLBACK too, and the Sync ends it all the same.
      if (property === 'exec') {
        return async (query: string) => {
          const wasOpen = open;
          open = false;
          const result = await target.exec(query);
          if (wasOpen) await target.execProtocolRaw(SYNC);
          return result;
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The part of pglite-socket's query queue this module reaches into (its fields are public in the built code). */
interface Queue {
  lastHandlerId: number | null;
  processing: boolean;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
  clearTransactionIfNeeded(handlerId: number): Promise<void>;
}

/**
 * A connection that leaves while its message is being run (its Parse, or its BEGIN) becomes the queue's last one
 * after it has gone: pglite-socket looked for a ROLLBACK to run when it left, found another connection last, and
 * then waited for the gone one's next message for ever, every other connection with it. Here the queue remembers who
 * left, and whenever it stops to wait for a connection that has left, ends what that connection left open and goes on.
 */
export function endingWhatLeaversLeftOpen(queue: Queue, engine: Pick<Engine, 'isInTransaction'>): void {
  const left = new Set<number>();
  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId) => {
    left.add(handlerId);
    clear(handlerId);
  };
  const process = queue.processQueue.bind(queue);
  queue.processQueue = async () => {
    await process();
    const last = queue.lastHandlerId;
    if (!queue.processing && last !== null && left.has(last) && engine.isInTransaction()) await queue.clearTransactionIfNeeded(last);
  };
}

export interface ServedPGlite {
  stop(): Promise<void>;
}

/** Opens PGlite on `pgliteDir` (creating it when new) and serves it on `socketPath` until `stop()`. */
export async function servePGlite(options: { pgliteDir: string; socketPath: string; maxConnections: number }): Promise<ServedPGlite> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create({ dataDir: options.pgliteDir });
  const engine = keepingExtendedQueriesWhole(db);
  const server = new PGLiteSocketServer({ db: engine, path: options.socketPath, maxConnections: options.maxConnections });
  endingWhatLeaversLeftOpen((server as unknown as { queryQueue: Queue }).queryQueue, engine);
  try {
    await server.start();
  } catch (err) {
    await db.close();
    throw err;
  }
  return {
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
