const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up, or in recovery).
const SERVER_GOING_AWAY = new Set(['57P01', '57P02', '57P03']);

/**
 * True when `err` says the database could not be reached or went away mid-statement (a restart, a failover, a
 * network cut), as opposed to a statement it refused: waiting and trying again can only help the former.
 */
export function databaseUnreachable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (NETWORK_CODES.has(code) || SERVER_GOING_AWAY.has(code) || code.startsWith('08')) return true;
  // pg's own wording when the socket closes under a client (it sets no code).
  return typeof e?.message === 'string' && /^Connection terminated|^Client has encountered a connection error|timeout exceeded when trying to connect/.test(e.message);
}

/**
 * True when PostgreSQL refused the statement (it answered with an error, which pg marks with `severity`) and stays
 * reachable: the connection can be used again, and nothing the statement would have written was.
 */
export function refusedByDatabase(err: unknown): boolean {
  return err instanceof Error && 'severity' in err && !databaseUnreachable(err);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work`, and again while the database is unreachable (backing off 250 ms → 5 s), until it succeeds, it
 * fails for another reason, `deadlineMs` has passed or `gaveUp()` says stop: then the last error is thrown.
 * For a result that is already known and only has to be written down (a webhook's answer, a job's outcome).
 */
export async function whileUnreachable<T>(work: () => Promise<T>, opts: { deadlineMs: number; gaveUp?: () => boolean; onRetry?: (err: unknown) => void }): Promise<T> {
  const deadline = Date.now() + opts.deadlineMs;
  for (let wait = 250; ; wait = Math.min(wait * 2, 5_000)) {
    try {
      return await work();
    } catch (err) {
      if (!databaseUnreachable(err) || Date.now() + wait > deadline || opts.gaveUp?.()) throw err;
      opts.onRetry?.(err);
      await sleep(wait);
    }
  }
}
