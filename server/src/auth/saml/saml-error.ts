/** The five errors the dashboard shows for a failed SAML sign-in (WorkOS's names). */
export type SamlDashboardError =
  | 'INVALID_ATTRIBUTES'
  | 'INVALID_X509_CERTIFICATE'
  | 'MALFORMED_SAML_RESPONSE'
  | 'PROFILE_NOT_ALLOWED_OUTSIDE_ORGANIZATION'
  | 'DECRYPTION_FAILED';

/** Each precise reason, and the dashboard error it is filed under. */
export const SAML_REASONS = {
  not_base64: 'MALFORMED_SAML_RESPONSE',
  not_utf8: 'MALFORMED_SAML_RESPONSE',
  not_xml: 'MALFORMED_SAML_RESPONSE',
  dtd_not_allowed: 'MALFORMED_SAML_RESPONSE',
  xml_too_deep: 'MALFORMED_SAML_RESPONSE',
  xml_too_large: 'MALFORMED_SAML_RESPONSE',
  not_a_saml_response: 'MALFORMED_SAML_RESPONSE',
  idp_error_status: 'MALFORMED_SAML_RESPONSE',
  missing_assertion: 'MALFORMED_SAML_RESPONSE',
  multiple_assertions: 'MALFORMED_SAML_RESPONSE',
  assertion_not_encrypted: 'MALFORMED_SAML_RESPONSE',
  assertion_misplaced: 'MALFORMED_SAML_RESPONSE',
  comment_in_assertion: 'MALFORMED_SAML_RESPONSE',
  unsigned: 'MALFORMED_SAML_RESPONSE',
  signature_missing_certificate: 'MALFORMED_SAML_RESPONSE',
  signature_invalid: 'MALFORMED_SAML_RESPONSE',
  unsupported_signature_algorithm: 'MALFORMED_SAML_RESPONSE',
  unsupported_digest_algorithm: 'MALFORMED_SAML_RESPONSE',
  invalid_issuer: 'MALFORMED_SAML_RESPONSE',
  invalid_audience: 'MALFORMED_SAML_RESPONSE',
  invalid_destination: 'MALFORMED_SAML_RESPONSE',
  invalid_recipient: 'MALFORMED_SAML_RESPONSE',
  missing_subject_confirmation: 'MALFORMED_SAML_RESPONSE',
  invalid_in_response_to: 'MALFORMED_SAML_RESPONSE',
  idp_initiated_disabled: 'MALFORMED_SAML_RESPONSE',
  not_yet_valid: 'MALFORMED_SAML_RESPONSE',
  expired: 'MALFORMED_SAML_RESPONSE',
  replayed_assertion: 'MALFORMED_SAML_RESPONSE',
  invalid_response: 'MALFORMED_SAML_RESPONSE',
  certificate_mismatch: 'INVALID_X509_CERTIFICATE',
  certificate_expired: 'INVALID_X509_CERTIFICATE',
  decryption_failed: 'DECRYPTION_FAILED',
  missing_attributes: 'INVALID_ATTRIBUTES',
  invalid_attribute_value: 'INVALID_ATTRIBUTES',
  domain_not_allowed: 'PROFILE_NOT_ALLOWED_OUTSIDE_ORGANIZATION',
} as const satisfies Record<string, SamlDashboardError>;

export type SamlErrorReason = keyof typeof SAML_REASONS;

export interface SamlErrorInit {
  reason: SamlErrorReason;
  message: string;
  expected?: unknown;
  received?: unknown;
  /** Anything else the Session Details page needs to explain the failure (certificates, attributes, times). */
  details?: Record<string, unknown>;
  /** An encrypted assertion refused after it was decrypted: its XML, for Session Details. */
  decryptedAssertion?: string;
}

/** A refused SAML response: a typed reason, what was expected and what was received. */
export class SamlError extends Error {
  readonly reason: SamlErrorReason;
  readonly dashboardError: SamlDashboardError;
  readonly expected?: unknown;
  readonly received?: unknown;
  readonly details?: Record<string, unknown>;
  decryptedAssertion?: string;

  constructor(init: SamlErrorInit) {
    super(init.message);
    this.name = 'SamlError';
    this.reason = init.reason;
    this.dashboardError = SAML_REASONS[init.reason];
    this.expected = init.expected;
    this.received = init.received;
    this.details = init.details;
    this.decryptedAssertion = init.decryptedAssertion;
  }

  toJSON() {
    return { reason: this.reason, dashboardError: this.dashboardError, message: this.message, expected: this.expected, received: this.received, details: this.details, decryptedAssertion: this.decryptedAssertion };
  }
}
