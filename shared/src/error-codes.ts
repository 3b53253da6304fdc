/** The `extensions.code` every GraphQL error carries; clients branch on these, never on messages. */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'RATE_LIMITED',
  'INTERNAL_SERVER_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** One rejected field: which field, which rule, and a sentence for a person. */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}
