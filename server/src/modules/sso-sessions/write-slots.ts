import type { DataSource } from 'typeorm';
import { refusedByDatabase } from '../../db/unreachable';
import { acsWriteQueue } from '../../lib/metrics';

/** A write that may share its slot and its statement with others of the same `key` waiting behind it. */
interface Batchable {
  key: string;
  /** Writes in one batch must differ in each of these (a sign-in's assertion ID, its session). */
  distinct: string[];
  item: unknown;
  settle: (result: unknown) => void;
  fail: (err: unknown) => void;
}

interface Waiter {
  wake: () => void;
  batchable?: Batchable;
}

/** The most writes one batch takes (one statement's arrays). */
export const MAX_BATCH = 32;

/**
 * How many sign-ins are written to the database at once (ACS_WRITE_SLOTS, by default one per core); the others wait
 * their turn here, in arrival order, already validated. During a sign-in storm every statement PostgreSQL runs at
 * once is one more backend on the cores: with the writes in flight bounded, a dashboard query finds the database
 * nearly as free as between storms (bench:acs: GraphQL p99 58 ms → 44 ms at the same sign-ins/s), while the
 * validation threads keep the next responses ready.
 */
export class WriteSlots {
  private running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(readonly size: number) {}

  async run<T>(write: () => Promise<T>): Promise<T> {
    if (this.running < this.size) this.running += 1;
    else {
      acsWriteQueue.inc();
      await new Promise<void>((resolve) => this.waiting.push({ wake: resolve }));
      acsWriteQueue.dec();
    }
    try {
      return await write();
    } finally {
      this.release();
    }
  }

  /**
   * `one(item)` in a slot as `run` does; but when the slots are busy the write waits, and whichever of the waiting
   * writes with the same `key` gets a slot first takes the others along (up to `maxBatch`, each `distinct` once):
   * `many(items)` writes them together and answers each one's result in order. Should the database refuse `many`
   * (an error it answered: nothing written), each is written on its own with `one`, in the same slot; any other
   * error is every one's. Under a storm the writes waiting for a slot become one statement and one commit instead
   * of one each.
   */
  async runBatched<T, R>(key: string, distinct: string[], item: T, one: (item: T) => Promise<R>, many: (items: T[]) => Promise<R[]>, maxBatch = MAX_BATCH): Promise<R> {
    if (this.running < this.size) return this.run(() => one(item));
    return new Promise<R>((resolve, reject) => {
      const batchable: Batchable = { key, distinct, item, settle: resolve as (r: unknown) => void, fail: reject };
      acsWriteQueue.inc();
      this.waiting.push({
        batchable,
        wake: () => {
          acsWriteQueue.dec();
          void this.writeBatch(batchable, one as (item: unknown) => Promise<unknown>, many as (items: unknown[]) => Promise<unknown[]>, maxBatch);
        },
      });
    });
  }

  /** Holding a slot: `first` and the writes of its key still waiting, together. */
  private async writeBatch(first: Batchable, one: (item: unknown) => Promise<unknown>, many: (items: unknown[]) => Promise<unknown[]>, maxBatch: number): Promise<void> {
    const batch = [first];
    const taken = new Set(first.distinct);
    for (let i = 0; i < this.waiting.length && batch.length < maxBatch;) {
      const other = this.waiting[i]!.batchable;
      if (other && other.key === first.key && other.distinct.every((d) => !taken.has(d))) {
        batch.push(other);
        other.distinct.forEach((d) => taken.add(d));
        this.waiting.splice(i, 1);
        acsWriteQueue.dec();
      } else {
        i += 1;
      }
    }
    try {
      let results: unknown[] | null = null;
      if (batch.length > 1) {
        try {
          results = await Promise.resolve().then(() => many(batch.map((b) => b.item)));
        } catch (err) {
          // Refused by the database: nothing was written, so each is written on its own. Anything else (a lost
          // connection) may have come after the commit: each is told, none is written twice.
          if (!refusedByDatabase(err)) {
            for (const b of batch) b.fail(err);
            return;
          }
        }
      }
      if (results) batch.forEach((b, i) => b.settle(results[i]));
      else {
        for (const b of batch) {
          try {
            b.settle(await one(b.item));
          } catch (err) {
            b.fail(err);
          }
        }
      }
    } finally {
      this.release();
    }
  }

  /** The slot passes straight to the next in line, or is freed. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next.wake();
    else this.running -= 1;
  }

  /** Writes waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Writes holding a slot. */
  get active(): number {
    return this.running;
  }
}

const perDatabase = new WeakMap<DataSource, WriteSlots>();

/** The process's write slots for `db` (one set per database, sized the first time). */
export function writeSlots(db: DataSource, size: number): WriteSlots {
  let slots = perDatabase.get(db);
  if (!slots) perDatabase.set(db, (slots = new WriteSlots(size)));
  return slots;
}
