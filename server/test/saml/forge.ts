import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SignedXml } from 'xml-crypto';
// xml-encryption ships no types.
const xmlenc = require('xml-encryption') as { encrypt(content: string, opts: Record<string, unknown>, cb: (err: Error | null, out: string) => void): void };

/**
 * An independent SAML signer for tests: responses are built as text and signed with xml-crypto and
 * encrypted with xml-encryption, never by node-saml, so the validator is not checked against itself.
 */
const KEYS = path.resolve(__dirname, '../fixtures/saml-keys');
const read = (name: string) => fs.readFileSync(path.join(KEYS, name), 'utf8');

export const keys = {
  idp: { key: read('idp.key.pem'), cert: read('idp.cert.pem') },
  otherIdp: { key: read('other-idp.key.pem'), cert: read('other-idp.cert.pem') },
  expiredIdp: { key: read('expired-idp.key.pem'), cert: read('expired-idp.cert.pem') },
  sp: { key: read('sp.key.pem'), cert: read('sp.cert.pem') },
};

export const IDP_ENTITY_ID = 'https://idp.example.com/saml/metadata';
export const SP_ENTITY_ID = 'https://portico.test/sso/saml/metadata/conn_01TEST';
export const ACS_URL = 'https://portico.test/sso/saml/acs/conn_01TEST';
export const REQUEST_ID = '_portico_request_1';
export const NOW = new Date('2026-06-01T12:00:00.000Z');

const iso = (offsetSeconds: number, base: Date = NOW) => new Date(base.getTime() + offsetSeconds * 1000).toISOString();
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

export interface AssertionSpec {
  /** The instant the IdP issues at (default NOW); validity windows are relative to it. */
  now?: Date;
  id?: string;
  issuer?: string;
  audience?: string | null;
  recipient?: string;
  inResponseTo?: string | null;
  nameId?: string;
  /** Raw XML placed inside <NameID> (for comment injection). */
  nameIdXml?: string;
  notBefore?: string;
  notOnOrAfter?: string;
  attributes?: Record<string, string | string[]>;
}

export interface ResponseSpec {
  now?: Date;
  id?: string;
  issuer?: string | null;
  destination?: string | null;
  inResponseTo?: string | null;
  status?: string;
  /** Replaces the assertion (already signed or encrypted XML). */
  assertionXml?: string;
}

