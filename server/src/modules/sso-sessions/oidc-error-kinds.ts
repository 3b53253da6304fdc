import type { OidcDashboardError } from '../../auth/oidc';

/**
 * The errors of a failed OAuth or OIDC sign-in, as the dashboard names them, beside SAML's five (saml-error-kinds.ts).
 * They join the same GraphQL enum (SamlErrorKind: a session's `error` keeps one type whatever the protocol), with
 * the label on the first line of each value's description, then its causes. PROFILE_NOT_ALLOWED_OUTSIDE_ORGANIZATION
 * is SAML's own kind, shared.
 */
export const OIDC_ERROR_KINDS = {
  OAUTH_PROVIDER_ERROR: { label: 'OAuth Provider Error', causes: 'The provider answered with an error instead of a code (the user declined consent: access_denied), sent no code, refused the code exchange (client ID or secret, redirect URI), or could not be reached.' },
  INVALID_ID_TOKEN: { label: 'Invalid ID Token', causes: 'The provider’s ID token failed a check: signature, algorithm, issuer, audience, authorized party, nonce, or its validity times; Session Details shows what was expected and received.' },
  INVALID_CLAIMS: { label: 'Invalid Claims', causes: 'The user’s claims lack what a profile needs (an email address), or the provider has not verified the email.' },
  INVALID_STATE: { label: 'Invalid State', causes: 'The callback’s state did not match the sign-in, or came back to another browser than the one that started it (a login-CSRF defence), or the connection was turned off while the user was at the identity provider.' },
} as const satisfies Record<Exclude<OidcDashboardError, 'PROFILE_NOT_ALLOWED_OUTSIDE_ORGANIZATION'>, { label: string; causes: string }>;
