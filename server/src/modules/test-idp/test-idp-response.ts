import { createPublicKey, randomBytes } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { generateSpKeyPair, type SpKeyPair } from '../../lib/sp-keys';

// xml-encryption ships no types.
const xmlenc = require('xml-encryption') as { encrypt(content: string, opts: Record<string, unknown>, cb: (err: Error | null, out: string) => void): void };

/**
 * Builds and signs the test IdP's SAML responses as any IdP would: text, an assertion signed by xml-crypto
 * (enveloped, exc-c14n, RSA-SHA256, KeyInfo with the certificate), optionally encrypted (AES-256-GCM, RSA-OAEP).
 * Each error scenario breaks exactly one thing, so Portico's ordinary ACS validation refuses it for that reason.
 */

export const TEST_IDP_SCENARIOS = ['sign_in', 'idp_initiated', 'outside_domain', 'missing_attributes', 'wrong_certificate', 'expired', 'malformed', 'wrong_encryption'] as const;
export type TestIdpScenario = (typeof TEST_IDP_SCENARIOS)[number];

export interface TestUser {
  email: string;
  firstName: string;
  lastName: string;
  groups: string[];
}

export interface TestResponseInput {
  scenario: TestIdpScenario;
  issuer: string;
  acsUrl: string;
  audience: string;
  /** The AuthnRequest answered; null for an IdP-initiated response. */
  inResponseTo: string | null;
  user: TestUser;
  signingKey: SpKeyPair;
  /** The connection's SP encryption certificate: assertions are encrypted to it when it has one. */
  encryptTo: string | null;
  now?: Date;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const iso = (at: Date, offsetSeconds: number) => new Date(at.getTime() + offsetSeconds * 1000).toISOString();
const xmlId = () => `_${randomBytes(20).toString('hex')}`;

// One throwaway key pair per process for the "wrong certificate" and "wrong encryption key" scenarios.
let strangerKey: Promise<SpKeyPair> | null = null;
export const stranger = () => (strangerKey ??= generateSpKeyPair('Not the test IdP'));

function attributesXml(user: TestUser, scenario: TestIdpScenario): string {
  const values: Record<string, string[]> = { id: [`test-${user.email}`], email: [user.email], groups: user.groups };
  // Missing attributes: the IdP "forgot" to release first and last name, as a half-configured app integration does.
  if (scenario !== 'missing_attributes') Object.assign(values, { firstName: [user.firstName], lastName: [user.lastName] });
  return Object.entries(values)
    .filter(([, v]) => v.length > 0)
    .map(([name, v]) => `<saml:Attribute Name="${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">${v.map((x) => `<saml:AttributeValue>${esc(x)}</saml:AttributeValue>`).join('')}</saml:Attribute>`)
    .join('');
}

function assertionXml(input: TestResponseInput, email: string, at: Date): string {
  const inResponseTo = input.inResponseTo ? ` InResponseTo="${esc(input.inResponseTo)}"` : '';
  return `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${xmlId()}" IssueInstant="${iso(at, 0)}" Version="2.0">`
    + `<saml:Issuer>${esc(input.issuer)}</saml:Issuer>`
    + `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${esc(email)}</saml:NameID>`
    + `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData${inResponseTo} NotOnOrAfter="${iso(at, 300)}" Recipient="${esc(input.acsUrl)}"/></saml:SubjectConfirmation></saml:Subject>`
    + `<saml:Conditions NotBefore="${iso(at, -60)}" NotOnOrAfter="${iso(at, 300)}"><saml:AudienceRestriction><saml:Audience>${esc(input.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>`
    + `<saml:AuthnStatement AuthnInstant="${iso(at, 0)}" SessionIndex="${xmlId()}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`
    + `<saml:AttributeStatement>${attributesXml({ ...input.user, email }, input.scenario)}</saml:AttributeStatement>`
    + `</saml:Assertion>`;
}

function signAssertion(xml: string, key: SpKeyPair): string {
  const sig = new SignedXml({
    privateKey: key.privateKey, publicCert: key.certificate,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  sig.addReference({
    xpath: `//*[local-name(.)='Assertion']`,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  sig.computeSignature(xml, { prefix: 'ds', location: { reference: `//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']`, action: 'after' } });
  return sig.getSignedXml();
}

function encryptAssertion(signed: string, certificate: string): Promise<string> {
  return new Promise((resolve, reject) => {
    xmlenc.encrypt(signed, {
      rsa_pub: createPublicKey(certificate).export({ type: 'spki', format: 'pem' }), pem: certificate,
      encryptionAlgorithm: 'http://www.w3.org/2009/xmlenc11#aes256-gcm', keyEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
      disallowEncryptionWithInsecureAlgorithm: true,
    }, (err, out) => (err ? reject(err) : resolve(`<saml:EncryptedAssertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${out}</saml:EncryptedAssertion>`)));
  });
}

/** The user a scenario signs in: "outside the organization" swaps the email's domain for one no organization lists. */
function emailFor(input: TestResponseInput): string {
  return input.scenario === 'outside_domain' ? `${input.user.email.split('@')[0]}@outside-organization.example` : input.user.email;
}

/** The base64 SAMLResponse the browser POSTs to Portico's ACS for `input.scenario`. */
export async function buildTestResponse(input: TestResponseInput): Promise<string> {
  const now = input.now ?? new Date();
  // Expired: issued an hour ago, valid for five minutes then, far beyond any clock skew allowance.
  const at = input.scenario === 'expired' ? new Date(now.getTime() - 3600_000) : now;
  const signingKey = input.scenario === 'wrong_certificate' ? await stranger() : input.signingKey;
  let assertion = signAssertion(assertionXml(input, emailFor(input), at), signingKey);
  const encryptTo = input.scenario === 'wrong_encryption' ? (await stranger()).certificate : input.encryptTo;
  if (encryptTo) assertion = await encryptAssertion(assertion, encryptTo);
  const inResponseTo = input.inResponseTo ? ` InResponseTo="${esc(input.inResponseTo)}"` : '';
  let response = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${xmlId()}" Version="2.0" IssueInstant="${iso(at, 0)}" Destination="${esc(input.acsUrl)}"${inResponseTo}>`
    + `<saml:Issuer>${esc(input.issuer)}</saml:Issuer>`
    + `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>`
    + assertion
    + `</samlp:Response>`;
  // Malformed: the response is cut off before its end, as a proxy that truncates form posts would leave it.
  if (input.scenario === 'malformed') response = response.slice(0, response.lastIndexOf('</saml'));
  return Buffer.from(response, 'utf8').toString('base64');
}
