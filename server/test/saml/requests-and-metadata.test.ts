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
    const xml = createSpMetadata({ spEntityId: SP_ENTITY_ID, acsUrl: ACS_URL, encryptionCertificate: keys.sp.cert });
    const body = keys.sp.cert.replace(/-----[A-Z ]+-----|\s/g, '');
    expect(xml).toContain('use="encryption"');
    expect(xml.replace(/\s/g, '')).toContain(body);
  });
});

describe('parseIdpMetadata', () => {
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

  it('names each problem with metadata Portico cannot use', () => {
    expect(problem('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>')).toBe('dtd_not_allowed');
    expect(problem('<md:EntityDescriptor')).toBe('not_xml');
    expect(problem(`<md:EntityDescriptor ${MD} entityID="sp"><md:SPSSODescriptor/></md:EntityDescriptor>`)).toBe('no_idp_descriptor');
    expect(problem(`<md:EntityDescriptor ${MD}><md:IDPSSODescriptor>${SSO}</md:IDPSSODescriptor></md:EntityDescriptor>`)).toBe('no_entity_id');
    expect(problem(`<md:EntityDescriptor ${MD} entityID="idp"><md:IDPSSODescriptor/></md:EntityDescriptor>`)).toBe('no_sso_service');
    expect(problem(`<md:EntityDescriptor ${MD} entityID="idp"><md:IDPSSODescriptor>${SSO}</md:IDPSSODescriptor></md:EntityDescriptor>`)).toBe('no_signing_certificate');
    expect(problem(`<md:EntityDescriptor ${MD} entityID="idp"><md:IDPSSODescriptor><md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>bm90IGEgY2VydA==</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>${SSO}</md:IDPSSODescriptor></md:EntityDescriptor>`)).toBe('bad_certificate');
  });
});
