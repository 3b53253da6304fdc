import { CombinedGraphQLErrors } from '@apollo/client';

export interface ErrorInfo {
  code: string | undefined;
  reason: string | undefined;
  message: string;
  fields: Record<string, string>;
}

/** What went wrong, read from `extensions.code`/`details` (never from the message text). */
export function readError(error: unknown): ErrorInfo | null {
  if (!error) return null;
  if (CombinedGraphQLErrors.is(error)) {
    const first = error.errors[0];
    const fields: Record<string, string> = {};
    for (const e of error.errors) {
      const details = (e.extensions?.details ?? []) as { field: string; message: string }[];
      for (const d of details) fields[d.field] = fields[d.field] ? `${fields[d.field]} ${d.message}` : d.message;
    }
    return {
      code: first?.extensions?.code as string | undefined,
      reason: first?.extensions?.reason as string | undefined,
      message: first?.message ?? 'Something went wrong',
      fields,
    };
  }
  return { code: 'NETWORK', reason: undefined, message: 'Portico could not be reached. Check your connection and try again.', fields: {} };
}
