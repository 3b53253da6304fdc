import fs from 'node:fs';
import path from 'node:path';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { parseIdpMetadata } from '../../src/auth/saml/idp-metadata';
import { validateSamlResponse, type SamlResponseInput } from '../../src/auth/saml/validate-saml-response';
import { assertionXml, inputFor, keys, responseXml, signAssertion, signResponse } from './forge';

/**
 * Portico verifies XML signatures itself (xmldsig.ts, one parse instead of node-saml's three). node-saml is the
 * reference here: on real IdP responses and on tampered ones, both must reach the same verdict and read the
 * same subject and attributes.
 */
async function nodeSaml(input: SamlResponseInput, signed: 'assertion' | 'response' = 'assertion') {
  const saml = new SAML({
    callbackUrl: input.acsUrl, issuer: input.spEntityId, audience: false, idpCert: input.idpCertificates,
    wantAuthnResponseSigned: signed === 'response', wantAssertionsSigned: signed === 'assertion', acceptedClockSkewMs: -1, validateInResponseTo: ValidateInResponseTo.never,
  });
  const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: input.samlResponse });
  return { nameId: profile!.nameID, attributes: (profile!.attributes ?? {}) as Record<string, unknown> };
}

const verdict = (p: Promise<unknown>) => p.then(() => 'accepted', () => 'refused');

const FIXTURES = path.resolve(__dirname, '../fixtures/idp-responses/good');
const realInputs = fs.readdirSync(FIXTURES).sort().map((name) => {
      const dir = path.join(FIXTURES, name);
      const xml = fs.readFileSync(path.join(dir, 'assertion.xml'));
      const idp = parseIdpMetadata(fs.readFileSync(path.join(dir, 'metadata.xml'), 'utf8'));
      const params = JSON.parse(fs.readFileSync(path.join(dir, 'params.json'), 'utf8')) as { sp_entity_id: string; now: string };
      const text = xml.toString('utf8');
      const input: SamlResponseInput = {
        samlResponse: xml.toString('base64'), idpEntityId: idp.entityId, idpCertificates: idp.certificates, spEntityId: params.sp_entity_id,
        acsUrl: /<[\w:]*Response[^>]*Destination="([^"]*)"/.exec(text)?.[1] ?? 'https://sp.invalid/acs',
        expectedInResponseTo: /<[\w:]*Response[^>]*InResponseTo="([^"]*)"/.exec(text)?.[1] ?? null, now: new Date(params.now),
      };
      return [name, input] as const;
    });

