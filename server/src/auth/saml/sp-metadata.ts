import { SAML } from '@node-saml/node-saml';

export interface SpMetadataInput {
  spEntityId: string;
  acsUrl: string;
  /** The connection's SP encryption certificate (PEM), when it accepts encrypted assertions. */
  encryptionCertificate?: string;
}

/** Portico's SP metadata for one connection, for the IT admin to upload to the IdP. */
export function createSpMetadata(input: SpMetadataInput): string {
  const saml = new SAML({
    issuer: input.spEntityId,
    callbackUrl: input.acsUrl,
    // node-saml requires an IdP certificate to construct; metadata generation does not use it.
    idpCert: 'unused',
    wantAssertionsSigned: true,
    identifierFormat: null,
    // Only its presence matters here: it makes node-saml publish the encryption certificate.
    decryptionPvk: input.encryptionCertificate ? 'unused' : undefined,
  });
  return saml.generateServiceProviderMetadata(input.encryptionCertificate ?? null, null);
}
