import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError } from 'type-graphql';
import { ERROR_CODES, type FieldError } from '@portico/shared';
import { AppError } from '../errors';
import { logger } from '../lib/logger';

// Codes Apollo and graphql-js produce for a bad request; they describe the client's mistake and pass through.
const CLIENT_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

const PORTICO_CODES = new Set<string>(ERROR_CODES.filter((c) => c !== 'INTERNAL_SERVER_ERROR'));

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
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && CLIENT_ERROR_CODES.has(code)) {
    return { ...base, extensions: { code, reason: formatted.extensions?.reason } };
  }
  // Raised as GraphQLErrors before resolvers run (e.g. a bad API key while building the context).
  if (typeof code === 'string' && PORTICO_CODES.has(code)) {
    return { ...base, message: formatted.message.replace(/^Context creation failed: /, ''), extensions: { code } };
  }
  logger.error('unexpected GraphQL error', { path: formatted.path, error: original instanceof Error ? original.stack : String(original) });
  return { ...base, message: 'Something went wrong on our side. It has been logged.', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
