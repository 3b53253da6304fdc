/** Portico's SAML core: pure functions, no database, no HTTP, no clock. The only code that imports node-saml. */
export { validateSamlResponse, DEFAULT_CLOCK_SKEW_SECONDS, MAX_CLOCK_SKEW_SECONDS, type SamlResponseInput, type ValidatedSamlResponse } from './validate-saml-response';
export { decodeSamlResponse } from './decode';
export { claimedInResponseTo, claimedInResponseToOfXml } from './claimed-in-response-to';
export { createAuthnRequest, type AuthnRequest, type AuthnRequestInput } from './authn-request';
export { createSpMetadata, type SpMetadataInput } from './sp-metadata';
export { parseIdpMetadata, IdpMetadataError, type IdpMetadata, type IdpMetadataProblem } from './idp-metadata';
export { mapSamlProfile, MAPPING_PRESETS, NAME_ID, REQUIRED_FIELDS, type AttributeMapping, type MappingPreset, type SamlUserProfile } from './profile';
export { summarizeCertificate, parseCertificate, sameCertificate, toPem, type CertificateSummary } from './certificates';
export { SamlError, SAML_REASONS, type SamlDashboardError, type SamlErrorReason } from './saml-error';
export { readAuthnRequest, type ReceivedAuthnRequest } from './read-authn-request';
