import { claimedInResponseTo, claimedInResponseToOfXml } from '../../src/auth/saml';

const P = 'urn:oasis:names:tc:SAML:2.0:protocol';
const A = 'urn:oasis:names:tc:SAML:2.0:assertion';
const response = (rootAttributes: string, inner = '') =>
  `<samlp:Response xmlns:samlp="${P}" xmlns:saml="${A}" ID="_r" Version="2.0"${rootAttributes}><saml:Issuer>https://idp.example.com</saml:Issuer>${inner}</samlp:Response>`;
const b64 = (xml: string) => Buffer.from(xml).toString('base64');

describe('claimedInResponseTo (which sign-in a response says it answers, read on the main thread)', () => {
  it('reads the Response element’s InResponseTo, decoded or not', () => {
    const xml = response(' InResponseTo="_req1"');
    expect(claimedInResponseToOfXml(xml)).toBe('_req1');
    expect(claimedInResponseTo(b64(xml))).toBe('_req1');
  });

  it('answers null without parsing when the text has no InResponseTo at all (IdP-initiated responses)', () => {
    expect(claimedInResponseToOfXml(response(''))).toBeNull();
    // Not even well-formed: the shortcut answers before any parser could refuse it.
    expect(claimedInResponseToOfXml('<samlp:Response')).toBeNull();
  });

  it('still parses when the name appears elsewhere: only the Response element’s own attribute counts', () => {
    const inner = `<saml:Assertion><saml:Subject><saml:SubjectConfirmation><saml:SubjectConfirmationData InResponseTo="_inner"/></saml:SubjectConfirmation></saml:Subject></saml:Assertion>`;
    expect(claimedInResponseToOfXml(response('', inner))).toBeNull();
    expect(claimedInResponseToOfXml(response(' InResponseTo="_outer"', inner))).toBe('_outer');
    // In text, not as an attribute name.
    expect(claimedInResponseToOfXml(response('', '<saml:Attribute Name="InResponseTo"/>'))).toBeNull();
    // A root that is not a protocol Response claims nothing.
    expect(claimedInResponseToOfXml(`<x:Response xmlns:x="urn:other" InResponseTo="_req1"/>`)).toBeNull();
  });

  it('answers null for what is not base64 XML', () => {
    expect(claimedInResponseTo('not base64 !')).toBeNull();
    expect(claimedInResponseTo(b64('InResponseTo="_x" but not XML'))).toBeNull();
  });
});
