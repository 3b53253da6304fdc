import type { DataSource } from 'typeorm';
import { newId } from '../../lib/ids';
import { countRateLimitHit, type RateRule } from '../rate-limits/rate-limits.service';
import { redactPasswords, redactPasswordsInText } from './scim-redaction';

/**
 * The SCIM log each directory's page shows. Failed authentications are logged too (a provider with a stale token is
 * what an IT admin most needs to see), but anyone can send them, with any path: so what is kept from them is capped,
 * and past UNAUTHENTICATED_LOG_RULE a minute further ones only bump a counter on the latest such row.
 */
export const UNAUTHENTICATED_LOG_RULE: RateRule = { limit: 20, windowSeconds: 60 };
export const MAX_UNAUTHENTICATED_PATH = 100;
const MAX_LOGGED_BODY = 64 * 1024;
const MAX_LOGGED_PATH = 500;

export interface ScimLogEntry {
  directoryId: string;
  method: string;
  path: string;
  /** The query string with its `?`, or ''. */
  query: string;
  status: number;
  durationMs: number;
  requestBody: unknown;
  /** The response as sent (JSON text), or null. */
  responseBody: string | null;
}

const trimmed = (body: unknown) => {
  const text = JSON.stringify(body ?? null);
  return text.length > MAX_LOGGED_BODY ? { truncated: text.slice(0, MAX_LOGGED_BODY) } : body ?? null;
};

/** The columns of scim_requests, in order, for an INSERT of `scimLogValues`. */
export const SCIM_LOG_COLUMNS = 'id, directory_id, method, path, status, duration_ms, request_body, response_body';

/** One log row's values (id first): bodies only when it failed, with passwords redacted before they are stored. */
export function scimLogValues(entry: ScimLogEntry): unknown[] {
  const failed = entry.status >= 400;
  return [
    newId('scimRequest'), entry.directoryId, entry.method, entry.path.slice(0, MAX_LOGGED_PATH) + entry.query.slice(0, MAX_LOGGED_PATH), entry.status, entry.durationMs,
    failed ? JSON.stringify(trimmed(redactPasswords(entry.requestBody))) : null,
    failed && entry.responseBody !== null ? redactPasswordsInText(entry.responseBody).slice(0, MAX_LOGGED_BODY) : null,
  ];
}

/** Logs an authenticated request (after its response, in its own statement). */
export async function logScimRequest(db: DataSource, entry: ScimLogEntry): Promise<void> {
  await db.query(`INSERT INTO scim_requests (${SCIM_LOG_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, scimLogValues(entry));
}

/**
 * Logs a failed authentication against an existing directory: method and a short path, no query string, no bodies.
 * Within the per-directory rate it is a row; past it, the latest 401 row counts it in suppressed_count instead.
 */
export async function logScimAuthenticationFailure(db: DataSource, entry: { directoryId: string; method: string; path: string; durationMs: number }, now = new Date()): Promise<void> {
  // Unknown directory IDs are not logged nor counted: a rate-limit row per made-up ID would be a disk flood of its own.
  const [exists] = (await db.query('SELECT 1 FROM directories WHERE id = $1', [entry.directoryId])) as unknown[];
  if (!exists) return;
  const over = await countRateLimitHit(db, `scim-401:${entry.directoryId}`, UNAUTHENTICATED_LOG_RULE, now);
  if (over === null) {
    const path = entry.path.length > MAX_UNAUTHENTICATED_PATH ? `${entry.path.slice(0, MAX_UNAUTHENTICATED_PATH - 1)}…` : entry.path;
    await db.query('INSERT INTO scim_requests (id, directory_id, method, path, status, duration_ms) VALUES ($1, $2, $3, $4, 401, $5)', [
      newId('scimRequest'), entry.directoryId, entry.method.slice(0, 16), path, entry.durationMs,
    ]);
    return;
  }
  await db.query(
    `UPDATE scim_requests SET suppressed_count = suppressed_count + 1
      WHERE id = (SELECT id FROM scim_requests WHERE directory_id = $1 AND status = 401 ORDER BY id DESC LIMIT 1)`,
    [entry.directoryId],
  );
}
