import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import { ID_PREFIXES, type IdKind } from '@portico/shared';

/**
 * ulid's default PRNG asks the OS for one byte per character (16 calls per ID); this one takes bytes from a
 * 4 KB buffer of the same cryptographic randomness, refilled when used up. Same PRNG contract: a number in [0, 1).
 */
const pool = Buffer.alloc(4096);
let used = pool.length;
function prng(): number {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  return pool[used++]! / 256;
}

const nextUlid = monotonicFactory(prng);

/** A new public ID, `<prefix>_<ULID>`; ULIDs sort by creation time, which keyset pagination relies on. */
export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${nextUlid()}`;
}
