import { newId } from '../../src/lib/ids';

describe('newId', () => {
  it('makes prefixed ULIDs that are unique and sort by creation', () => {
    const ids = Array.from({ length: 20_000 }, () => newId('directoryUser'));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^directory_user_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect([...ids].sort()).toEqual(ids);
  });

  it('draws the random part from the whole alphabet, about evenly (the buffered PRNG)', () => {
    // The first ID of each millisecond has fresh randomness (later ones in it increment it).
    const firsts = new Map<string, string>();
    while (firsts.size < 300) {
      const ulid = newId('event').slice('event_'.length);
      if (!firsts.has(ulid.slice(0, 10))) firsts.set(ulid.slice(0, 10), ulid.slice(10));
    }
    const counts = new Map<string, number>();
    for (const random of firsts.values()) for (const c of random) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(32);
    for (const n of counts.values()) expect(n).toBeGreaterThan(75); // 150 expected
  });
});
