// xml-encryption (node-saml's own decrypter) ships no types.
const xmlenc = require('xml-encryption') as { decrypt(xml: string, opts: Record<string, unknown>, cb: (err: Error | null, out: string) => void): void };
import { decodeSamlResponse } from './decode';
import { translateNodeSamlError } from './node-saml-errors';
import { SamlError } from './saml-error';
import { checkSignatureAlgorithms, checkSigningCertificates, envelopedSignatures } from './signatures';
import { checkAssertionClaims, type AssertionClaims } from './assertion-claims';
import { parseCertificate, summarizeCertificate } from './certificates';
import { checkUniqueIds, verifyEnvelopedSignature } from './xmldsig';
import { childElements, descendants, descendantsNamed, firstChild, hasComment, NS, textContentOf, textOf } from './xml';
import { parseSamlXml } from './xml-parser';

export const DEFAULT_CLOCK_SKEW_SECONDS = 60;
export const MAX_CLOCK_SKEW_SECONDS = 300;

export interface SamlResponseInput {
  /** The SAMLResponse form field, base64, as posted. */
  samlResponse: string;
  idpEntityId: string;
  /** PEM or bare base64, one or more (rotation). */
  idpCertificates: string[];
  /** Portico's entity ID for the connection: the audience. */
  spEntityId: string;
  /** Portico's ACS URL for the connection: the Destination and Recipient. */
  acsUrl: string;
  /** The AuthnRequest ID for SP-initiated sign-in; null for IdP-initiated, which must not claim to answer one. */
  expectedInResponseTo: string | null;
  /** PEM private key of the connection's SP encryption key pair, when assertions are encrypted. */
  decryptionKey?: string;
  /** The next SP key during a key rollover (published in SP metadata, not yet current): tried after `decryptionKey`. */
  nextDecryptionKey?: string;
  /**
   * Refuse a plain assertion (`assertion_not_encrypted`). The caller sets it once the connection has an SP key,
   * unless the connection still accepts unencrypted assertions while its IdP is being switched over.
   */
  requireEncryptedAssertion?: boolean;
  /**
   * Refuse a response whose only signature is on the Response (`unsigned`): the connection asks for signed
   * assertions (and its SP metadata says WantAssertionsSigned). Off by default: a signed Response covering its
   * one assertion is accepted under the same profile (Shibboleth signs responses, not assertions).
   */
  requireSignedAssertion?: boolean;
  now: Date;
  clockSkewSeconds?: number;
}

export interface ValidatedSamlResponse extends AssertionClaims {
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
  /** Attributes from the signed assertion: a string, or an array for multi-valued attributes. */
  attributes: Record<string, string | string[]>;
  /** The assertion as decrypted (XML), when it arrived encrypted; null otherwise. */
  decryptedAssertion: string | null;
  /** Which SP key decrypted it: the current one or the next one (rollover); null when it was not encrypted. */
  decryptedWith: 'current' | 'next' | null;
  /** SHA-256 fingerprint of the connection certificate whose key verified the signature. */
  signingCertificateFingerprint: string;
}

/**
 * Validates a SAML response for one connection, or throws a SamlError with the precise reason. Pure: no
 * database, no clock (`now` is given), no network. One parse serves every check: DTDs, exactly one assertion
 * as a direct child of the Response (signature wrapping), Destination, Issuer, InResponseTo, certificate
 * identity and expiry, algorithm lists, comments, the XML signature (xmldsig.ts), audience and times against
 * `now`. node-saml, checked against in the tests, makes fewer of these and re-parses the message three times.
 * Replay is the caller's to check, with `assertionId` and `assertionExpiresAt`.
 */
