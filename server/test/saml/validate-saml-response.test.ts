import { SamlError, type SamlErrorReason } from '../../src/auth/saml/saml-error';
import { validateSamlResponse } from '../../src/auth/saml/validate-saml-response';
import { ACS_URL, assertionXml, b64, encryptAssertion, IDP_ENTITY_ID, inputFor, iso, keys, NOW, REQUEST_ID, responseXml, signAssertion, signResponse, SP_ENTITY_ID } from './forge';

async function refusal(input: Parameters<typeof validateSamlResponse>[0]): Promise<SamlError> {
  const outcome = await validateSamlResponse(input).then(() => null, (e: unknown) => e);
  if (!(outcome instanceof SamlError)) throw new Error(`expected a SamlError, got ${outcome === null ? 'an accepted response' : String(outcome)}`);
  return outcome;
}

async function expectRefused(xml: string, reason: SamlErrorReason, overrides: Record<string, unknown> = {}) {
  const error = await refusal(inputFor(xml, overrides));
  expect(error.reason).toBe(reason);
  return error;
}

const signedAssertion = (spec: Parameters<typeof assertionXml>[0] = {}) => signAssertion(assertionXml({ id: '_signed', ...spec }));
const evilAssertion = () => assertionXml({ id: '_evil', nameId: 'mallory@evil.example' });

describe('validateSamlResponse: accepted responses', () => {
  it('accepts a response whose assertion is signed by the connection’s certificate, and reads the signed claims', async () => {
    const result = await validateSamlResponse(inputFor(responseXml({ assertionXml: signedAssertion({ attributes: { email: 'ada@acme.com', groups: ['eng', 'admins'] } }) })));
    expect(result).toMatchObject({ nameId: 'ada@acme.com', issuer: IDP_ENTITY_ID, assertionId: '_signed', inResponseTo: REQUEST_ID, sessionIndex: '_session_1' });
    expect(result.attributes).toEqual({ email: 'ada@acme.com', groups: ['eng', 'admins'] });
    expect(result.assertionExpiresAt.toISOString()).toBe(new Date(NOW.getTime() + 360_000).toISOString());
  });

  it('accepts a response signed as a whole as well as in its assertion', async () => {
    const xml = signResponse(responseXml({ assertionXml: signedAssertion() }));
    expect((await validateSamlResponse(inputFor(xml))).nameId).toBe('ada@acme.com');
  });

  it('accepts an IdP-initiated response (no InResponseTo) when no request was sent', async () => {
    const xml = responseXml({ inResponseTo: null, assertionXml: signedAssertion({ inResponseTo: null }) });
    expect((await validateSamlResponse(inputFor(xml, { expectedInResponseTo: null }))).inResponseTo).toBeNull();
  });

  it('accepts a certificate rotation: any one of the connection’s certificates', async () => {
    const xml = responseXml({ assertionXml: signedAssertion() });
    await expect(validateSamlResponse(inputFor(xml, { idpCertificates: [keys.otherIdp.cert, keys.idp.cert] }))).resolves.toMatchObject({ nameId: 'ada@acme.com' });
  });

  it('accepts times inside the clock skew and refuses them just outside', async () => {
    const late = responseXml({ assertionXml: signedAssertion({ notOnOrAfter: iso(-30) }) });
    await expect(validateSamlResponse(inputFor(late, { clockSkewSeconds: 60 }))).resolves.toBeDefined();
    expect((await refusal(inputFor(late, { clockSkewSeconds: 10 }))).reason).toBe('expired');
  });

  it.each(['cbc', 'gcm'] as const)('decrypts an assertion encrypted with AES-256-%s to the SP certificate', async (mode) => {
    const xml = responseXml({ assertionXml: await encryptAssertion(signedAssertion(), mode) });
    const result = await validateSamlResponse(inputFor(xml, { decryptionKey: keys.sp.key }));
    expect(result).toMatchObject({ nameId: 'ada@acme.com', assertionId: '_signed' });
  });
});

