/**
 * Joins sentences into one message, each ending with exactly one full stop: a part that already ends with `.`, `!`,
 * `?` or `…` keeps its own, one without gets a `.`. Empty parts are left out. The one place messages built from
 * other messages (a SamlError's, a label, a pointer to the session) are put together, so no seam doubles a period.
 */
export function sentences(...parts: (string | null | undefined | false)[]): string {
  return parts
    .map((part) => (typeof part === 'string' ? part.trim() : ''))
    .filter(Boolean)
    .map((part) => (/[.!?…]$/.test(part) ? part : `${part}.`))
    .join(' ');
}
