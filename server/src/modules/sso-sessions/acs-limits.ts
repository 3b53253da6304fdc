import type { DataSource } from 'typeorm';
import { RateLimitedError } from '../../errors';
import { consumeRateLimit, type RateRule } from '../rate-limits/rate-limits.service';
import type { SsoSessionEntity } from './sso-session.entity';

/**
 * What an unauthenticated ACS post may write. Anyone who knows a connection's ACS URL can post to it, and each
 * refused post used to become a full session row carrying its whole raw response (720 KB from one 970 KB post),
 * with no limit on how many. Successful sign-ins are never limited: only an IdP's signature gets one.
 */

/**
 * Characters of a failed attempt's raw response kept for Session Details. Real responses are 5–40 KB (an Okta
 * response with 1,000 groups is about 60 KB), so only padding is cut; the original size is kept beside it.
 */
export const MAX_STORED_FAILED_RESPONSE_CHARS = 64 * 1024;

/**
 * Failed attempts recorded in full, counted in Postgres (sliding windows) so every replica shares them. Beyond
 * them a post is still refused, and only counted. An IP stays far below its limit when a user retries or an IT
 * admin tests a setup; a connection that fails every user (an expired certificate) records 100 an hour, enough to
 * diagnose it, and at most 2,400 rows (150 MB of raw responses) a day.
 */
export const FAILED_ACS_LIMITS = {
  perIp: { limit: 20, windowSeconds: 10 * 60 },
  perConnection: { limit: 100, windowSeconds: 60 * 60 },
} satisfies Record<string, RateRule>;

/**
 * Failed OAuth/OIDC callbacks recorded in full, per IP (and per connection for an OIDC connection). Each one needs a
 * state from /sso/authorize, which anyone can get by the thousand, and each failure stores the provider's error
 * description and the claims received: past the limit the attempt is still refused, and its row is not kept.
 */
export const FAILED_OAUTH_LIMITS = {
  perIp: { limit: 20, windowSeconds: 10 * 60 },
  perConnection: { limit: 100, windowSeconds: 60 * 60 },
} satisfies Record<string, RateRule>;

/** Whether this failed OAuth/OIDC callback may be recorded in full; the IP first, as for ACS posts. */
export async function mayRecordFailedOAuthCallback(db: DataSource, ip: string, connectionId: string | null, now = new Date()): Promise<boolean> {
  try {
    await consumeRateLimit(db, `oauth-failed:ip:${ip}`, FAILED_OAUTH_LIMITS.perIp, now);
    if (connectionId) await consumeRateLimit(db, `oauth-failed:connection:${connectionId}`, FAILED_OAUTH_LIMITS.perConnection, now);
    return true;
  } catch (err) {
    if (err instanceof RateLimitedError) return false;
    throw err;
  }
}

/** Unrecorded attempts are counted per connection and hour; the dashboard sums the last 24 hours. */
const UNRECORDED_WINDOW_MS = 3600_000;
export const UNRECORDED_SHOWN_MS = 24 * 3600_000;
const UNRECORDED_KEPT_MS = 7 * 24 * 3600_000;

/**
 * Whether this failed attempt may be recorded in full. The IP is checked first: an IP past its own limit does
 * not use up the connection's budget, so one flooding IP can't silence the attempts of others.
 */
export async function mayRecordFailedAttempt(db: DataSource, connectionId: string, ip: string, now = new Date()): Promise<boolean> {
  try {
    await consumeRateLimit(db, `acs-failed:ip:${ip}`, FAILED_ACS_LIMITS.perIp, now);
    await consumeRateLimit(db, `acs-failed:connection:${connectionId}`, FAILED_ACS_LIMITS.perConnection, now);
    return true;
  } catch (err) {
    if (err instanceof RateLimitedError) return false;
    throw err;
  }
}

export async function countUnrecordedAttempt(db: DataSource, connectionId: string, now = new Date()): Promise<void> {
  const windowStart = new Date(Math.floor(now.getTime() / UNRECORDED_WINDOW_MS) * UNRECORDED_WINDOW_MS);
  await db.query(
    `INSERT INTO sso_unrecorded_attempts (connection_id, window_start, attempts) VALUES ($1, $2, 1)
     ON CONFLICT (connection_id, window_start) DO UPDATE SET attempts = sso_unrecorded_attempts.attempts + 1`,
    [connectionId, windowStart],
  );
}

/** Failed attempts at a connection refused but not recorded in the last 24 hours (by the hour). */
export async function unrecordedAttempts(db: DataSource, connectionId: string, now = new Date()): Promise<number> {
  const [row] = (await db.query(
    'SELECT COALESCE(sum(attempts), 0)::int AS attempts FROM sso_unrecorded_attempts WHERE connection_id = $1 AND window_start > $2',
    [connectionId, new Date(now.getTime() - UNRECORDED_SHOWN_MS)],
  )) as { attempts: number }[];
  return row?.attempts ?? 0;
}

export async function purgeUnrecordedAttempts(db: DataSource, now = new Date()): Promise<void> {
  await db.query('DELETE FROM sso_unrecorded_attempts WHERE window_start < $1', [new Date(now.getTime() - UNRECORDED_KEPT_MS)]);
}

/** `text` cut to MAX_STORED_FAILED_RESPONSE_CHARS, never inside a surrogate pair (half of one is not text); null when it fits. */
function cut(text: string | null): string | null {
  if (text === null || text.length <= MAX_STORED_FAILED_RESPONSE_CHARS) return null;
  let end = MAX_STORED_FAILED_RESPONSE_CHARS;
  if (/[\uDC00-\uDFFF]/.test(text[end] ?? '')) end -= 1;
  return text.slice(0, end);
}

/**
 * Cuts a failed attempt's raw response to the bound, marking it; its original size was set when it arrived. The
 * decrypted assertion of an encrypted attempt is held to the same bound (it is never larger than the ciphertext).
 */
export function truncateStoredResponse(session: SsoSessionEntity): void {
  const response = cut(session.samlResponse);
  if (response !== null) {
    session.samlResponse = response;
    session.samlResponseTruncated = true;
  }
  const decrypted = cut(session.decryptedAssertion ?? null);
  if (decrypted !== null) session.decryptedAssertion = decrypted;
}

/**
 * Characters kept of any one string in a failed attempt's error details (a PEM certificate fits). Refusals made
 * before the signature is checked quote what the message says (its Issuer, Destination, StatusMessage …), so
 * without a bound a post could store a 700 KB Issuer there instead of in the raw response.
 */
export const MAX_STORED_DETAIL_CHARS = 4096;
/** Error details are built by Portico (want/got, attributes, certificates): a few levels deep at most. */
const MAX_DETAIL_DEPTH = 8;

/** The error details with every string cut to MAX_STORED_DETAIL_CHARS (marked with an ellipsis). */
export function boundErrorDetails<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return (value.length > MAX_STORED_DETAIL_CHARS ? `${value.slice(0, MAX_STORED_DETAIL_CHARS)}…` : value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DETAIL_DEPTH) return '(omitted)' as T;
  if (Array.isArray(value)) return value.map((item) => boundErrorDetails(item, depth + 1)) as T;
  // Dates and other class instances serialize themselves; only plain objects are walked.
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, boundErrorDetails(item, depth + 1)])) as T;
}
