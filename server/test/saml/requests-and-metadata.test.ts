import { DOMParser } from '@xmldom/xmldom';
import fs from 'node:fs';
import path from 'node:path';
import { createAuthnRequest, createSpMetadata, IdpMetadataError, parseIdpMetadata } from '../../src/auth/saml';
import { ACS_URL, keys, SP_ENTITY_ID } from './forge';

const IDP_SSO = 'https://idp.example.com/sso/saml';

describe('createAuthnRequest', () => {
  it('builds a deflated HTTP-Redirect request with Portico’s ID, issuer and ACS URL, and keeps its XML', async () => {
    const request = await createAuthnRequest({ idpSsoUrl: IDP_SSO, idpCertificates: [keys.idp.cert], spEntityId: SP_ENTITY_ID, acsUrl: ACS_URL, requestId: '_req_01ABC', relayState: 'session_123' });
    const url = new URL(request.redirectUrl);
    expect(`${url.origin}${url.pathname}`).toBe(IDP_SSO);
    expect(url.searchParams.get('RelayState')).toBe('session_123');
    expect(request.requestId).toBe('_req_01ABC');
    expect(request.xml).toContain('ID="_req_01ABC"');
    expect(request.xml).toContain(`AssertionConsumerServiceURL="${ACS_URL}"`);
    expect(request.xml).toContain(`Destination="${IDP_SSO}"`);
    expect(request.xml).toMatch(new RegExp(`<saml:Issuer[^>]*>${SP_ENTITY_ID}</saml:Issuer>`));
  });

  it('refuses a request ID that is not an XML ID', async () => {
    await expect(createAuthnRequest({ idpSsoUrl: IDP_SSO, idpCertificates: [keys.idp.cert], spEntityId: SP_ENTITY_ID, acsUrl: ACS_URL, requestId: '1-starts-with-digit' })).rejects.toThrow(/XML ID/);
  });
});

describe('createSpMetadata', () => {
  it('publishes the entity ID and the ACS URL', () => {
    const xml = createSpMetadata({ spEntityId: SP_ENTITY_ID, acsUrl: ACS_URL });
    expect(xml).toContain(`entityID="${SP_ENTITY_ID}"`);
    expect(xml).toMatch(new RegExp(`AssertionConsumerService[^>]*Location="${ACS_URL}"`));
    expect(xml).not.toContain('use="encryption"');
  });

  it('publishes the encryption certificate when the connection has one', () => {
    const xml = createSpMetadata({ spEntityId: SP_ENTITY_ID, acsUrl: ACS_URL, encryptionCertificates: [keys.sp.cert] });
    const body = keys.sp.cert.replace(/-----[A-Z ]+-----|\s/g, '');
    expect(xml).toContain('use="encryption"');
    expect(xml.replace(/\s/g, '')).toContain(body);
  });

  it('publishes the next encryption certificate beside the current one during a rollover', () => {
    const xml = createSpMetadata({ spEntityId: SP_ENTITY_ID, acsUrl: ACS_URL, encryptionCertificates: [keys.sp.cert, keys.otherIdp.cert] });
    const flat = xml.replace(/\s/g, '');
    expect(xml.match(/<KeyDescriptor use="encryption">/g)).toHaveLength(2);
    for (const cert of [keys.sp.cert, keys.otherIdp.cert]) expect(flat).toContain(cert.replace(/-----[A-Z ]+-----|\s/g, ''));
  });

  it('says WantAssertionsSigned only when the connection requires signed assertions', () => {
    expect(createSpMetadata({ spEntityId: SP_ENTITY_ID, acsUrl: ACS_URL })).toContain('WantAssertionsSigned="false"');
    expect(createSpMetadata({ spEntityId: SP_ENTITY_ID, acsUrl: ACS_URL, wantAssertionsSigned: true })).toContain('WantAssertionsSigned="true"');
  });

  it('is metadata an IdP can read: parsed back as XML with the escaped entity ID', () => {
    const xml = createSpMetadata({ spEntityId: 'https://sp.example/?a=1&b="2"', acsUrl: ACS_URL });
    const doc = new DOMParser().parseFromString(xml, 'text/xml');
    expect(doc.documentElement.getAttribute('entityID')).toBe('https://sp.example/?a=1&b="2"');
  });
});

