import { WriteSlots } from '../../src/modules/sso-sessions/write-slots';

describe('WriteSlots (sign-ins written at once)', () => {
  const tick = () => new Promise((r) => setImmediate(r));

  it('runs at most `size` writes at once and the rest in arrival order, passing a slot on when a write fails', async () => {
    const slots = new WriteSlots(2);
    const started: number[] = [];
    const finish = new Map<number, (ok: boolean) => void>();
    const write = (i: number) => slots.run(() => new Promise<number>((resolve, reject) => {
      started.push(i);
      finish.set(i, (ok) => (ok ? resolve(i) : reject(new Error(`write ${i} failed`))));
    }));
    const results = [0, 1, 2, 3, 4].map((i) => write(i).then((v) => `ok ${v}`, (e: Error) => e.message));
    await tick();
    expect(started).toEqual([0, 1]);
    expect([slots.active, slots.queued]).toEqual([2, 3]);

    finish.get(1)!(false); // a failed write frees its slot too
    await tick();
    expect(started).toEqual([0, 1, 2]);
    finish.get(0)!(true);
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    for (const i of [2, 3]) finish.get(i)!(true);
    await tick();
    finish.get(4)!(true);
    expect(await Promise.all(results)).toEqual(['ok 0', 'write 1 failed', 'ok 2', 'ok 3', 'ok 4']);
    expect([slots.active, slots.queued]).toEqual([0, 0]);
  });

  /** One slot, held by a write until `free()` (which waits for that write to end). */
  function busySlot() {
    const slots = new WriteSlots(1);
    let release!: () => void;
    const holder = slots.run(() => new Promise<void>((r) => { release = r; }));
    return { slots, free: async () => { release(); await holder; } };
  }

  it('writes the batchable writes waiting behind a busy slot together: one key, each distinct once, the rest after', async () => {
    const { slots, free } = busySlot();
    const calls: string[] = [];
    const one = async (item: string) => { calls.push(`one ${item}`); return `${item}!`; };
    const many = async (items: string[]) => { calls.push(`many ${items.join(',')}`); return items.map((i) => `${i}*`); };
    const writes = [['k', 'a'], ['k', 'b'], ['j', 'x'], ['k', 'a'], ['k', 'c']].map(([key, item]) => slots.runBatched(key!, [item!], `${key}${item}`, one, many));
    await tick();
    expect(slots.queued).toBe(5);
    await free();
    expect(await Promise.all(writes)).toEqual(['ka*', 'kb*', 'jx!', 'ka!', 'kc*']);
    expect(calls).toEqual(['many ka,kb,kc', 'one jx', 'one ka']);
    expect([slots.active, slots.queued]).toEqual([0, 0]);
  });

  it('takes at most `maxBatch` writes together (ACS_WRITE_BATCH; 1: each alone)', async () => {
    for (const [maxBatch, expected] of [[2, ['many a,b', 'one c']], [1, ['one a', 'one b', 'one c']]] as const) {
      const { slots, free } = busySlot();
      const calls: string[] = [];
      const one = async (item: string) => { calls.push(`one ${item}`); return item; };
      const many = async (items: string[]) => { calls.push(`many ${items.join(',')}`); return items; };
      const writes = ['a', 'b', 'c'].map((item) => slots.runBatched('k', [item], item, one, many, maxBatch));
      await tick();
      await free();
      expect(await Promise.all(writes)).toEqual(['a', 'b', 'c']);
      expect(calls).toEqual(expected);
    }
  });

  it('writes each on its own, in the same slot, when the database refuses them together', async () => {
    const { slots, free } = busySlot();
    const one = async (item: string) => { if (item === 'bad') throw new Error('bad row'); return `${item}!`; };
    const many = async (): Promise<string[]> => { throw Object.assign(new Error('the batch failed'), { severity: 'ERROR' }); };
    const writes = ['a', 'bad', 'c'].map((item) => slots.runBatched('k', [item], item, one, many).catch((e: Error) => e.message));
    await tick();
    await free();
    expect(await Promise.all(writes)).toEqual(['a!', 'bad row', 'c!']);
    expect([slots.active, slots.queued]).toEqual([0, 0]);
  });

  it('writes none again when writing them together failed for another reason (it may have been written)', async () => {
    const { slots, free } = busySlot();
    const ones: string[] = [];
    const one = async (item: string) => { ones.push(item); return item; };
    const many = async (): Promise<string[]> => { throw new Error('Connection terminated'); };
    const writes = ['a', 'b'].map((item) => slots.runBatched('k', [item], item, one, many).catch((e: Error) => e.message));
    await tick();
    await free();
    expect(await Promise.all(writes)).toEqual(['Connection terminated', 'Connection terminated']);
    expect(ones).toEqual([]);
    expect([slots.active, slots.queued]).toEqual([0, 0]);
  });
});