export async function validateSamlResponse(input: SamlResponseInput): Promise<ValidatedSamlResponse> {
  const skewSeconds = Math.min(Math.max(input.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS, 0), MAX_CLOCK_SKEW_SECONDS);
  const doc = parseSamlXml(decodeSamlResponse(input.samlResponse)) as unknown as Document;
  const response = checkEnvelope(doc, input);
  const found = findOnlyAssertion(doc, response);
  // An SP key means the assertion's content is meant to be confidential: a plain one is refused, or a downgrade
  // (an IdP, or anyone replaying its output, sending in the clear) would go unnoticed.
  if (input.requireEncryptedAssertion && !found.encrypted) {
    throw new SamlError({
      reason: 'assertion_not_encrypted',
      message: 'The assertion is not encrypted, but this connection has an SP encryption key: the identity provider must encrypt assertions to the SP certificate shown on the connection page',
      expected: 'an EncryptedAssertion',
      received: 'a plain Assertion',
    });
  }
  // An encrypted assertion gets the same checks as a plain one, on its decrypted content.
  const decrypted = found.encrypted ? await decryptAssertion(found.encrypted, input.decryptionKey, input.nextDecryptionKey) : null;
  const assertion = decrypted?.assertion ?? found.assertion!;
  try {
    const verifiedWith = checkSignatures(doc, response, assertion, found.encrypted !== null, input);
    const claims = checkAssertionClaims(assertion, { ...input, skewSeconds, responseInResponseTo: response.getAttribute('InResponseTo') || null });
    return {
      ...claims, ...readSubject(assertion),
      decryptedAssertion: decrypted?.xml ?? null, decryptedWith: decrypted?.keyUsed ?? null, signingCertificateFingerprint: parseCertificate(verifiedWith).fingerprint256,
    };
  } catch (err) {
    // Refused after decryption: keep what was decrypted, so Session Details can show more than ciphertext.
    if (err instanceof SamlError && decrypted) err.decryptedAssertion = decrypted.xml;
    throw err;
  }
}

/** Algorithms, certificates and the signature that protects the assertion; answers the certificate that verified it. */
function checkSignatures(doc: Document, response: Element, assertion: Element, encrypted: boolean, input: SamlResponseInput): string {
  checkSignatureAlgorithms(doc);
  if (encrypted) checkSignatureAlgorithms(assertion);
  // The assertion is signed, or the Response that holds it is (Shibboleth's default). Either signature is held to
  // the same profile: one Reference, to the very element it sits in, by an ID no other element shares; the
  // assertion is the only one in the document and a direct child of that Response (findOnlyAssertion); claims
  // are read only from that assertion element.
  const assertionSigned = childElements(assertion, NS.dsig, 'Signature').length > 0;
  const responseSigned = childElements(response, NS.dsig, 'Signature').length > 0;
  if (!assertionSigned && !responseSigned) {
    throw new SamlError({ reason: 'unsigned', message: 'Neither the assertion nor the response is signed: configure the identity provider to sign the assertion (or the whole response)' });
  }
  if (!assertionSigned && input.requireSignedAssertion) {
    throw new SamlError({
      reason: 'unsigned',
      message: 'Only the response is signed, but this connection requires signed assertions: configure the identity provider to sign the assertion, or turn off "Require signed assertions" on the connection',
      expected: 'a signed Assertion', received: 'a signed Response with an unsigned Assertion',
    });
  }
  try {
    checkSigningCertificates([...envelopedSignatures(response, null), ...childElements(assertion, NS.dsig, 'Signature')], input.idpCertificates, input.now);
  } catch (err) {
    throw assertionSigned ? err : responseCannotStandIn(err);
  }
  if (hasComment(assertion)) {
    throw new SamlError({ reason: 'comment_in_assertion', message: 'The assertion contains XML comments, a known way to truncate signed values such as the NameID' });
  }
  if (assertionSigned) {
    // The assertion's signature must verify, and claims are read from the very element it covers. A Response
    // signature beside it is not relied on (its certificate was checked above): the fields Portico reads from the
    // Response are checked against the signed assertion too, and real IdPs send Response signatures that no longer
    // verify after a proxy re-serializes the message (the Okta fixture does; node-saml ignores it the same way).
    return verifyEnvelopedSignature(assertion, input.idpCertificates);
  }
  // Only the Response is signed: it must verify, no ID may repeat anywhere in the document (a second element
  // answering to a signed ID is how wrapping attacks point a signature elsewhere), and an encrypted assertion
  // was decrypted from the ciphertext this signature covers.
  let verifiedWith: string;
  try {
    verifiedWith = verifyEnvelopedSignature(response, input.idpCertificates);
  } catch (err) {
    throw responseCannotStandIn(err);
  }
  checkUniqueIds(doc);
  if (encrypted) checkUniqueIds(assertion.ownerDocument!);
  return verifiedWith;
}