describe('validateSamlResponse: signature wrapping (XSW) and structure', () => {
  it('refuses XSW1/2: the signed response copied inside an evil response', async () => {
    const original = signResponse(responseXml({ assertionXml: signedAssertion() }));
    const xml = responseXml({ assertionXml: `${evilAssertion()}<samlp:Extensions>${original}</samlp:Extensions>` });
    await expectRefused(xml, 'multiple_assertions');
  });

  it('refuses XSW3: an evil assertion placed before the signed one', async () => {
    await expectRefused(responseXml({ assertionXml: evilAssertion() + signedAssertion() }), 'multiple_assertions');
  });

  it('refuses XSW4: the signed assertion wrapped inside an evil one', async () => {
    const wrapped = evilAssertion().replace('</saml:Assertion>', `${signedAssertion()}</saml:Assertion>`);
    await expectRefused(responseXml({ assertionXml: wrapped }), 'multiple_assertions');
  });

  it('refuses XSW5/6/8: an evil assertion carrying the copied signature, the original tucked into its Object', async () => {
    const signed = signedAssertion();
    const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signed)![0];
    const evil = evilAssertion().replace('</saml:Issuer>', `</saml:Issuer>${signature.replace('</ds:Signature>', `<ds:Object>${signed}</ds:Object></ds:Signature>`)}`);
    await expectRefused(responseXml({ assertionXml: evil }), 'multiple_assertions');
  });

  it('refuses XSW7: the signed assertion moved into Extensions and an evil one in its place (node-saml alone accepts this)', async () => {
    await expectRefused(responseXml({ assertionXml: `<samlp:Extensions>${signedAssertion()}</samlp:Extensions>${evilAssertion()}` }), 'multiple_assertions');
  });

  it('refuses a lone signed assertion that is not a direct child of the Response', async () => {
    await expectRefused(responseXml({ assertionXml: `<samlp:Extensions>${signedAssertion()}</samlp:Extensions>` }), 'assertion_misplaced');
  });

  it('refuses an assertion altered after signing', async () => {
    const tampered = signedAssertion().replace('ada@acme.com</saml:NameID>', 'mallory@evil.example</saml:NameID>');
    await expectRefused(responseXml({ assertionXml: tampered }), 'signature_invalid');
  });

  it('refuses a NameID with a comment in it (truncation attack)', async () => {
    const xml = responseXml({ assertionXml: signAssertion(assertionXml({ nameIdXml: 'mallory@evil.example<!---->.acme.com' })) });
    await expectRefused(xml, 'comment_in_assertion');
  });

  it('refuses a response where neither the assertion nor the Response is signed', async () => {
    const error = await expectRefused(responseXml({ assertionXml: assertionXml() }), 'unsigned');
    expect(error.message).toMatch(/Neither the assertion nor the response is signed/);
  });

  it('refuses a response with no assertion', async () => {
    await expectRefused(responseXml({ assertionXml: '' }), 'missing_assertion');
  });
});

