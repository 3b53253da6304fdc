export interface SpMetadataInput {
  spEntityId: string;
  acsUrl: string;
  /**
   * The connection's SP encryption certificates (PEM): the current one, then the next one during a key rollover,
   * each published as a KeyDescriptor use="encryption" so the IdP can pick the new one up before it is current.
   */
  encryptionCertificates?: string[];
  /** Say WantAssertionsSigned: the connection refuses responses whose only signature is on the Response. */
  wantAssertionsSigned?: boolean;
}

const escapeXml = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const certificateBody = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');

// What xml-encryption (the decrypter) supports, strongest first.
const ENCRYPTION_METHODS = [
  'http://www.w3.org/2009/xmlenc11#aes256-gcm',
  'http://www.w3.org/2009/xmlenc11#aes128-gcm',
  'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
  'http://www.w3.org/2001/04/xmlenc#aes128-cbc',
];

/**
 * Portico's SP metadata for one connection, for the IT admin to upload to the IdP. Written out here rather than by
 * node-saml, which publishes at most one encryption certificate: a key rollover needs the current and the next.
 */
export function createSpMetadata(input: SpMetadataInput): string {
  const keys = (input.encryptionCertificates ?? []).map((pem) => [
    '    <KeyDescriptor use="encryption">',
    `      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certificateBody(pem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>`,
    ...ENCRYPTION_METHODS.map((algorithm) => `      <EncryptionMethod Algorithm="${algorithm}"/>`),
    '    </KeyDescriptor>',
  ].join('\n'));
  return [
    '<?xml version="1.0"?>',
    `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${escapeXml(input.spEntityId)}">`,
    `  <SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" AuthnRequestsSigned="false" WantAssertionsSigned="${input.wantAssertionsSigned ? 'true' : 'false'}">`,
    ...keys,
    `    <AssertionConsumerService index="1" isDefault="true" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${escapeXml(input.acsUrl)}"/>`,
    '  </SPSSODescriptor>',
    '</EntityDescriptor>',
    '',
  ].join('\n');
}
