import type { DataSource } from 'typeorm';
import { RateLimitedError } from '../../errors';

export interface RateRule {
  limit: number;
  windowSeconds: number;
}

/** Sign-in attempts per email and per client IP, counted in Postgres so every process shares them. */
export const SIGN_IN_LIMITS = {
  perEmail: { limit: 10, windowSeconds: 15 * 60 },
  perIp: { limit: 50, windowSeconds: 15 * 60 },
} satisfies Record<string, RateRule>;

/**
 * Sign-ups per client IP: each one sends an email and, once confirmed, creates a user and a workspace, so a script
 * must not mint accounts in bulk (a burst of 15 in under a second went through before). Generous for an office
 * behind one NAT address. Per email: the same address can't be mail-bombed with confirmation or "someone tried"
 * emails; counted for every address alike, so the limit says nothing about whether the address has an account.
 */
export const SIGN_UP_LIMITS = {
  perIp: { limit: 10, windowSeconds: 15 * 60 },
  perEmail: { limit: 5, windowSeconds: 60 * 60 },
  /** Confirmation attempts (link + password) per client IP: each link also voids itself after 5 wrong passwords. */
  confirmPerIp: { limit: 20, windowSeconds: 15 * 60 },
} satisfies Record<string, RateRule>;

/**
 * Counts one hit against `key`; throws RATE_LIMITED once the limit is passed. A sliding window: the previous fixed
 * window's hits count in proportion to how much of it still overlaps the last `windowSeconds`, so a burst split
 * across a window boundary is counted whole (plain fixed windows would allow twice the limit there).
 */
export async function consumeRateLimit(db: DataSource, key: string, rule: RateRule, now = new Date()): Promise<void> {
  const retryAfterSeconds = await countRateLimitHit(db, key, rule, now);
  if (retryAfterSeconds !== null) throw new RateLimitedError(retryAfterSeconds);
}

/** Counts one hit against `key` as consumeRateLimit does; null while within the limit, else the seconds until the window ends. */
export async function countRateLimitHit(db: DataSource, key: string, rule: RateRule, now = new Date()): Promise<number | null> {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const previousStart = new Date(windowStart.getTime() - windowMs);
  const [row] = (await db.query(
    `WITH hit AS (
       INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1)
       ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1
       RETURNING hits)
     SELECT (SELECT hits FROM hit) AS current, COALESCE((SELECT hits FROM rate_limits WHERE key = $1 AND window_start = $3), 0) AS previous`,
    [key, windowStart, previousStart],
  )) as { current: number; previous: number }[];
  const overlap = 1 - (now.getTime() - windowStart.getTime()) / windowMs;
  const estimated = Number(row!.previous) * overlap + Number(row!.current);
  return estimated > rule.limit ? (windowStart.getTime() + windowMs - now.getTime()) / 1000 : null;
}

export async function resetRateLimit(db: DataSource, key: string): Promise<void> {
  await db.query('DELETE FROM rate_limits WHERE key = $1', [key]);
}

export async function purgeExpiredRateLimits(db: DataSource, now = new Date()): Promise<void> {
  await db.query(`DELETE FROM rate_limits WHERE window_start < $1`, [new Date(now.getTime() - 24 * 3600 * 1000)]);
}
