import { X509Certificate } from 'node:crypto';

export interface CertificateSummary {
  subject: string;
  issuer: string;
  /** SHA-256 of the DER, colon-separated hex, as IdP consoles show it. */
  fingerprintSha256: string;
  validFrom: string;
  validTo: string;
  pem: string;
}

/** PEM from either a PEM block or the bare base64 of an <X509Certificate> element (whitespace ignored). */
export function toPem(certificate: string): string {
  const body = certificate.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----\n`;
}

const parsed = new Map<string, X509Certificate>();
const PARSED_LIMIT = 256;

/**
 * Parses a certificate; throws a TypeError naming the problem when it is not one. Parsed certificates are
 * kept (a few hundred at most): every sign-in compares the same connection certificates again.
 */
export function parseCertificate(certificate: string): X509Certificate {
  const hit = parsed.get(certificate);
  if (hit) return hit;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(toPem(certificate));
  } catch {
    throw new TypeError('not a PEM or base64 X.509 certificate');
  }
  if (parsed.size >= PARSED_LIMIT) parsed.delete(parsed.keys().next().value!);
  parsed.set(certificate, cert);
  return cert;
}

export function summarizeCertificate(certificate: string): CertificateSummary {
  const cert = parseCertificate(certificate);
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    fingerprintSha256: cert.fingerprint256,
    validFrom: new Date(cert.validFrom).toISOString(),
    validTo: new Date(cert.validTo).toISOString(),
    pem: toPem(certificate),
  };
}

// X509Certificate#raw copies the DER on every read; sign-ins compare the same certificates again and again.
const ders = new WeakMap<X509Certificate, Buffer>();
const derOf = (cert: X509Certificate) => {
  let der = ders.get(cert);
  if (!der) ders.set(cert, (der = cert.raw));
  return der;
};

/** True when both encode the same certificate (DER equality, not string equality). */
export function sameCertificate(a: string, b: string): boolean {
  try {
    const [first, second] = [parseCertificate(a), parseCertificate(b)];
    return first === second || derOf(first).equals(derOf(second));
  } catch {
    return false;
  }
}
