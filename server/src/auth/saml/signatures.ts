import { sameCertificate, parseCertificate, summarizeCertificate } from './certificates';
import { SamlError } from './saml-error';
import { childElements, descendantsNamed, firstChild, NS, textOf } from './xml';

// RSA with SHA-2 only. SHA-1 signatures are forgeable in practice (chosen-prefix collisions), so they are refused.
export const SIGNATURE_ALGORITHMS = new Set([
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
]);
export const DIGEST_ALGORITHMS = new Set([
  'http://www.w3.org/2001/04/xmlenc#sha256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384',
  'http://www.w3.org/2001/04/xmlenc#sha512',
]);

/** Every algorithm named by any signature in the document must be on the lists, wherever it sits. */
export function checkSignatureAlgorithms(doc: Document | Element): void {
  const [methods, references] = descendantsNamed(doc, NS.dsig, 'SignatureMethod', 'Reference');
  for (const method of methods) {
    const algorithm = method.getAttribute('Algorithm') ?? '';
    if (!SIGNATURE_ALGORITHMS.has(algorithm)) {
      throw new SamlError({ reason: 'unsupported_signature_algorithm', message: 'The signature uses an algorithm Portico does not accept', expected: [...SIGNATURE_ALGORITHMS], received: algorithm });
    }
  }
  // Only signature references: RSA-OAEP key transport in an EncryptedKey carries its own DigestMethod.
  for (const method of references.flatMap((r) => childElements(r, NS.dsig, 'DigestMethod'))) {
    const algorithm = method.getAttribute('Algorithm') ?? '';
    if (!DIGEST_ALGORITHMS.has(algorithm)) {
      throw new SamlError({ reason: 'unsupported_digest_algorithm', message: 'The signature uses a digest algorithm Portico does not accept', expected: [...DIGEST_ALGORITHMS], received: algorithm });
    }
  }
}

/** The enveloped signatures that can protect the message: direct children of the Response or of the Assertion. */
export function envelopedSignatures(response: Element, assertion: Element | null): Element[] {
  return [...childElements(response, NS.dsig, 'Signature'), ...(assertion ? childElements(assertion, NS.dsig, 'Signature') : [])];
}

/**
 * The certificate the IdP signed with must be one uploaded for the connection, and current. A response
 * signed with another key is the IdP's configuration problem (Invalid X509 Certificate), not tampering.
 */
export function checkSigningCertificates(signatures: Element[], configured: string[], now: Date): void {
  const sent = signatures.flatMap((sig) => {
    const keyInfo = firstChild(sig, NS.dsig, 'KeyInfo');
    const data = keyInfo ? childElements(keyInfo, NS.dsig, 'X509Data') : [];
    return data.flatMap((d) => childElements(d, NS.dsig, 'X509Certificate')).map((c) => textOf(c) ?? '');
  });
  if (!sent.length) {
    throw new SamlError({ reason: 'signature_missing_certificate', message: 'The signature names no X.509 certificate (KeyInfo), so it cannot be matched to the connection' });
  }
  for (const certificate of sent) {
    const match = configured.find((c) => sameCertificate(c, certificate));
    if (!match) {
      throw new SamlError({
        reason: 'certificate_mismatch',
        message: 'The response is signed with a certificate that is not the one uploaded for this connection',
        expected: configured.map(fingerprintOrNote),
        received: fingerprintOrNote(certificate),
        details: { receivedCertificate: summaryOrRaw(certificate), configuredCertificates: configured.map(summaryOrRaw) },
      });
    }
    const validTo = new Date(parseCertificate(match).validTo);
    if (validTo <= now) {
      throw new SamlError({
        reason: 'certificate_expired',
        message: 'The signing certificate has expired; the IdP must rotate it and the new one be uploaded',
        expected: `valid at ${now.toISOString()}`,
        received: `expired at ${validTo.toISOString()}`,
        details: { receivedCertificate: summaryOrRaw(certificate) },
      });
    }
  }
}

function fingerprintOrNote(certificate: string): string {
  try {
    return parseCertificate(certificate).fingerprint256;
  } catch {
    return 'not a parseable certificate';
  }
}

function summaryOrRaw(certificate: string) {
  try {
    return summarizeCertificate(certificate);
  } catch {
    return { raw: certificate.slice(0, 4096) };
  }
}