describe('parseIdpMetadata', () => {
  it('says SP metadata (Portico’s own, pasted into the IdP box) looks like SP metadata', () => {
    const own = createSpMetadata({ spEntityId: SP_ENTITY_ID, acsUrl: ACS_URL, encryptionCertificates: [keys.sp.cert] });
    let error: unknown = null;
    try {
      parseIdpMetadata(own);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(IdpMetadataError);
    expect((error as IdpMetadataError).problem).toBe('sp_metadata');
    expect((error as IdpMetadataError).message).toMatch(/looks like service provider \(SP\) metadata/);
    expect((error as IdpMetadataError).message).toContain(SP_ENTITY_ID);
  });

  const okta = fs.readFileSync(path.resolve(__dirname, '../fixtures/idp-responses/good/okta/metadata.xml'), 'utf8');
  it('reads Okta’s entity ID, redirect SSO URL and signing certificate', () => {
    const metadata = parseIdpMetadata(okta);
    expect(metadata.entityId).toBe('http://www.okta.com/exkdoocxa1VmjpXmX697');
    expect(metadata.ssoUrl).toMatch(/^https:\/\/.*okta.*\/sso\/saml$/);
    expect(metadata.certificates).toHaveLength(1);
  });

  const problem = (xml: string) => {
    try {
      parseIdpMetadata(xml);
    } catch (err) {
      if (err instanceof IdpMetadataError) return err.problem;
      throw err;
    }
    throw new Error('expected an IdpMetadataError');
  };
  const MD = 'xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#"';
  const SSO = '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>';

  it('reads the certificate of a KeyDescriptor without `use` (signing and encryption both), never an encryption-only one', () => {
    const bare = (cert: string) => cert.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    const key = (use: string | null, cert: string) => `<md:KeyDescriptor${use === null ? '' : ` use="${use}"`}><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${bare(cert)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;
    const metadata = (keysXml: string) => parseIdpMetadata(`<md:EntityDescriptor ${MD} entityID="idp"><md:IDPSSODescriptor>${keysXml}${SSO}</md:IDPSSODescriptor></md:EntityDescriptor>`);
    const fingerprints = (certs: string[]) => certs.map((c) => bare(c));
    expect(fingerprints(metadata(key(null, keys.idp.cert)).certificates)).toEqual([bare(keys.idp.cert)]);
    expect(fingerprints(metadata(key('encryption', keys.sp.cert) + key(null, keys.idp.cert)).certificates)).toEqual([bare(keys.idp.cert)]);
    expect(problem(`<md:EntityDescriptor ${MD} entityID="idp"><md:IDPSSODescriptor>${key('encryption', keys.sp.cert)}${SSO}</md:IDPSSODescriptor></md:EntityDescriptor>`)).toBe('no_signing_certificate');
  });

  it('names each problem with metadata Portico cannot use', () => {
    expect(problem('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>')).toBe('dtd_not_allowed');
    expect(problem('<md:EntityDescriptor')).toBe('not_xml');
    expect(problem(`<md:EntityDescriptor ${MD} entityID="sp"><md:SPSSODescriptor/></md:EntityDescriptor>`)).toBe('sp_metadata');
    expect(problem(`<md:EntitiesDescriptor ${MD}><md:EntityDescriptor entityID="x"><md:AttributeAuthorityDescriptor/></md:EntityDescriptor></md:EntitiesDescriptor>`)).toBe('no_idp_descriptor');
    expect(problem(`<md:EntityDescriptor ${MD}><md:IDPSSODescriptor>${SSO}</md:IDPSSODescriptor></md:EntityDescriptor>`)).toBe('no_entity_id');
    expect(problem(`<md:EntityDescriptor ${MD} entityID="idp"><md:IDPSSODescriptor/></md:EntityDescriptor>`)).toBe('no_sso_service');
    expect(problem(`<md:EntityDescriptor ${MD} entityID="idp"><md:IDPSSODescriptor>${SSO}</md:IDPSSODescriptor></md:EntityDescriptor>`)).toBe('no_signing_certificate');
    expect(problem(`<md:EntityDescriptor ${MD} entityID="idp"><md:IDPSSODescriptor><md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>bm90IGEgY2VydA==</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>${SSO}</md:IDPSSODescriptor></md:EntityDescriptor>`)).toBe('bad_certificate');
  });
});
