// xml-encryption (node-saml's own decrypter) ships no types.
const xmlenc = require('xml-encryption') as { decrypt(xml: string, opts: Record<string, unknown>, cb: (err: Error | null, out: string) => void): void };
import { decodeSamlResponse } from './decode';
import { translateNodeSamlError } from './node-saml-errors';
import { SamlError } from './saml-error';
import { checkSignatureAlgorithms, checkSigningCertificates, envelopedSignatures } from './signatures';
import { checkAssertionClaims, type AssertionClaims } from './assertion-claims';
import { summarizeCertificate } from './certificates';
import { verifyEnvelopedSignature } from './xmldsig';
import { childElements, descendants, firstChild, hasComment, NS, parseUntrustedXml, textContentOf, textOf } from './xml';

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
  /**
   * Refuse a plain assertion (`assertion_not_encrypted`). The caller sets it once the connection has an SP key,
   * unless the connection still accepts unencrypted assertions while its IdP is being switched over.
   */
  requireEncryptedAssertion?: boolean;
  now: Date;
  clockSkewSeconds?: number;
}

export interface ValidatedSamlResponse extends AssertionClaims {
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
  /** Attributes from the signed assertion: a string, or an array for multi-valued attributes. */
  attributes: Record<string, string | string[]>;
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
  const doc = parseUntrustedXml(decodeSamlResponse(input.samlResponse));
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
  const assertion = found.encrypted ? await decryptAssertion(found.encrypted, input.decryptionKey) : found.assertion!;
  checkSignatureAlgorithms(doc);
  if (found.encrypted) checkSignatureAlgorithms(assertion);
  // The assertion itself must be signed: a signature on the Response alone is refused. Every supported IdP
  // signs assertions, and claims are then read only from what they sign.
  if (!childElements(assertion, NS.dsig, 'Signature').length) {
    throw new SamlError({ reason: 'unsigned', message: 'The assertion is not signed. Configure the identity provider to sign the assertion.' });
  }
  checkSigningCertificates([...envelopedSignatures(response, null), ...childElements(assertion, NS.dsig, 'Signature')], input.idpCertificates, input.now);
  if (hasComment(assertion)) {
    throw new SamlError({ reason: 'comment_in_assertion', message: 'The assertion contains XML comments, a known way to truncate signed values such as the NameID' });
  }
  // The assertion's signature must verify, and claims are read from the very element it covers. A Response
  // signature is not relied on (its certificate was checked above): the fields Portico reads from the Response
  // are checked against the signed assertion too, and real IdPs send Response signatures that no longer verify
  // after a proxy re-serializes the message (the Okta fixture does; node-saml ignores it the same way).
  verifyEnvelopedSignature(assertion, input.idpCertificates);
  const claims = checkAssertionClaims(assertion, { ...input, skewSeconds, responseInResponseTo: response.getAttribute('InResponseTo') || null });
  return { ...claims, ...readSubject(assertion) };
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
  const plain = descendants(doc, NS.assertion, 'Assertion');
  const encrypted = descendants(doc, NS.assertion, 'EncryptedAssertion');
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

async function decryptAssertion(encryptedAssertion: Element, key: string | undefined): Promise<Element> {
  if (!key) {
    throw new SamlError({ reason: 'decryption_failed', message: 'The assertion is encrypted but the connection has no SP encryption key', details: { encryptedToCertificate: encryptionCertificate(encryptedAssertion) } });
  }
  const encryptedData = firstChild(encryptedAssertion, NS.xenc, 'EncryptedData');
  if (!encryptedData) throw new SamlError({ reason: 'decryption_failed', message: 'The EncryptedAssertion holds no EncryptedData' });
  const xml = await new Promise<string>((resolve, reject) => {
    xmlenc.decrypt(encryptedData.toString(), { key, disallowDecryptionWithInsecureAlgorithm: true, warnInsecureAlgorithm: false }, (err, out) => (err ? reject(err) : resolve(out)));
  }).catch((err: unknown) => {
    const error = translateNodeSamlError(err, { encrypted: true });
    // Which certificate the IdP encrypted to, when its KeyInfo says: the Session Details page compares it with the connection's.
    throw new SamlError({ reason: error.reason, message: error.message, expected: error.expected, received: error.received, details: { ...error.details, encryptedToCertificate: encryptionCertificate(encryptedAssertion) } });
  });
  const decrypted = parseUntrustedXml(xml).documentElement;
  if (decrypted.namespaceURI !== NS.assertion || decrypted.localName !== 'Assertion') {
    throw new SamlError({ reason: 'decryption_failed', message: 'The decrypted content is not an assertion' });
  }
  return decrypted;
}

/** The NameID, its format, the session index and the attributes (a string, or an array when multi-valued). */
function readSubject(assertion: Element): Pick<ValidatedSamlResponse, 'nameId' | 'nameIdFormat' | 'sessionIndex' | 'attributes'> {
  const subject = firstChild(assertion, NS.assertion, 'Subject');
  const nameIdElement = subject ? firstChild(subject, NS.assertion, 'NameID') : null;
  if (!nameIdElement) throw new SamlError({ reason: 'invalid_response', message: 'The assertion names no subject (NameID)' });
  const authn = firstChild(assertion, NS.assertion, 'AuthnStatement');
  const attributes: Record<string, string | string[]> = {};
  for (const statement of childElements(assertion, NS.assertion, 'AttributeStatement')) {
    for (const attribute of childElements(statement, NS.assertion, 'Attribute')) {
      const name = attribute.getAttribute('Name');
      if (!name) continue;
      const values = childElements(attribute, NS.assertion, 'AttributeValue')
        .filter((v) => v.getAttributeNS('http://www.w3.org/2001/XMLSchema-instance', 'nil') !== 'true')
        .map((v) => textContentOf(v));
      // Own keys: an attribute Name="constructor" must not find Object's constructor (nor "__proto__" the prototype).
      const previous = Object.hasOwn(attributes, name) ? attributes[name] : undefined;
      const all = [...(previous === undefined ? [] : Array.isArray(previous) ? previous : [previous]), ...values];
      if (all.length) Object.defineProperty(attributes, name, { value: all.length === 1 ? all[0]! : all, enumerable: true, writable: true, configurable: true });
    }
  }
  return {
    nameId: textContentOf(nameIdElement),
    nameIdFormat: nameIdElement.getAttribute('Format') || null,
    sessionIndex: authn?.getAttribute('SessionIndex') || null,
    attributes,
  };
}
