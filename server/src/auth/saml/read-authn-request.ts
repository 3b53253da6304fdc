import { inflateRawSync } from 'node:zlib';
import { NS, parseUntrustedXml } from './xml';
import { SamlError } from './saml-error';

/** What an identity provider needs from an AuthnRequest to answer it. */
export interface ReceivedAuthnRequest {
  id: string;
  issuer: string;
  /** AssertionConsumerServiceURL, when the SP named one. */
  acsUrl: string | null;
  xml: string;
}

const MAX_INFLATED_BYTES = 64 * 1024;

/**
 * Reads an AuthnRequest received by the HTTP-Redirect binding (`SAMLRequest`: deflated, base64). Used by Portico's
 * built-in test IdP. Refuses what does not inflate, is larger than 64 KB, is not an AuthnRequest, or has no ID or
 * Issuer; the request is unsigned (Portico's are), so the caller must check the issuer against what it serves.
 */
export function readAuthnRequest(samlRequest: string): ReceivedAuthnRequest {
  let xml: string;
  try {
    xml = inflateRawSync(Buffer.from(samlRequest, 'base64'), { maxOutputLength: MAX_INFLATED_BYTES }).toString('utf8');
  } catch {
    throw new SamlError({ reason: 'not_base64', message: 'SAMLRequest is not a deflated, base64-encoded AuthnRequest (HTTP-Redirect binding)' });
  }
  const root = parseUntrustedXml(xml).documentElement!;
  if (root.namespaceURI !== NS.protocol || root.localName !== 'AuthnRequest') {
    throw new SamlError({ reason: 'not_a_saml_response', message: 'SAMLRequest is not a SAML AuthnRequest', expected: 'samlp:AuthnRequest', received: root.localName ?? null });
  }
  const issuer = Array.from(root.getElementsByTagNameNS(NS.assertion, 'Issuer'))[0]?.textContent?.trim() ?? '';
  const id = root.getAttribute('ID') ?? '';
  if (!id || !issuer) throw new SamlError({ reason: 'invalid_response', message: 'The AuthnRequest has no ID or no Issuer' });
  return { id, issuer, acsUrl: root.getAttribute('AssertionConsumerServiceURL') || null, xml };
}