describe('Portico’s signature verification agrees with node-saml', () => {
  it.each(realInputs)('on the real %s response: same subject and attributes', async (_name, input) => {
    const ours = await validateSamlResponse(input);
    // node-saml checks times against the real clock; the fixtures are old, so give it their instant.
    jest.useFakeTimers({ now: input.now, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const theirs = await nodeSaml(input);
      // One known difference: an attribute repeated under the same Name (Keycloak sends a Role element per
      // role) keeps every value in Portico; node-saml keeps only the last.
      const repeated = Object.keys(ours.attributes).filter((k) => Array.isArray(ours.attributes[k]) && typeof theirs.attributes[k] === 'string');
      for (const name of repeated) expect(ours.attributes[name]).toContain(theirs.attributes[name]);
      const without = (attributes: Record<string, unknown>) => Object.fromEntries(Object.entries(attributes).filter(([k]) => !repeated.includes(k)));
      expect({ nameId: ours.nameId, attributes: without(ours.attributes) }).toEqual({ nameId: theirs.nameId, attributes: without(theirs.attributes) });
    } finally {
      jest.useRealTimers();
    }
  });

  const signed = signAssertion(assertionXml({ id: '_signed', attributes: { email: 'ada@acme.com', role: ['a', 'b'] } }));
  const cases: [string, string][] = [
    ['an untouched response', responseXml({ assertionXml: signed })],
    ['a changed NameID', responseXml({ assertionXml: signed.replace('ada@acme.com</saml:NameID>', 'eve@acme.com</saml:NameID>') })],
    ['a changed attribute value', responseXml({ assertionXml: signed.replace('<saml:AttributeValue>a</saml:AttributeValue>', '<saml:AttributeValue>admin</saml:AttributeValue>') })],
    ['a changed DigestValue', responseXml({ assertionXml: signed.replace(/<ds:DigestValue>[^<]+/, '<ds:DigestValue>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=') })],
    ['a changed SignatureValue', responseXml({ assertionXml: signed.replace(/<ds:SignatureValue>(.)/, (_m, c: string) => `<ds:SignatureValue>${c === 'A' ? 'B' : 'A'}`) })],
    ['another key claiming the connection’s certificate', responseXml({ assertionXml: signAssertion(assertionXml(), { key: keys.otherIdp.key, cert: keys.idp.cert }) })],
    ['an assertion ID changed after signing', responseXml({ assertionXml: signed.replace('ID="_signed"', 'ID="_other"') })],
  ];

  it.each(cases)('on %s: the same verdict', async (label, xml) => {
    const input = inputFor(xml);
    const [ours, theirs] = await Promise.all([verdict(validateSamlResponse(input)), (async () => {
      jest.useFakeTimers({ now: input.now, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
      try {
        return await verdict(nodeSaml(input));
      } finally {
        jest.useRealTimers();
      }
    })()]);
    expect([label, ours]).toEqual([label, theirs]);
    expect(ours).toBe(label === 'an untouched response' ? 'accepted' : 'refused');
  });

  // A signature on the Response only (Shibboleth's default), node-saml told to want a signed response.
  const responseSigned = signResponse(responseXml({ id: '_response', assertionXml: assertionXml({ id: '_assertion', attributes: { email: 'ada@acme.com', role: ['a', 'b'] } }) }));
  const original = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(responseSigned)![0];
  const evil = assertionXml({ id: '_evil', nameId: 'mallory@evil.example' });
  const responseCases: [string, string][] = [
    ['an untouched Response-signed response', responseSigned],
    ['a changed NameID under the Response signature', responseSigned.replace('ada@acme.com</saml:NameID>', 'eve@acme.com</saml:NameID>')],
    ['a changed SignatureValue on the Response', responseSigned.replace(/<ds:SignatureValue>(.)/, (_m, c: string) => `<ds:SignatureValue>${c === 'A' ? 'B' : 'A'}`)],
    ['another key claiming the connection’s certificate on the Response', signResponse(responseXml({ assertionXml: assertionXml() }), { key: keys.otherIdp.key, cert: keys.idp.cert })],
    ['an evil assertion injected before the signed one', responseSigned.replace('<saml:Assertion ', `${evil}<saml:Assertion `)],
    ['an evil assertion injected after the signed one', responseSigned.replace('</samlp:Response>', `${evil}</samlp:Response>`)],
    ['the signed assertion replaced by an evil one', responseSigned.replace(original, evil)],
    ['the signed Response ID given to a second element', responseSigned.replace('<samlp:Status>', '<samlp:Extensions><x:Decoy xmlns:x="urn:x" ID="_response"/></samlp:Extensions><samlp:Status>')],
  ];

  it.each(responseCases)('on %s: the same verdict', async (label, xml) => {
    const input = inputFor(xml);
    const ours = await verdict(validateSamlResponse(input));
    jest.useFakeTimers({ now: input.now, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    let theirs: string;
    try {
      theirs = await verdict(nodeSaml(input, 'response'));
    } finally {
      jest.useRealTimers();
    }
    expect([label, ours]).toEqual([label, theirs]);
    expect(ours).toBe(label === 'an untouched Response-signed response' ? 'accepted' : 'refused');
  });

  it('reads the same subject and attributes from a Response-signed response', async () => {
    const input = inputFor(responseSigned);
    const ours = await validateSamlResponse(input);
    jest.useFakeTimers({ now: input.now, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const theirs = await nodeSaml(input, 'response');
      expect({ nameId: ours.nameId, attributes: ours.attributes }).toEqual({ nameId: theirs.nameId, attributes: theirs.attributes });
    } finally {
      jest.useRealTimers();
    }
  });
});
