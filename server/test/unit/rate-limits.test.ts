import { createDataSource } from '../../src/db/data-source';
import { consumeRateLimit } from '../../src/modules/rate-limits/rate-limits.service';
import { newId } from '../../src/lib/ids';

describe('sign-in rate limits', () => {
  const db = createDataSource({ url: process.env.PORTICO_TEST_DATABASE_URL! }, 1);
  beforeAll(() => db.initialize());
  afterAll(() => db.destroy());

  const rule = { limit: 5, windowSeconds: 60 };
  const boundary = new Date('2026-11-27T00:30:00.000Z');
  const at = (ms: number) => new Date(boundary.getTime() + ms);
  const attempt = (key: string, when: Date) => consumeRateLimit(db, key, rule, when).then(() => 'ok', (e: Error & { code?: string }) => e.code);

  it('counts a burst split across a window boundary whole', async () => {
    const key = `test:${newId('user')}`;
    for (let i = 0; i < 5; i += 1) expect(await attempt(key, at(-1000 + i))).toBe('ok');
    expect(await attempt(key, at(10))).toBe('RATE_LIMITED');
  });

  it('lets the previous window fade out as the new one goes on', async () => {
    const key = `test:${newId('user')}`;
    for (let i = 0; i < 5; i += 1) await attempt(key, at(-1000 + i));
    // 50 s into the next window, the previous one weighs 1/6: 5 × 1/6 + 1 hit is under the limit
    expect(await attempt(key, at(50_000))).toBe('ok');
    expect(await attempt(key, at(50_001))).toBe('ok');
  });
});
