/**
 * Why an OAuth or OpenID Connect sign-in was refused, each reason filed under the error code the WorkOS contract
 * (§2.1) sends back to the application.
 */
export const OIDC_REASONS = {
  consent_denied: 'signin_consent_denied',
  provider_error: 'oauth_failed',
  state_mismatch: 'oauth_failed',
  state_not_bound_to_browser: 'oauth_failed',
  missing_code: 'oauth_failed',
  token_exchange_failed: 'oauth_failed',
  provider_unreachable: 'oauth_failed',
  invalid_id_token: 'oauth_failed',
  invalid_id_token_issuer: 'oauth_failed',
  invalid_id_token_audience: 'oauth_failed',
  invalid_id_token_azp: 'oauth_failed',
  invalid_id_token_nonce: 'oauth_failed',
  id_token_expired: 'oauth_failed',
  id_token_not_yet_valid: 'oauth_failed',
  invalid_id_token_signature: 'oauth_failed',
  unsupported_id_token_alg: 'oauth_failed',
  missing_claims: 'oauth_failed',
  email_not_verified: 'oauth_failed',
  domain_not_allowed: 'profile_not_allowed_outside_organization',
  replayed_id_token: 'oauth_failed',
  connection_inactive: 'connection_invalid',
} as const;

export type OidcErrorReason = keyof typeof OIDC_REASONS;

export interface OidcErrorInit {
  reason: OidcErrorReason;
  message: string;
  expected?: unknown;
  received?: unknown;
  /** Anything else Session Details needs: the provider's error and description, the claims received. */
  details?: Record<string, unknown>;
}

/** A refused OAuth/OIDC sign-in: a typed reason, what was expected and what was received. */
export class OidcError extends Error {
  readonly reason: OidcErrorReason;
  readonly expected?: unknown;
  readonly received?: unknown;
  readonly details?: Record<string, unknown>;

  constructor(init: OidcErrorInit) {
    super(init.message);
    this.name = 'OidcError';
    this.reason = init.reason;
    this.expected = init.expected;
    this.received = init.received;
    this.details = init.details;
  }

  /** The `error` the application receives on its redirect URI. */
  get code(): (typeof OIDC_REASONS)[OidcErrorReason] {
    return OIDC_REASONS[this.reason];
  }
}
