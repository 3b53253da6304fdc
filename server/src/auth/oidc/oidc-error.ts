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

/**
 * The dashboard's kinds of a failed OAuth/OIDC sign-in (beside SAML's five; DESIGN "OAuth and OIDC sign-in"). Session
 * Details groups failures by kind and explains the precise reason; the labels and causes live with the GraphQL enum.
 */
export type OidcDashboardError =
  | 'OAUTH_PROVIDER_ERROR'
  | 'INVALID_ID_TOKEN'
  | 'INVALID_CLAIMS'
  | 'INVALID_STATE'
  | 'PROFILE_NOT_ALLOWED_OUTSIDE_ORGANIZATION';

/** Each reason's dashboard kind: what the provider said, what the ID token failed, what the user lacked, or the state. */
export const OIDC_DASHBOARD_ERRORS = {
  consent_denied: 'OAUTH_PROVIDER_ERROR',
  provider_error: 'OAUTH_PROVIDER_ERROR',
  missing_code: 'OAUTH_PROVIDER_ERROR',
  token_exchange_failed: 'OAUTH_PROVIDER_ERROR',
  provider_unreachable: 'OAUTH_PROVIDER_ERROR',
  state_mismatch: 'INVALID_STATE',
  state_not_bound_to_browser: 'INVALID_STATE',
  invalid_id_token: 'INVALID_ID_TOKEN',
  invalid_id_token_issuer: 'INVALID_ID_TOKEN',
  invalid_id_token_audience: 'INVALID_ID_TOKEN',
  invalid_id_token_azp: 'INVALID_ID_TOKEN',
  invalid_id_token_nonce: 'INVALID_ID_TOKEN',
  id_token_expired: 'INVALID_ID_TOKEN',
  id_token_not_yet_valid: 'INVALID_ID_TOKEN',
  invalid_id_token_signature: 'INVALID_ID_TOKEN',
  unsupported_id_token_alg: 'INVALID_ID_TOKEN',
  missing_claims: 'INVALID_CLAIMS',
  email_not_verified: 'INVALID_CLAIMS',
  domain_not_allowed: 'PROFILE_NOT_ALLOWED_OUTSIDE_ORGANIZATION',
  replayed_id_token: 'INVALID_ID_TOKEN',
  connection_inactive: 'INVALID_STATE',
} as const satisfies Record<OidcErrorReason, OidcDashboardError>;

/** The dashboard kind a failed OAuth/OIDC session is stored and filtered under (`sso_sessions.error`). */
export function oidcDashboardError(reason: OidcErrorReason): OidcDashboardError {
  return OIDC_DASHBOARD_ERRORS[reason];
}

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
