import { parseCertificate, toPem } from './certificates';
import { SamlError } from './saml-error';
import { childElements, descendants, NS, parseUntrustedXml, textOf } from './xml';

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

/** Reads an IdP's metadata XML (an EntityDescriptor, or the first IdP in an EntitiesDescriptor); names what is missing. */
export function parseIdpMetadata(xml: string): IdpMetadata {
  const doc = parseUntrustedXml(xml);
  const entities = descendants(doc, NS.metadata, 'EntityDescriptor').filter((e) => childElements(e, NS.metadata, 'IDPSSODescriptor').length);
  const entity = entities[0];
  if (!entity) throw new SamlError({ reason: 'not_a_saml_response', message: 'The metadata has no EntityDescriptor with an IDPSSODescriptor' });
  const entityId = entity.getAttribute('entityID');
  if (!entityId) throw new SamlError({ reason: 'not_a_saml_response', message: 'The EntityDescriptor has no entityID' });
  const idp = childElements(entity, NS.metadata, 'IDPSSODescriptor')[0]!;
  const services = childElements(idp, NS.metadata, 'SingleSignOnService');
  const service = services.find((s) => s.getAttribute('Binding') === REDIRECT) ?? services.find((s) => s.getAttribute('Binding') === POST);
  const ssoUrl = service?.getAttribute('Location');
  if (!service || !ssoUrl) throw new SamlError({ reason: 'not_a_saml_response', message: 'The metadata has no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding' });
  const certificates = childElements(idp, NS.metadata, 'KeyDescriptor')
    .filter((k) => (k.getAttribute('use') ?? 'signing') === 'signing')
    .flatMap((k) => descendants(k, NS.dsig, 'X509Certificate'))
    .map((c) => toPem(textOf(c) ?? ''));
  const unique = certificates.filter((pem, i) => certificates.findIndex((other) => parseCertificate(other).raw.equals(parseCertificate(pem).raw)) === i);
  if (!unique.length) throw new SamlError({ reason: 'signature_missing_certificate', message: 'The metadata has no signing certificate' });
  return { entityId, ssoUrl, ssoBinding: service.getAttribute('Binding') === REDIRECT ? 'HTTP-Redirect' : 'HTTP-POST', certificates: unique };
}
