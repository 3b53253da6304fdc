import { monotonicFactory } from 'ulid';
import { ID_PREFIXES, type IdKind } from '@portico/shared';

const nextUlid = monotonicFactory();

/** A new public ID, `<prefix>_<ULID>`; ULIDs sort by creation time, which keyset pagination relies on. */
export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${nextUlid()}`;
}