/**
 * The assertion carries no signature and the Response's cannot protect it: it names no certificate, or it does not
 * verify (digest or value). Then nothing signed covers the assertion — `unsigned`, as for a message with no signature
 * at all (an IdP's assertion signature stripped in transit looks exactly like this), with the Response signature's
 * failure in the diagnosis. A certificate mismatch (Invalid X509 Certificate) and the profile's structural refusals
 * (wrapping, references, transforms) keep their own reasons.
 */
function responseCannotStandIn(err: unknown): unknown {
  if (!(err instanceof SamlError)) return err;
  const check = err.details?.check;
  const cryptographic = err.reason === 'signature_missing_certificate' || (err.reason === 'signature_invalid' && (check === 'digest' || check === 'value'));
  if (!cryptographic) return err;
  const cause = typeof err.details?.cause === 'string' ? err.details.cause : err.message;
  return new SamlError({
    reason: 'unsigned',
    message: 'The assertion is not signed, and the Response’s signature cannot stand in for it: configure the identity provider to sign the assertion (or the whole response)',
    expected: 'a signed Assertion, or a Response signature that verifies', received: `an unsigned Assertion; the Response signature: ${cause}`,
    details: { responseSignature: { reason: err.reason, cause } },
  });
}

function checkEnvelope(doc: Document, input: SamlResponseInput): Element {
  const response = doc.documentElement;
  if (response.namespaceURI !== NS.protocol || response.localName !== 'Response') {
    throw new SamlError({ reason: 'not_a_saml_response', message: 'The message is not a SAML 2.0 Response', received: `${response.namespaceURI ?? ''} ${response.localName}`.trim() });
  }
  const issuer = textOf(firstChild(response, NS.assertion, 'Issuer'));
  if (issuer !== null && issuer !== input.idpEntityId) {
    throw new SamlError({ reason: 'invalid_issuer', message: 'The response comes from another identity provider', expected: input.idpEntityId, received: issuer });
  }
  const destination = response.getAttribute('Destination');
  if (destination && destination !== input.acsUrl) {
    throw new SamlError({ reason: 'invalid_destination', message: 'The response was sent to another ACS URL', expected: input.acsUrl, received: destination });
  }
  const status = firstChild(response, NS.protocol, 'Status');
  const code = status ? firstChild(status, NS.protocol, 'StatusCode') : null;
  const value = code?.getAttribute('Value');
  if (value !== 'urn:oasis:names:tc:SAML:2.0:status:Success') {
    const nested = code ? firstChild(code, NS.protocol, 'StatusCode')?.getAttribute('Value') : null;
    throw new SamlError({
      reason: 'idp_error_status',
      message: 'The identity provider answered with an error instead of an assertion',
      expected: 'urn:oasis:names:tc:SAML:2.0:status:Success',
      received: [value ?? '(no status)', nested].filter(Boolean).join(' / '),
      details: { statusMessage: status ? textOf(firstChild(status, NS.protocol, 'StatusMessage')) : null },
    });
  }
  return response;
}

// Exactly one assertion, as a direct child of the Response: every signature-wrapping attack needs a second
// one (or a signed one moved somewhere unexpected), and no supported IdP sends two.
function findOnlyAssertion(doc: Document, response: Element): { assertion: Element | null; encrypted: Element | null } {
  const [plain, encrypted] = descendantsNamed(doc, NS.assertion, 'Assertion', 'EncryptedAssertion');
  const total = plain.length + encrypted.length;
  if (total === 0) throw new SamlError({ reason: 'missing_assertion', message: 'The response carries no assertion' });
  if (total > 1) throw new SamlError({ reason: 'multiple_assertions', message: 'The response carries more than one assertion', expected: 1, received: total });
  const only = plain[0] ?? encrypted[0]!;
  if (only.parentNode !== response) {
    throw new SamlError({ reason: 'assertion_misplaced', message: 'The assertion is not a direct child of the Response' });
  }
  return { assertion: plain[0] ?? null, encrypted: encrypted[0] ?? null };
}

