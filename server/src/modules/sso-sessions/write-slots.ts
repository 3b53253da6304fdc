import type { DataSource } from 'typeorm';
import { acsWriteQueue } from '../../lib/metrics';

/**
 * How many sign-ins are written to the database at once (ACS_WRITE_SLOTS, by default one per core); the others wait
 * their turn here, in arrival order, already validated. During a sign-in storm every statement PostgreSQL runs at
 * once is one more backend on the cores: with the writes in flight bounded, a dashboard query finds the database
 * nearly as free as between storms (bench:acs: GraphQL p99 58 ms → 44 ms at the same sign-ins/s), while the
 * validation threads keep the next responses ready.
 */
export class WriteSlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {}

  async run<T>(write: () => Promise<T>): Promise<T> {
    if (this.running < this.size) this.running += 1;
    else {
      acsWriteQueue.inc();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      acsWriteQueue.dec();
    }
    try {
      return await write();
    } finally {
      // The slot passes straight to the next in line, or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
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
