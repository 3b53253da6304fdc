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
});
