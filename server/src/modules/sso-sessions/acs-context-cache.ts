import type { DataSource } from 'typeorm';
import type { AcsContext } from './acs-store';

/**
 * The ACS contexts a process has read, by connection ID: a sign-in on a warm connection validates against the cached
 * context and writes in one statement that first checks the context's version (acs-store's CONTEXT_VERSION) in its
 * own snapshot, so a change made anywhere (another replica, another process, a SQL console) is never missed: a stale
 * context writes nothing and the sign-in is checked again against the rows as they are. A failure is recorded only
 * after the version is confirmed the same way. The cache saves the context read, one of a sign-in's two statements.
 */
const MAX_ENTRIES = 1000;
/** An entry is read again after this long even if nothing changed: a bound on memory, not on correctness. */
const MAX_AGE_MS = 60_000;

const caches = new WeakMap<DataSource, Map<string, { context: AcsContext; at: number }>>();

function cacheOf(db: DataSource): Map<string, { context: AcsContext; at: number }> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  return cache;
}

export function cachedAcsContext(db: DataSource, connectionId: string, now = Date.now()): AcsContext | undefined {
  const entry = cacheOf(db).get(connectionId);
  if (!entry) return undefined;
  if (now - entry.at > MAX_AGE_MS) {
    cacheOf(db).delete(connectionId);
    return undefined;
  }
  return entry.context;
}

export function cacheAcsContext(db: DataSource, context: AcsContext, now = Date.now()): void {
  const cache = cacheOf(db);
  cache.delete(context.id);
  cache.set(context.id, { context, at: now });
  // The oldest entry goes first (a Map iterates in insertion order).
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
}

export function forgetAcsContext(db: DataSource, connectionId: string): void {
  cacheOf(db).delete(connectionId);
}