function encryptionCertificate(encryptedAssertion: Element) {
  const certificate = textOf(descendants(encryptedAssertion, NS.dsig, 'X509Certificate')[0] ?? null);
  if (!certificate) return null;
  try {
    return summarizeCertificate(certificate);
  } catch {
    return { raw: certificate.slice(0, 4096) };
  }
}

function decryptWith(encryptedData: Element, key: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    xmlenc.decrypt(encryptedData.toString(), { key, disallowDecryptionWithInsecureAlgorithm: true, warnInsecureAlgorithm: false }, (err, out) => (err ? reject(err) : resolve(out)));
  });
}

/**
 * Decrypts with the current SP key, then (during a rollover) with the next one; answers the assertion, its XML
 * and which key opened it. The error reported is the current key's: that is the one the IdP should be using.
 */
async function decryptAssertion(encryptedAssertion: Element, key: string | undefined, nextKey: string | undefined): Promise<{ assertion: Element; xml: string; keyUsed: 'current' | 'next' }> {
  if (!key && !nextKey) {
    throw new SamlError({ reason: 'decryption_failed', message: 'The assertion is encrypted but the connection has no SP encryption key', details: { encryptedToCertificate: encryptionCertificate(encryptedAssertion) } });
  }
  const encryptedData = firstChild(encryptedAssertion, NS.xenc, 'EncryptedData');
  if (!encryptedData) throw new SamlError({ reason: 'decryption_failed', message: 'The EncryptedAssertion holds no EncryptedData' });
  const attempts = ([['current', key], ['next', nextKey]] as const).filter((a): a is readonly ['current' | 'next', string] => !!a[1]);
  let firstError: unknown = null;
  for (const [keyUsed, pem] of attempts) {
    try {
      const xml = await decryptWith(encryptedData, pem);
      const assertion = parseSamlXml(xml).documentElement as unknown as Element;
      if (assertion.namespaceURI !== NS.assertion || assertion.localName !== 'Assertion') {
        throw new SamlError({ reason: 'decryption_failed', message: 'The decrypted content is not an assertion' });
      }
      return { assertion, xml, keyUsed };
    } catch (err) {
      firstError ??= err;
    }
  }
  if (firstError instanceof SamlError) throw firstError;
  const error = translateNodeSamlError(firstError, { encrypted: true });
  // Which certificate the IdP encrypted to, when its KeyInfo says: the Session Details page compares it with the connection's.
  throw new SamlError({ reason: error.reason, message: error.message, expected: error.expected, received: error.received, details: { ...error.details, encryptedToCertificate: encryptionCertificate(encryptedAssertion) } });
}

/** The NameID, its format, the session index and the attributes (a string, or an array when multi-valued). */
function readSubject(assertion: Element): Pick<ValidatedSamlResponse, 'nameId' | 'nameIdFormat' | 'sessionIndex' | 'attributes'> {
  const subject = firstChild(assertion, NS.assertion, 'Subject');
  const nameIdElement = subject ? firstChild(subject, NS.assertion, 'NameID') : null;
  if (!nameIdElement) throw new SamlError({ reason: 'invalid_response', message: 'The assertion names no subject (NameID)' });
  const authn = firstChild(assertion, NS.assertion, 'AuthnStatement');
  const values = new Map<string, string[]>();
  for (const statement of childElements(assertion, NS.assertion, 'AttributeStatement')) {
    for (const attribute of childElements(statement, NS.assertion, 'Attribute')) {
      const name = attribute.getAttribute('Name');
      if (!name) continue;
      let all = values.get(name);
      for (const value of childElements(attribute, NS.assertion, 'AttributeValue')) {
        if (value.getAttributeNS('http://www.w3.org/2001/XMLSchema-instance', 'nil') === 'true') continue;
        if (!all) values.set(name, (all = []));
        all.push(textContentOf(value));
      }
    }
  }
  // Object.fromEntries defines own properties: an attribute Name="constructor" or "__proto__" is read as sent, never
  // Object's member nor the prototype.
  const attributes: Record<string, string | string[]> = Object.fromEntries([...values].map(([name, all]) => [name, all.length === 1 ? all[0]! : all]));
  return {
    nameId: textContentOf(nameIdElement),
    nameIdFormat: nameIdElement.getAttribute('Format') || null,
    sessionIndex: authn?.getAttribute('SessionIndex') || null,
    attributes,
  };
}
