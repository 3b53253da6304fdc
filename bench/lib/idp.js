'use strict';
// An independent SAML signer for the benchmark (xml-crypto, as the tests use): realistic ~8 KB responses.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { SignedXml } = require('xml-crypto');
const { SERVER } = require('./harness');

const KEYS = path.join(SERVER, 'test', 'fixtures', 'saml-keys');
const key = fs.readFileSync(path.join(KEYS, 'idp.key.pem'), 'utf8');
const cert = fs.readFileSync(path.join(KEYS, 'idp.cert.pem'), 'utf8');
const ENTITY_ID = 'https://idp.bench.example.com/saml';
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

function metadataXml() {
  const body = cert.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${ENTITY_ID}"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">`
    + `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${body}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`
    + `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.bench.example.com/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>`;
}

/** An IdP-initiated response for user `i`, signed (assertion), about 8 KB like a real Okta or Entra response. */
function signedResponse({ acsUrl, spEntityId }, i, now = new Date()) {
  const at = (s) => new Date(now.getTime() + s * 1000).toISOString();
  const email = `user${i}@acme.com`;
  const attributes = { id: `00u${i}`, email, firstName: 'Bench', lastName: `User ${i}`, groups: Array.from({ length: 20 }, (_, g) => `Engineering Group ${g} – Platform`) };
  for (let a = 0; a < 12; a += 1) attributes[`custom_attribute_${a}`] = `value ${a} for ${email} – ${'x'.repeat(40)}`;
  const attrs = Object.entries(attributes).map(([n, v]) => `<saml:Attribute Name="${n}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">${(Array.isArray(v) ? v : [v]).map((x) => `<saml:AttributeValue>${esc(x)}</saml:AttributeValue>`).join('')}</saml:Attribute>`).join('');
  const assertion = `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a${crypto.randomBytes(16).toString('hex')}" IssueInstant="${at(0)}" Version="2.0"><saml:Issuer>${ENTITY_ID}</saml:Issuer>`
    + `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${email}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${at(600)}" Recipient="${esc(acsUrl)}"/></saml:SubjectConfirmation></saml:Subject>`
    + `<saml:Conditions NotBefore="${at(-60)}" NotOnOrAfter="${at(600)}"><saml:AudienceRestriction><saml:Audience>${esc(spEntityId)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>`
    + `<saml:AuthnStatement AuthnInstant="${at(0)}" SessionIndex="_s${i}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`
    + `<saml:AttributeStatement>${attrs}</saml:AttributeStatement></saml:Assertion>`;
  const sig = new SignedXml({ privateKey: key, publicCert: cert, signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#' });
  sig.addReference({ xpath: "//*[local-name(.)='Assertion']", transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'], digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256' });
  sig.computeSignature(assertion, { prefix: 'ds', location: { reference: "//*[local-name(.)='Issuer']", action: 'after' } });
  const xml = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r${crypto.randomBytes(16).toString('hex')}" Version="2.0" IssueInstant="${at(0)}" Destination="${esc(acsUrl)}">`
    + `<saml:Issuer>${ENTITY_ID}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>${sig.getSignedXml()}</samlp:Response>`;
  return Buffer.from(xml).toString('base64');
}

module.exports = { metadataXml, signedResponse, cert, ENTITY_ID };
