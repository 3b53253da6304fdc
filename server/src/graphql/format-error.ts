import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError } from 'type-graphql';
import { ERROR_CODES, type FieldError } from '@portico/shared';
import { AppError } from '../errors';
import { logger } from '../lib/logger';
import { uniqueViolation } from '../db/unique-violation';

// Codes Apollo and graphql-js produce for a bad request, and Portico's own (but for the internal one).
const PASS_THROUGH_CODES = new Set<string>([
  ...ERROR_CODES.filter((c) => c !== 'INTERNAL_SERVER_ERROR'),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

function validationDetails(error: ArgumentValidationError): FieldError[] {
  return error.extensions.validationErrors.flatMap((v) =>
    Object.entries(v.constraints ?? {}).map(([code, message]) => ({ field: v.property, code, message })),
  );
}

/** Every error leaves with `extensions.code`; anything unexpected is logged and reaches the client without its stack. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
  if (original instanceof AppError) {
    return { ...base, message: original.message, extensions: { code: original.code, details: original.details, reason: original.reason } };
  }
  if (original instanceof ArgumentValidationError) {
    const details = validationDetails(original);
    return { ...base, message: details.map((d) => `${d.field}: ${d.message}`).join('; '), extensions: { code: 'BAD_USER_INPUT', details } };
  }
  // The client's mistakes, and our codes raised as GraphQLErrors before resolvers run (a bad API key while
  // building the context), pass through; Apollo prefixes the latter's message.
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && PASS_THROUGH_CODES.has(code)) {
    return { ...base, message: formatted.message.replace(/^Context creation failed: /, ''), extensions: { code, reason: formatted.extensions?.reason } };
  }
  // A unique index that a concurrent request won: the caller's retry gets the ordinary conflict, so this is one too.
  if (uniqueViolation(original)) {
    return { ...base, message: 'This conflicts with a record another request has just created. Reload and try again.', extensions: { code: 'CONFLICT' } };
  }
  logger.error('unexpected GraphQL error', { path: formatted.path, error: original instanceof Error ? original.stack : String(original) });
  return { ...base, message: 'Something went wrong on our side. It has been logged.', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
