/**
 * The index a PostgreSQL unique violation (23505) names, or null for any other error. A check-then-insert can race
 * another request between the check and the insert; the index is what decides, so callers turn this into a conflict.
 */
export function uniqueViolation(err: unknown): string | null {
  const e = err as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return code === '23505' ? (e?.driverError?.constraint ?? e?.constraint ?? 'unique') : null;
}