export function assertionXml(spec: AssertionSpec = {}): string {
  const at = spec.now ?? NOW;
  const id = spec.id ?? `_a${crypto.randomBytes(10).toString('hex')}`;
  const inResponseTo = spec.inResponseTo === undefined ? REQUEST_ID : spec.inResponseTo;
  const attributes = Object.entries(spec.attributes ?? { email: 'ada@acme.com', firstName: 'Ada', lastName: 'Lovelace' })
    .map(([name, value]) => `<saml:Attribute Name="${esc(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">${(Array.isArray(value) ? value : [value]).map((v) => `<saml:AttributeValue>${esc(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`)
    .join('');
  const audience = spec.audience === null ? '' : `<saml:AudienceRestriction><saml:Audience>${esc(spec.audience ?? SP_ENTITY_ID)}</saml:Audience></saml:AudienceRestriction>`;
  return `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" IssueInstant="${iso(0, at)}" Version="2.0">`
    + `<saml:Issuer>${esc(spec.issuer ?? IDP_ENTITY_ID)}</saml:Issuer>`
    + `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${spec.nameIdXml ?? esc(spec.nameId ?? 'ada@acme.com')}</saml:NameID>`
    + `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData ${inResponseTo ? `InResponseTo="${inResponseTo}" ` : ''}NotOnOrAfter="${spec.notOnOrAfter ?? iso(300, at)}" Recipient="${esc(spec.recipient ?? ACS_URL)}"/></saml:SubjectConfirmation></saml:Subject>`
    + `<saml:Conditions NotBefore="${spec.notBefore ?? iso(-60, at)}" NotOnOrAfter="${spec.notOnOrAfter ?? iso(300, at)}">${audience}</saml:Conditions>`
    + `<saml:AuthnStatement AuthnInstant="${iso(0, at)}" SessionIndex="_session_1"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`
    + `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>`
    + `</saml:Assertion>`;
}

export function responseXml(spec: ResponseSpec = {}): string {
  const at = spec.now ?? NOW;
  const id = spec.id ?? `_r${crypto.randomBytes(10).toString('hex')}`;
  const inResponseTo = spec.inResponseTo === undefined ? REQUEST_ID : spec.inResponseTo;
  const destination = spec.destination === undefined ? ACS_URL : spec.destination;
  const issuer = spec.issuer === undefined ? IDP_ENTITY_ID : spec.issuer;
  return `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${iso(0, at)}"${destination ? ` Destination="${esc(destination)}"` : ''}${inResponseTo ? ` InResponseTo="${inResponseTo}"` : ''}>`
    + (issuer ? `<saml:Issuer>${esc(issuer)}</saml:Issuer>` : '')
    + `<samlp:Status><samlp:StatusCode Value="${spec.status ?? 'urn:oasis:names:tc:SAML:2.0:status:Success'}"/></samlp:Status>`
    + (spec.assertionXml ?? signAssertion(assertionXml()))
    + `</samlp:Response>`;
}

interface SignOptions {
  key?: string;
  cert?: string | null;
  algorithm?: string;
  digest?: string;
}

function sign(xml: string, element: 'Assertion' | 'Response', opts: SignOptions): string {
  const cert = opts.cert === undefined ? keys.idp.cert : opts.cert;
  const sig = new SignedXml({
    privateKey: opts.key ?? keys.idp.key,
    publicCert: cert ?? undefined,
    signatureAlgorithm: opts.algorithm ?? 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    getKeyInfoContent: cert === null ? () => null : SignedXml.getKeyInfoContent,
  });
  const target = `/*[local-name(.)='${element}']`;
  sig.addReference({
    xpath: element === 'Assertion' ? `//*[local-name(.)='Assertion']` : target,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: opts.digest ?? 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  sig.computeSignature(xml, { prefix: 'ds', location: { reference: `//*[local-name(.)='${element}']/*[local-name(.)='Issuer']`, action: 'after' } });
  return sig.getSignedXml();
}

/** Signs the assertion (enveloped, exc-c14n, RSA-SHA256 unless told otherwise), KeyInfo carrying `cert`. */
export const signAssertion = (xml: string, opts: SignOptions = {}) => sign(xml, 'Assertion', opts);

/** Signs the whole Response. */
export const signResponse = (xml: string, opts: SignOptions = {}) => sign(xml, 'Response', opts);

/** Encrypts a (signed) assertion to the SP certificate: AES-256 (CBC or GCM) content key, RSA-OAEP key transport. */
export function encryptAssertion(signedAssertion: string, mode: 'cbc' | 'gcm', cert = keys.sp.cert): Promise<string> {
  const encryptionAlgorithm = mode === 'gcm' ? 'http://www.w3.org/2009/xmlenc11#aes256-gcm' : 'http://www.w3.org/2001/04/xmlenc#aes256-cbc';
  return new Promise((resolve, reject) => {
    xmlenc.encrypt(signedAssertion, { rsa_pub: crypto.createPublicKey(cert).export({ type: 'spki', format: 'pem' }), pem: cert, encryptionAlgorithm, keyEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p', disallowEncryptionWithInsecureAlgorithm: true }, (err, out) =>
      err ? reject(err) : resolve(`<saml:EncryptedAssertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${out}</saml:EncryptedAssertion>`),
    );
  });
}

export const b64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');

/** The validator input for the default connection, with `samlResponse` from `xml`. */
export function inputFor(xml: string, overrides: Record<string, unknown> = {}) {
  return {
    samlResponse: b64(xml),
    idpEntityId: IDP_ENTITY_ID,
    idpCertificates: [keys.idp.cert],
    spEntityId: SP_ENTITY_ID,
    acsUrl: ACS_URL,
    expectedInResponseTo: REQUEST_ID as string | null,
    now: NOW,
    ...overrides,
  };
}

export { iso };