// Shibboleth IdP signs the Response, not the assertion, by default; the Response signature then protects the one
// assertion it holds, under the same profile as an assertion signature.
describe('validateSamlResponse: a signature on the Response only', () => {
  const unsignedAssertion = (spec: Parameters<typeof assertionXml>[0] = {}) => assertionXml({ id: '_assertion', ...spec });
  const responseSigned = (spec: Parameters<typeof assertionXml>[0] = {}) => signResponse(responseXml({ id: '_response', assertionXml: unsignedAssertion(spec) }));
  /** The ds:Signature of a Response-signed message, to move it around. */
  const signatureOf = (xml: string) => /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(xml)![0];

  it('accepts it, and reads the claims of the assertion it covers', async () => {
    const result = await validateSamlResponse(inputFor(responseSigned({ attributes: { email: 'ada@acme.com', groups: ['eng', 'ops'] } })));
    expect(result).toMatchObject({ nameId: 'ada@acme.com', assertionId: '_assertion', inResponseTo: REQUEST_ID });
    expect(result.attributes).toEqual({ email: 'ada@acme.com', groups: ['eng', 'ops'] });
  });

  it('accepts it with an encrypted assertion (Shibboleth’s default: sign the response, encrypt the assertion)', async () => {
    const xml = signResponse(responseXml({ id: '_response', assertionXml: await encryptAssertion(unsignedAssertion(), 'gcm') }));
    await expect(validateSamlResponse(inputFor(xml, { decryptionKey: keys.sp.key, requireEncryptedAssertion: true }))).resolves.toMatchObject({ nameId: 'ada@acme.com' });
  });

  it('refuses it when the connection requires signed assertions', async () => {
    const error = await expectRefused(responseSigned(), 'unsigned', { requireSignedAssertion: true });
    expect(error.message).toMatch(/requires signed assertions/);
    // A signed assertion still passes the same connection.
    await expect(validateSamlResponse(inputFor(responseXml({ assertionXml: signedAssertion() }), { requireSignedAssertion: true }))).resolves.toBeDefined();
  });

  it('refuses a Response signature by another certificate, or that does not verify', async () => {
    await expectRefused(signResponse(responseXml({ assertionXml: unsignedAssertion() }), { key: keys.otherIdp.key, cert: keys.otherIdp.cert }), 'certificate_mismatch');
    // With the assertion unsigned, a Response signature that does not verify leaves nothing signed over it: `unsigned`,
    // as the fixtures' README wants for Okta's stripped assertion, with the Response signature's failure as the cause.
    await expectRefused(signResponse(responseXml({ assertionXml: unsignedAssertion() }), { key: keys.otherIdp.key, cert: keys.idp.cert }), 'unsigned');
    await expectRefused(signResponse(responseXml({ assertionXml: unsignedAssertion() }), { algorithm: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1' }), 'unsupported_signature_algorithm');
  });

  it('refuses the assertion altered after the Response was signed', async () => {
    const error = await expectRefused(responseSigned().replace('ada@acme.com</saml:NameID>', 'mallory@evil.example</saml:NameID>'), 'unsigned');
    expect(error.received).toMatch(/Response signature: the digest does not match/);
  });

  it('refuses the signed assertion moved out of the Response into Extensions, an evil one in its place', async () => {
    const signed = responseSigned();
    const original = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(signed)![0];
    await expectRefused(signed.replace(original, `<samlp:Extensions>${original}</samlp:Extensions>`), 'assertion_misplaced');
    await expectRefused(signed.replace(original, `<samlp:Extensions>${original}</samlp:Extensions>${evilAssertion()}`), 'multiple_assertions');
  });

  it.each([
    ['before', (signed: string) => signed.replace('<saml:Assertion ', `${evilAssertion()}<saml:Assertion `)],
    ['after', (signed: string) => signed.replace('</samlp:Response>', `${evilAssertion()}</samlp:Response>`)],
    ['inside Extensions', (signed: string) => signed.replace('<samlp:Status>', `<samlp:Extensions>${evilAssertion()}</samlp:Extensions><samlp:Status>`)],
  ])('refuses a second assertion injected %s the signed one', async (_where, inject) => {
    await expectRefused(inject(responseSigned()), 'multiple_assertions');
  });

  it('refuses the signed Response wrapped inside another Response', async () => {
    const signed = responseSigned();
    // Alone inside an unsigned outer Response: its assertion is no longer a child of the Response that is read.
    await expectRefused(responseXml({ assertionXml: signed.replace(/^<\?xml[^>]*>/, '') }), 'assertion_misplaced');
    // With the copied signature on the outer Response and an evil assertion beside the original.
    const outer = responseXml({ id: '_response', assertionXml: evilAssertion() }).replace('</saml:Issuer>', `</saml:Issuer>${signatureOf(signed)}`);
    await expectRefused(outer.replace('</samlp:Response>', `<samlp:Extensions>${signed}</samlp:Extensions></samlp:Response>`), 'multiple_assertions');
    // The copied signature over an evil Response that reuses the signed Response's ID: its digest fails, so nothing
    // signed covers the (evil, unsigned) assertion.
    await expectRefused(outer, 'unsigned');
  });

  it('refuses a duplicated ID: the signed Response ID, or the assertion ID, given to another element', async () => {
    const signed = responseSigned();
    await expectRefused(signed.replace('<samlp:Status>', '<samlp:Extensions><x:Decoy xmlns:x="urn:x" ID="_response"/></samlp:Extensions><samlp:Status>'), 'signature_invalid');
    const withDecoy = signResponse(responseXml({ id: '_response', assertionXml: unsignedAssertion() }).replace('<samlp:Status>', '<samlp:Extensions><x:Decoy xmlns:x="urn:x" ID="_assertion"/></samlp:Extensions><samlp:Status>'));
    await expectRefused(withDecoy, 'signature_invalid');
  });

  it('refuses a Response signature whose Reference points at the assertion instead of the Response', async () => {
    const signedAssertionXml = signAssertion(unsignedAssertion());
    const signature = signatureOf(signedAssertionXml);
    const xml = responseXml({ id: '_response', assertionXml: unsignedAssertion() }).replace('</saml:Issuer>', `</saml:Issuer>${signature}`);
    await expectRefused(xml, 'signature_invalid');
  });
});

describe('validateSamlResponse: XML hazards', () => {
  it('refuses a DOCTYPE even with an unused entity (node-saml alone accepts it)', async () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY unused "x">]>${responseXml()}`;
    await expectRefused(xml, 'dtd_not_allowed');
  });

  it('refuses an XXE payload before anything reads the file', async () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${responseXml({ issuer: '&xxe;' })}`;
    await expectRefused(xml, 'dtd_not_allowed');
  });

  it.each([
    ['not base64', '%%%not-base64%%%', 'not_base64'],
    ['not XML', b64('hello, world'), 'not_xml'],
    ['truncated XML', b64(responseXml().slice(0, 200)), 'not_xml'],
    ['another XML document', b64('<html><body>login</body></html>'), 'not_a_saml_response'],
    ['base64 with a character outside the alphabet', `${b64(responseXml()).slice(0, 40)}*${b64(responseXml()).slice(41)}`, 'not_base64'],
    ['base64 padded in the middle', `${b64('<a/>')}${b64('<b/>')}`, 'not_base64'],
    ['bytes that are not UTF-8', Buffer.from([0x3c, 0x61, 0xff, 0x3e]).toString('base64'), 'not_utf8'],
  ] as const)('refuses %s', async (_label, samlResponse, reason) => {
    expect((await refusal({ ...inputFor(''), samlResponse })).reason).toBe(reason);
  });

  it('accepts the base64 wrapped at 76 characters with CRLF, as some IdPs and proxies post it', async () => {
    const input = inputFor(responseXml({ assertionXml: signAssertion(assertionXml({ id: '_wrapped' })) }));
    await expect(validateSamlResponse({ ...input, samlResponse: input.samlResponse.replace(/.{76}/g, '$&\r\n') })).resolves.toMatchObject({ assertionId: '_wrapped' });
  });

  it('refuses an IdP error status, keeping the status it sent', async () => {
    const error = await expectRefused(responseXml({ status: 'urn:oasis:names:tc:SAML:2.0:status:Responder' }), 'idp_error_status');
    expect(error.received).toBe('urn:oasis:names:tc:SAML:2.0:status:Responder');
  });
});

describe('validateSamlResponse: certificates and algorithms', () => {
  it('refuses a response signed by another certificate, as Invalid X509 Certificate with both fingerprints', async () => {
    const xml = responseXml({ assertionXml: signAssertion(assertionXml(), { key: keys.otherIdp.key, cert: keys.otherIdp.cert }) });
    const error = await expectRefused(xml, 'certificate_mismatch');
    expect(error.dashboardError).toBe('INVALID_X509_CERTIFICATE');
    expect(error.received).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(error.expected).toEqual([expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)]);
    expect(error.details).toMatchObject({ receivedCertificate: { subject: expect.stringContaining('portico-test-other-idp') } });
  });

  it('refuses another key that claims the connection’s certificate in KeyInfo: the signature fails', async () => {
    const xml = responseXml({ assertionXml: signAssertion(assertionXml(), { key: keys.otherIdp.key, cert: keys.idp.cert }) });
    await expectRefused(xml, 'signature_invalid');
  });

  it('refuses a signature that names no certificate', async () => {
    await expectRefused(responseXml({ assertionXml: signAssertion(assertionXml(), { cert: null }) }), 'signature_missing_certificate');
  });

  it('refuses a signature by the connection’s certificate once it has expired (node-saml alone accepts it)', async () => {
    const xml = responseXml({ assertionXml: signAssertion(assertionXml(), { key: keys.expiredIdp.key, cert: keys.expiredIdp.cert }) });
    const error = await expectRefused(xml, 'certificate_expired', { idpCertificates: [keys.expiredIdp.cert] });
    expect(error.received).toBe('expired at 2021-01-01T00:00:00.000Z');
  });

  it('refuses RSA-SHA1 signatures and SHA-1 digests', async () => {
    await expectRefused(responseXml({ assertionXml: signAssertion(assertionXml(), { algorithm: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1' }) }), 'unsupported_signature_algorithm');
    await expectRefused(responseXml({ assertionXml: signAssertion(assertionXml(), { digest: 'http://www.w3.org/2000/09/xmldsig#sha1' }) }), 'unsupported_digest_algorithm');
  });

  it('files an undecryptable assertion under Decryption Failed: wrong key, or no key', async () => {
    const xml = responseXml({ assertionXml: await encryptAssertion(signedAssertion(), 'gcm', keys.otherIdp.cert) });
    const wrongKey = await refusal(inputFor(xml, { decryptionKey: keys.sp.key }));
    expect([wrongKey.reason, wrongKey.dashboardError]).toEqual(['decryption_failed', 'DECRYPTION_FAILED']);
    expect((await refusal(inputFor(xml))).reason).toBe('decryption_failed');
  });

  it('refuses a plain assertion when encryption is required, before any other check, and still accepts an encrypted one', async () => {
    const error = await expectRefused(responseXml({ assertionXml: signedAssertion() }), 'assertion_not_encrypted', { requireEncryptedAssertion: true, decryptionKey: keys.sp.key });
    expect(error).toMatchObject({ dashboardError: 'MALFORMED_SAML_RESPONSE', expected: 'an EncryptedAssertion', received: 'a plain Assertion' });
    expect(error.message).toMatch(/SP certificate shown on the connection page/);
    await expectRefused(responseXml({ assertionXml: assertionXml() }), 'assertion_not_encrypted', { requireEncryptedAssertion: true });
    const encrypted = responseXml({ assertionXml: await encryptAssertion(signedAssertion(), 'gcm') });
    await expect(validateSamlResponse(inputFor(encrypted, { requireEncryptedAssertion: true, decryptionKey: keys.sp.key }))).resolves.toMatchObject({ nameId: 'ada@acme.com' });
  });

  it('checks an encrypted assertion like a plain one: unsigned, another certificate, SHA-1', async () => {
    const encrypted = async (assertion: string) => responseXml({ assertionXml: await encryptAssertion(assertion, 'gcm') });
    await expectRefused(await encrypted(assertionXml()), 'unsigned', { decryptionKey: keys.sp.key });
    await expectRefused(await encrypted(signAssertion(assertionXml(), { key: keys.otherIdp.key, cert: keys.otherIdp.cert })), 'certificate_mismatch', { decryptionKey: keys.sp.key });
    await expectRefused(await encrypted(signAssertion(assertionXml(), { algorithm: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1' })), 'unsupported_signature_algorithm', { decryptionKey: keys.sp.key });
    await expectRefused(await encrypted(signAssertion(assertionXml({ nameIdXml: 'a@evil.example<!---->.acme.com' }))), 'comment_in_assertion', { decryptionKey: keys.sp.key });
  });
});

describe('validateSamlResponse: who, for whom, when', () => {
  it('refuses another issuer on the Response, and on the Assertion, naming both values', async () => {
    const onResponse = await expectRefused(responseXml({ issuer: 'https://evil.example/idp', assertionXml: signedAssertion() }), 'invalid_issuer');
    expect(onResponse).toMatchObject({ expected: IDP_ENTITY_ID, received: 'https://evil.example/idp' });
    const onAssertion = await expectRefused(responseXml({ issuer: null, assertionXml: signedAssertion({ issuer: 'https://evil.example/idp' }) }), 'invalid_issuer');
    expect(onAssertion.received).toBe('https://evil.example/idp');
  });

  it('refuses another audience, and a missing one', async () => {
    const other = await expectRefused(responseXml({ assertionXml: signedAssertion({ audience: 'https://other-sp.example' }) }), 'invalid_audience');
    expect(other).toMatchObject({ expected: SP_ENTITY_ID, received: 'https://other-sp.example' });
    await expectRefused(responseXml({ assertionXml: signedAssertion({ audience: null }) }), 'invalid_audience');
  });

  it('refuses another Destination (node-saml alone accepts it), and another Recipient', async () => {
    const destination = await expectRefused(responseXml({ destination: 'https://other-sp.example/acs', assertionXml: signedAssertion() }), 'invalid_destination');
    expect(destination).toMatchObject({ expected: ACS_URL, received: 'https://other-sp.example/acs' });
    await expectRefused(responseXml({ assertionXml: signedAssertion({ recipient: 'https://other-sp.example/acs' }) }), 'invalid_recipient');
  });

  describe('the bearer SubjectConfirmation (SAML 2.0 Profiles §4.1.4.2–4.1.4.3)', () => {
    const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
    /** The signed assertion with its SubjectConfirmation elements replaced by `confirmations` (before signing). */
    const confirmedBy = (confirmations: string, spec: Parameters<typeof assertionXml>[0] = {}) =>
      signAssertion(assertionXml({ id: '_confirmed', ...spec }).replace(/<saml:SubjectConfirmation [\s\S]*<\/saml:SubjectConfirmation>/, confirmations));
    const data = (attrs: string) => `<saml:SubjectConfirmationData ${attrs}/>`;
    const bearer = (inner: string) => `<saml:SubjectConfirmation Method="${BEARER}">${inner}</saml:SubjectConfirmation>`;
    const window = `NotOnOrAfter="${iso(300)}"`;
    const answers = `InResponseTo="${REQUEST_ID}"`;

    it.each([
      ['no SubjectConfirmation at all', '', /a bearer SubjectConfirmation/],
      ['only a holder-of-key confirmation', `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:holder-of-key">${data(`${answers} ${window} Recipient="${ACS_URL}"`)}</saml:SubjectConfirmation>`, /a bearer SubjectConfirmation/],
      ['a bearer confirmation without SubjectConfirmationData', bearer(''), /SubjectConfirmationData/],
      ['bearer data without Recipient', bearer(data(`${answers} ${window}`)), /Recipient/],
      ['bearer data with an empty Recipient', bearer(data(`${answers} ${window} Recipient=""`)), /Recipient/],
      ['bearer data without NotOnOrAfter (the Conditions have one)', bearer(data(`${answers} Recipient="${ACS_URL}"`)), /NotOnOrAfter/],
    ])('refuses an assertion whose bearer confirmation is missing: %s', async (_label, confirmations, says) => {
      const error = await expectRefused(responseXml({ assertionXml: confirmedBy(confirmations) }), 'missing_subject_confirmation');
      expect(error.message).toMatch(says);
      expect(error.expected).toContain(`Recipient="${ACS_URL}"`);
    });

    it('refuses a Recipient other than this connection’s ACS URL, naming both', async () => {
      const error = await expectRefused(responseXml({ assertionXml: confirmedBy(bearer(data(`${answers} ${window} Recipient="${ACS_URL}/other"`))) }), 'invalid_recipient');
      expect(error).toMatchObject({ expected: ACS_URL, received: `${ACS_URL}/other` });
    });

    it('refuses a confirmation InResponseTo other than the request’s, even when the Response’s matches', async () => {
      const error = await expectRefused(responseXml({ assertionXml: confirmedBy(bearer(data(`InResponseTo="_another" ${window} Recipient="${ACS_URL}"`))) }), 'invalid_in_response_to');
      expect(error).toMatchObject({ expected: REQUEST_ID, received: '_another' });
    });

    it('refuses an expired bearer confirmation even inside the Conditions’ window', async () => {
      const error = await expectRefused(responseXml({ assertionXml: confirmedBy(bearer(data(`${answers} NotOnOrAfter="${iso(-120)}" Recipient="${ACS_URL}"`))) }), 'expired');
      expect(error.details).toMatchObject({ subjectNotOnOrAfter: iso(-120) });
    });

    it('accepts one complete bearer confirmation beside another method’s, and an unsolicited one without InResponseTo', async () => {
      const senderVouches = '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:sender-vouches"/>';
      await expect(validateSamlResponse(inputFor(responseXml({ assertionXml: confirmedBy(senderVouches + bearer(data(`${answers} ${window} Recipient="${ACS_URL}"`))) })))).resolves.toBeTruthy();
      const unsolicited = responseXml({ inResponseTo: null, assertionXml: confirmedBy(bearer(data(`${window} Recipient="${ACS_URL}"`)), { inResponseTo: null }) });
      await expect(validateSamlResponse(inputFor(unsolicited, { expectedInResponseTo: null }))).resolves.toBeTruthy();
    });
  });

  it('refuses an answer to another request, an unsolicited answer that claims a request, and a missing InResponseTo', async () => {
    const other = await expectRefused(responseXml({ inResponseTo: '_other', assertionXml: signedAssertion({ inResponseTo: '_other' }) }), 'invalid_in_response_to');
    expect(other).toMatchObject({ expected: REQUEST_ID, received: '_other' });
    await expectRefused(responseXml({ assertionXml: signedAssertion() }), 'invalid_in_response_to', { expectedInResponseTo: null });
    await expectRefused(responseXml({ inResponseTo: null, assertionXml: signedAssertion({ inResponseTo: null }) }), 'invalid_in_response_to');
  });

  it('refuses an expired assertion and a not-yet-valid one, with the times and the skew', async () => {
    const expired = await expectRefused(responseXml({ assertionXml: signedAssertion({ notOnOrAfter: iso(-600) }) }), 'expired');
    expect(expired.details).toMatchObject({ now: NOW.toISOString(), notOnOrAfter: iso(-600), clockSkewSeconds: 60 });
    const early = await expectRefused(responseXml({ assertionXml: signedAssertion({ notBefore: iso(600) }) }), 'not_yet_valid');
    expect(early.message).toMatch(/600 s from now/);
  });

  describe('the replay memory covers every time the assertion is acceptable', () => {
    /** The signed assertion with its times rewritten before signing: `conditions` and `confirmation` NotOnOrAfter (null: none). */
    const timed = (conditions: string | null, confirmation: string | null, extra: (xml: string) => string = (x) => x) => {
      const xml = assertionXml({ id: '_timed', notOnOrAfter: 'CONDITIONS' })
        .replace(/NotOnOrAfter="CONDITIONS"(?=[^>]*Recipient)/, confirmation === null ? '' : `NotOnOrAfter="${confirmation}"`)
        .replace(/NotOnOrAfter="CONDITIONS"/, conditions === null ? '' : `NotOnOrAfter="${conditions}"`);
      return responseXml({ assertionXml: signAssertion(extra(xml)) });
    };

    it('remembers the ID until the subject confirmation ends when the Conditions carry no NotOnOrAfter', async () => {
      const result = await validateSamlResponse(inputFor(timed(null, iso(3600))));
      expect(result.assertionExpiresAt.toISOString()).toBe(new Date(NOW.getTime() + 3_660_000).toISOString());
    });

    it('remembers the ID until the later of the two ends', async () => {
      expect((await validateSamlResponse(inputFor(timed(iso(300), iso(900))))).assertionExpiresAt.toISOString()).toBe(iso(960));
      expect((await validateSamlResponse(inputFor(timed(iso(900), iso(300))))).assertionExpiresAt.toISOString()).toBe(iso(960));
    });

    it('refuses an assertion that never expires (no NotOnOrAfter anywhere): its bearer confirmation lacks one', async () => {
      const error = await expectRefused(timed(null, null), 'missing_subject_confirmation');
      expect(error.message).toMatch(/NotOnOrAfter/);
    });

    it.each([
      ['a NotOnOrAfter that is not a time', timed('soon', iso(300))],
      ['a subject confirmation NotOnOrAfter that is not a time', timed(iso(300), 'never')],
      ['a NotBefore that is not a time', timed(iso(300), iso(300), (x) => x.replace(/NotBefore="[^"]*"/, 'NotBefore="yesterday"'))],
    ])('refuses %s, naming it (it used to compare as NaN: never expired)', async (_label, xml) => {
      const error = await expectRefused(xml, 'invalid_response');
      expect(error.message).toMatch(/NotOnOrAfter|NotBefore/);
    });

    it('reads a time without a zone as UTC, as SAML requires', async () => {
      const noZone = iso(900).replace(/Z$/, '');
      expect((await validateSamlResponse(inputFor(timed(noZone, iso(300))))).assertionExpiresAt.toISOString()).toBe(iso(960));
    });
  });

  it('bounds the clock skew at five minutes whatever the connection asks', async () => {
    const xml = responseXml({ assertionXml: signedAssertion({ notOnOrAfter: iso(-400) }) });
    const error = await expectRefused(xml, 'expired', { clockSkewSeconds: 86_400 });
    expect(error.details).toMatchObject({ clockSkewSeconds: 300 });
  });
});
