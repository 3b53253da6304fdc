import { OidcError } from './oidc-error';

/**
 * The one place that reads openid-client's (oauth4webapi's) errors and turns them into OidcError reasons; nobody
 * else branches on their codes or messages.
 */
export function translateOpenidClientError(err: unknown): OidcError {
  if (err instanceof OidcError) return err;
  const e = err as { name?: string; code?: string; message?: string; error?: string; error_description?: string; cause?: unknown };
  if (e.name === 'AuthorizationResponseError') {
    if (e.error === 'access_denied') {
      return new OidcError({ reason: 'consent_denied', message: 'The user declined to sign in at the provider (access_denied)', details: { providerError: e.error, providerErrorDescription: e.error_description ?? null } });
    }
    return new OidcError({ reason: 'provider_error', message: `The provider answered with an error: ${e.error}${e.error_description ? ` (${e.error_description})` : ''}`, details: { providerError: e.error, providerErrorDescription: e.error_description ?? null } });
  }
  if (e.name === 'ResponseBodyError') {
    return new OidcError({ reason: 'token_exchange_failed', message: `The provider refused the code exchange: ${e.error}${e.error_description ? ` (${e.error_description})` : ''}`, details: { providerError: e.error ?? null, providerErrorDescription: e.error_description ?? null } });
  }
  // openid-client wraps oauth4webapi's OperationProcessingError in a ClientError (same code): the details are one level down.
  const inner = e.cause instanceof Error ? (e.cause as Error & { cause?: unknown }) : null;
  const detail = (inner ? inner.cause ?? {} : e.cause ?? {}) as { claim?: string; expected?: unknown; body?: Record<string, unknown>; claims?: Record<string, unknown>; now?: number; tolerance?: number; header?: { alg?: string } };
  const cause = { ...detail, body: detail.body ?? detail.claims };
  const message = `${e.message ?? ''} ${inner?.message ?? ''}`;
  if (e.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED') {
    const reasons = { iss: 'invalid_id_token_issuer', aud: 'invalid_id_token_audience', azp: 'invalid_id_token_azp', nonce: 'invalid_id_token_nonce' } as const;
    const reason = reasons[cause.claim as keyof typeof reasons] ?? 'invalid_id_token';
    return new OidcError({ reason, message: `The ID token’s ${cause.claim ?? 'claim'} is not the expected value`, expected: cause.expected ?? null, received: cause.body?.[cause.claim ?? ''] ?? null });
  }
  if (e.code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') {
    const expired = cause.claim === 'exp';
    const value = cause.body?.[cause.claim ?? ''];
    return new OidcError({
      reason: expired ? 'id_token_expired' : 'id_token_not_yet_valid', message: expired ? 'The ID token expired' : `The ID token’s ${cause.claim} is in the future (check the clocks)`,
      expected: cause.now ? `${expired ? 'after' : 'before'} ${new Date(cause.now * 1000).toISOString()} (±${cause.tolerance ?? 0} s)` : null, received: typeof value === 'number' ? new Date(value * 1000).toISOString() : null,
    });
  }
  if (e.code === 'OAUTH_INVALID_RESPONSE' && /"alg"/.test(message)) {
    const header = cause.header;
    return new OidcError({ reason: 'unsupported_id_token_alg', message: `The ID token is signed with ${header?.alg ?? 'no algorithm'}, which Portico does not accept`, expected: cause.expected ?? null, received: header?.alg ?? null });
  }
  if (e.code === 'OAUTH_INVALID_RESPONSE' && /state/i.test(message)) {
    return new OidcError({ reason: 'state_mismatch', message: 'The provider’s answer does not carry this sign-in’s state', received: null });
  }
  if (e.name === 'TypeError' || e.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || e.code === 'OAUTH_HTTP_REQUEST_FORBIDDEN') {
    return new OidcError({ reason: 'provider_unreachable', message: `The provider could not be reached or answered something unexpected: ${e.message ?? 'unknown error'}` });
  }
  return new OidcError({ reason: 'token_exchange_failed', message: `The code exchange with the provider failed: ${e.message ?? 'unknown error'}` });
}
