/**
 * `conditions` (SQL) as one condition no index can serve, for a row looked up by its primary key: the row is then
 * found through that key whatever the statistics say, and the conditions are checked on it.
 *
 * Why: tenancy and liveness checks written as plain conditions (`directory_id = $2 AND deleted_at IS NULL`) let the
 * planner reach the row through another index that starts with directory_id. Without statistics (a fresh database,
 * the first sync of a directory before ANALYZE has run, autovacuum off) it guesses that index returns one row and may
 * take it: a SCIM group member PATCH read all 10,000 users of its directory through directory_users_user_name_idx to
 * find the two it named (EXPLAIN ANALYZE: "Rows Removed by Filter: 9999", 3,000 buffers, 8 ms of database CPU).
 *
 * `(…) IS TRUE` holds exactly when the conditions do (NULL fails both) and is not an indexable clause.
 */
export function unindexable(conditions: string): string {
  return `(${conditions}) IS TRUE`;
}
