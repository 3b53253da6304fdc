import { isHttpUrl } from '@portico/shared';
import { parseCertificate, toPem } from './certificates';
import { SamlError } from './saml-error';
import { childElements, descendants, NS, parseUntrustedXml, textOf } from './xml';

export type IdpMetadataProblem = 'sp_metadata' | 'not_xml' | 'dtd_not_allowed' | 'xml_too_deep' | 'xml_too_large' | 'no_idp_descriptor' | 'no_entity_id' | 'no_sso_service' | 'invalid_sso_url' | 'no_signing_certificate' | 'bad_certificate';

/** IdP metadata Portico can't use: a configuration problem of the connection, found when it is saved. */
export class IdpMetadataError extends Error {
  constructor(readonly problem: IdpMetadataProblem, message: string) {
    super(message);
    this.name = 'IdpMetadataError';
  }
}

function parseMetadataXml(xml: string): Document {
  try {
    return parseUntrustedXml(xml);
  } catch (err) {
    if (err instanceof SamlError && err.reason === 'dtd_not_allowed') throw new IdpMetadataError('dtd_not_allowed', 'The metadata declares a DTD or entities, which metadata never needs');
    if (err instanceof SamlError && (err.reason === 'xml_too_deep' || err.reason === 'xml_too_large')) throw new IdpMetadataError(err.reason, `The metadata is too large to be one identity provider's: ${err.message.replace(/^The XML /, 'it ')}`);
    throw new IdpMetadataError('not_xml', 'The metadata is not well-formed XML');
  }
}

function pemOrThrow(base64: string): string {
  try {
    parseCertificate(base64);
    return toPem(base64);
  } catch {
    throw new IdpMetadataError('bad_certificate', 'A signing certificate in the metadata is not a valid X.509 certificate');
  }
}

const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

export interface IdpMetadata {
  entityId: string;
  /** The SingleSignOnService for the HTTP-Redirect binding (Portico sends AuthnRequests by redirect), else HTTP-POST. */
  ssoUrl: string;
  ssoBinding: 'HTTP-Redirect' | 'HTTP-POST';
  /** Signing certificates as PEM, deduplicated. */
  certificates: string[];
}

/** Reads an IdP's metadata XML (an EntityDescriptor, or the first IdP in an EntitiesDescriptor); throws IdpMetadataError naming what is missing. */
export function parseIdpMetadata(xml: string): IdpMetadata {
  const doc = parseMetadataXml(xml);
  const entities = descendants(doc, NS.metadata, 'EntityDescriptor').filter((e) => childElements(e, NS.metadata, 'IDPSSODescriptor').length);
  const entity = entities[0];
  if (!entity) {
    // The easiest paste to get wrong: the service provider's own metadata (Portico's, or another app's).
    const sp = descendants(doc, NS.metadata, 'SPSSODescriptor')[0];
    if (sp) {
      const spEntityId = (sp.parentNode as Element | null)?.getAttribute?.('entityID');
      throw new IdpMetadataError('sp_metadata', `This looks like service provider (SP) metadata${spEntityId ? ` for ${spEntityId.slice(0, 200)}` : ''}, perhaps Portico's own: it has an SPSSODescriptor and no IDPSSODescriptor. Paste the identity provider's metadata, from the IdP's console, instead`);
    }
    throw new IdpMetadataError('no_idp_descriptor', 'The metadata has no EntityDescriptor with an IDPSSODescriptor');
  }
  const entityId = entity.getAttribute('entityID');
  if (!entityId) throw new IdpMetadataError('no_entity_id', 'The EntityDescriptor has no entityID');
  const idp = childElements(entity, NS.metadata, 'IDPSSODescriptor')[0]!;
  const services = childElements(idp, NS.metadata, 'SingleSignOnService');
  const service = services.find((s) => s.getAttribute('Binding') === REDIRECT) ?? services.find((s) => s.getAttribute('Binding') === POST);
  const ssoUrl = service?.getAttribute('Location');
  if (!service || !ssoUrl) throw new IdpMetadataError('no_sso_service', 'The metadata has no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding');
  // Portico redirects browsers to this URL: a javascript: or data: Location would run in the user's browser.
  if (!isHttpUrl(ssoUrl)) throw new IdpMetadataError('invalid_sso_url', 'The SingleSignOnService Location must be an http:// or https:// URL');
  const certificates = childElements(idp, NS.metadata, 'KeyDescriptor')
    // A KeyDescriptor without `use` holds a key for both signing and encryption (SAML metadata 2.4.1.1). xmldom's
    // getAttribute answers '' (never null) for a missing attribute, so absence is tested with hasAttribute.
    .filter((k) => !k.hasAttribute('use') || k.getAttribute('use') === 'signing')
    .flatMap((k) => descendants(k, NS.dsig, 'X509Certificate'))
    .map((c) => pemOrThrow(textOf(c) ?? ''));
  const unique = certificates.filter((pem, i) => certificates.findIndex((other) => parseCertificate(other).raw.equals(parseCertificate(pem).raw)) === i);
  if (!unique.length) throw new IdpMetadataError('no_signing_certificate', 'The metadata has no signing certificate');
  return { entityId, ssoUrl, ssoBinding: service.getAttribute('Binding') === REDIRECT ? 'HTTP-Redirect' : 'HTTP-POST', certificates: unique };
}
