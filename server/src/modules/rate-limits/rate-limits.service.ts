import type { DataSource } from 'typeorm';
import { RateLimitedError } from '../../errors';

export interface RateRule {
  limit: number;
  windowSeconds: number;
}

/** Sign-in attempts per email and per client IP, in fixed windows, counted in Postgres so every process shares them. */
export const SIGN_IN_LIMITS = {
  perEmail: { limit: 10, windowSeconds: 15 * 60 },
  perIp: { limit: 50, windowSeconds: 15 * 60 },
} satisfies Record<string, RateRule>;

/** Counts one hit against `key`; throws RATE_LIMITED once the window's limit is passed. */
export async function consumeRateLimit(db: DataSource, key: string, rule: RateRule, now = new Date()): Promise<void> {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const [row] = await db.query(
    `INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1)
     ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1
     RETURNING hits`,
    [key, windowStart],
  );
  if (Number(row.hits) > rule.limit) {
    throw new RateLimitedError((windowStart.getTime() + windowMs - now.getTime()) / 1000);
  }
}

export async function resetRateLimit(db: DataSource, key: string): Promise<void> {
  await db.query('DELETE FROM rate_limits WHERE key = $1', [key]);
}

export async function purgeExpiredRateLimits(db: DataSource, now = new Date()): Promise<void> {
  await db.query(`DELETE FROM rate_limits WHERE window_start < $1`, [new Date(now.getTime() - 24 * 3600 * 1000)]);
}
