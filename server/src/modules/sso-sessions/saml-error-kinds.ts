/**
 * The five errors of a failed SAML sign-in, as the dashboard names them (DESIGN's table). The schema carries them:
 * each SamlErrorKind value's description is its label on the first line, then what causes it; the dashboard's
 * labels are generated from the schema (client/codegen-enum-labels.cjs), never kept in a second table.
 */
export const SAML_ERROR_KINDS = {
  INVALID_ATTRIBUTES: { label: 'Invalid Attributes', causes: 'A required attribute (id, email, firstName, lastName after mapping) is missing; the received attributes are kept.' },
  INVALID_X509_CERTIFICATE: { label: 'Invalid X509 Certificate', causes: 'The response is signed by a certificate other than the connection’s, or the certificate expired.' },
  MALFORMED_SAML_RESPONSE: { label: 'Malformed SAML Response', causes: 'Not a valid signed SAML response for this connection: unsigned, bad signature, wrong issuer, audience, destination or InResponseTo, expired, replayed, an IdP error status …' },
  PROFILE_NOT_ALLOWED_OUTSIDE_ORGANIZATION: { label: 'Profile Not Allowed Outside Organization', causes: 'The email’s domain is not one of the organization’s domains, and profiles outside the organization are not allowed.' },
  DECRYPTION_FAILED: { label: 'Decryption Failed', causes: 'An encrypted assertion could not be decrypted with the connection’s SP key.' },
} as const;

export type SamlErrorKind = keyof typeof SAML_ERROR_KINDS;

export const SAML_ERROR_LABELS = Object.fromEntries(Object.entries(SAML_ERROR_KINDS).map(([kind, { label }]) => [kind, label])) as { [K in SamlErrorKind]: (typeof SAML_ERROR_KINDS)[K]['label'] };
